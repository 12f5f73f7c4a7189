"""The year-end written report of a rectification not accepted in time (source part 1 §三(三)1): when it is owed,
the township's upload (validated, nothing stored on refusal), the scoped download, the boards listing who misses it,
and a report attached to a re-grade request counting too."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import Event
from grading.models import Assessment, RegradeDirection, RegradeRequest, RegradeSupplement
from grading.services import campaigns as grading_services
from rectification.models import Case, YearEndReport
from rectification.rules.yearend import YearEndDue, due_for
from rectification.services.yearend import status_of, yearend_report_submit
from tests.calendar_support import seed_test_calendar
from tests.rectification.test_pages import client_for, open_weak_case

# The 2026 campaign's 10 December year-end, seen from the day these tests were written.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("written_on")]

PDF = b"%PDF-1.4 report"
AFTER = date(2026, 12, 11)  # the day after the 2026 campaign's regrade_request_due (10 Dec)
DUES = [YearEndDue(2025, date(2025, 12, 10)), YearEndDue(2026, date(2026, 12, 10))]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def campaign(users, tree):

    seed_test_calendar(2026)
    c = grading_services.campaign_create(actor=users.ds, year=2026)
    return grading_services.campaign_open(actor=users.ds, campaign=c)


@pytest.fixture
def late(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: AFTER)
    return AFTER


@pytest.fixture
def weak(users, tree, campaign) -> Case:
    return open_weak_case(users.ds, tree.village_a1)


def pdf(name: str = "书面报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.mark.parametrize(
    ("opened", "closed", "today", "owed"),
    [
        (date(2026, 5, 1), None, date(2026, 12, 10), None),  # the due day itself: not yet
        (date(2026, 5, 1), None, AFTER, 2026),
        (date(2026, 5, 1), date(2026, 12, 9), AFTER, None),  # accepted before the due day
        (date(2026, 5, 1), date(2026, 12, 15), date(2026, 12, 20), 2026),  # accepted late: still owed
        (date(2026, 12, 11), None, date(2026, 12, 20), None),  # opened after the year-end
        (date(2025, 6, 1), None, date(2026, 3, 1), 2025),
        (date(2025, 6, 1), None, AFTER, 2026),  # the latest year-end passed
    ],
)
def test_when_the_report_is_owed(opened, closed, today, owed):
    found = due_for(opened, closed, DUES, today)
    assert (found.year if found else None) == owed


def test_owed_after_the_due_date_and_missing_on_the_boards(users, tree, weak, late):
    assert status_of(weak).missing and status_of(weak).year == 2026
    for user, name, args in ((users.ds, "district_board", []), (users.ts_a, "township_board", [tree.township_a.pk])):
        page = client_for(user).get(reverse(f"rectification:{name}", args=args)).content.decode()
        assert "2026年底未报送" in page and "年底未报送整顿不力书面报告" in page
    case_page = client_for(users.ts_a).get(reverse("rectification:case_detail", args=[weak.pk])).content.decode()
    assert "须以党(工)委名义书面向区委报告" in case_page and "上传书面报告" in case_page


def test_not_owed_before_the_due_date_or_for_a_lagging_case(users, tree, weak):
    assert not status_of(weak, date(2026, 12, 10)).required
    with pytest.raises(ValidationError, match="无需报送"):
        yearend_report_submit(actor=users.ts_a, case=weak, upload=pdf(), today=date(2026, 12, 1))
    lagging = Case(organization=tree.branch_a21, year=2026, category="lagging", opened_on=date(2026, 5, 1))
    assert due_for(lagging.opened_on, None, DUES, AFTER) is not None  # a date would be owed ...
    lagging.pk = -1
    from rectification.services.yearend import statuses

    assert not statuses([lagging], AFTER)[-1].required  # ... but only a 软弱涣散 case owes it


def test_township_uploads_through_the_page(users, tree, weak, late, media, django_capture_on_commit_callbacks):
    c = client_for(users.ts_a)
    url = reverse("rectification:yearend_report", args=[weak.pk])
    assert c.get(url).status_code == 200
    # a refused file: a clear message, the note kept, nothing stored
    bad = c.post(url, {"file": SimpleUploadedFile("报告.exe", b"MZ"), "note": "整顿不力原因"})
    assert bad.status_code == 400 and "格式不支持" in bad.content.decode() and "整顿不力原因" in bad.content.decode()
    fake = c.post(url, {"file": SimpleUploadedFile("报告.pdf", b"not a pdf"), "note": ""})
    assert "内容与扩展名" in fake.content.decode()
    assert not YearEndReport.objects.exists() and not any(media.rglob("*.pdf"))
    # when
    ok = c.post(url, {"file": pdf("../../党委报告.pdf"), "note": "班子调整未到位"})
    # then
    assert ok.status_code == 302
    report = YearEndReport.objects.get(case=weak)
    assert report.year == 2026 and report.original_name == "党委报告.pdf" and "党委报告" not in report.file.name
    assert Event.objects.filter(verb="rectification.yearend_report", target_id=str(weak.pk)).count() == 1
    assert not status_of(weak).missing
    board = client_for(users.ds).get(reverse("rectification:district_board")).content.decode()
    assert "2026年底未报送" not in board and "已报送" in board
    # uploading again replaces the file (one report per case and year)
    with django_capture_on_commit_callbacks(execute=True):
        c.post(url, {"file": pdf("第二稿.pdf"), "note": ""})
    assert YearEndReport.objects.get(case=weak).original_name == "第二稿.pdf"
    assert len(list(media.rglob("*.pdf"))) == 1


@pytest.mark.parametrize(
    ("who", "page", "download"),
    [
        ("ts_a", 200, 200),
        ("ds", 403, 200),  # the district reads the report; the committee (township) writes it
        ("sec_a1", 403, 200),
        ("viewer_a", 403, 200),
        ("ts_b", 404, 404),
        ("liaison", 404, 404),
        ("nobody", 404, 404),
    ],
)
def test_role_and_scope(users, weak, late, who, page, download):
    yearend_report_submit(actor=users.ts_a, case=weak, upload=pdf())
    c = client_for(getattr(users, who))
    assert c.get(reverse("rectification:yearend_report", args=[weak.pk])).status_code == page
    response = c.get(reverse("rectification:yearend_report_download", args=[weak.pk]) + "?year=2026")
    assert response.status_code == download
    if download == 200:
        assert response["Cache-Control"] == "private, no-store" and b"".join(response.streaming_content) == PDF


def test_service_refuses_the_district_and_other_townships(users, weak, late):
    for actor in (users.ds, users.sec_a1):
        with pytest.raises(PermissionDenied):
            yearend_report_submit(actor=actor, case=weak, upload=pdf())
    assert not YearEndReport.objects.exists()


def test_download_without_report_goes_back_to_the_case(users, weak, late):
    response = client_for(users.ds).get(reverse("rectification:yearend_report_download", args=[weak.pk]))
    assert response.status_code == 302 and response["Location"].endswith(f"/rectification/cases/{weak.pk}/")


def test_report_attached_to_a_regrade_request_counts(users, tree, weak, late):
    a = Assessment.objects.get(organization=tree.village_a1, campaign__year=2026)
    request = RegradeRequest.objects.create(assessment=a, direction=RegradeDirection.DOWN, reason="整顿不力")
    supplement = RegradeSupplement(request=request)
    supplement.written_report.save("报告.pdf", ContentFile(PDF), save=False)
    supplement.save()
    status = status_of(weak)
    assert status.required and status.supplement == supplement and not status.missing
    board = client_for(users.ds).get(reverse("rectification:district_board")).content.decode()
    assert "已随复核申请报送" in board
