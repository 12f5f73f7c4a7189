"""Year-end (issue 3 item 5): re-grading requests by 10 Dec, district re-grading with the (widened) 好 cap, township
summaries with 1–2 experience papers, the excellence award by share; uploads validated; the role × scope matrix."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from grading import events
from grading.models import (
    Assessment,
    AssessmentStatus,
    ExcellenceAward,
    GradeRecord,
    RegradeRequest,
    TownshipSummary,
)
from grading.services import yearend, yearend_summaries
from grading.services.workflow import catch_up
from organizations.models import OrgKind
from organizations.services import tree as org_services
from tests.grading import test_district_pages as pages
from tests.grading.test_district_pages import PDF, approved, client_for

# The 2026 campaign's windows (objections, the 10 December year-end), seen from the day these tests were written.
pytestmark = pytest.mark.usefixtures("written_on")

# Fixtures shared with the district pages' tests.
campaign = pages.campaign
media = pages.media
sec_all = pages.sec_all

S = AssessmentStatus


def _docx() -> bytes:
    """A Word package as far as the upload check reads it (a zip holding word/document.xml)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


DOCX = _docx()


def final(campaign, users, sec, org, share="0.85") -> Assessment:
    a = approved(campaign, users, sec, org, share, on=date(2026, 4, 21))
    catch_up(today=date(2026, 6, 1))
    a.refresh_from_db()
    assert a.status == S.FINAL
    return a


def pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF)


# --- Re-grading requests ---------------------------------------------------------------------------------------


def test_request_after_deadline_refused(campaign, users, tree, sec_all) -> None:
    a = final(campaign, users, sec_all, tree.village_a1)
    data = yearend.RegradeInput(direction="up", reason="整改到位", proposed_score=Decimal("92"))
    with pytest.raises(ValidationError, match="2026年12月10日"):
        yearend.regrade_request_create(actor=users.ts_a, assessment=a, data=data, today=date(2026, 12, 11))
    with pytest.raises(PermissionDenied):
        yearend.regrade_request_create(actor=users.ds, assessment=a, data=data, today=date(2026, 12, 1))
    with pytest.raises(ValidationError, match="不是提档升级"):
        bad = yearend.RegradeInput(direction="up", reason="x", proposed_score=Decimal("85"))
        yearend.regrade_request_create(actor=users.ts_a, assessment=a, data=bad, today=date(2026, 12, 1))
    req = yearend.regrade_request_create(actor=users.ts_a, assessment=a, data=data, today=date(2026, 12, 10))
    assert Assessment.objects.get(pk=a.pk).status == S.REGRADE_REQUESTED and req.proposed_score == Decimal("92")


def test_request_page_late_shows_date_and_no_form(campaign, users, tree, sec_all, monkeypatch) -> None:
    from django.utils import timezone

    a = final(campaign, users, sec_all, tree.village_a1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 12, 11))
    page = client_for(users.ts_a).get(reverse("grading:regrade_request", args=[a.pk])).content.decode()
    assert "2026年12月10日" in page and "已过期" in page and "提交复核申请</button>" not in page


@pytest.mark.parametrize(
    ("who", "status"), [("ts_a", 200), ("ds", 403), ("sec_a1", 403), ("ts_b", 404), ("sec_b1", 404), ("nobody", 404)]
)
def test_request_page_matrix(campaign, users, tree, sec_all, who, status) -> None:
    a = final(campaign, users, sec_all, tree.village_a1)
    assert client_for(getattr(users, who)).get(reverse("grading:regrade_request", args=[a.pk])).status_code == status
    township = reverse("grading:township_yearend", args=[campaign.pk, tree.township_a.pk])
    expected = {"ts_a": 200, "ds": 403, "sec_a1": 404, "ts_b": 404, "sec_b1": 404, "nobody": 404}[who]
    assert client_for(getattr(users, who)).get(township).status_code == expected
    anon = Client().get(reverse("grading:regrade_request", args=[a.pk]))
    assert anon.status_code == 302 and anon["Location"].startswith(reverse("login"))


def test_request_through_the_page_with_evidence_and_weak_report(campaign, users, tree, sec_all, media) -> None:
    a = final(campaign, users, sec_all, tree.village_a1, "0.55")
    assert a.final_grade == "poor"
    c = client_for(users.ts_a)
    url = reverse("grading:regrade_request", args=[a.pk])
    page = c.get(url).content.decode()
    assert "党(工)委书面报告" in page
    bad = c.post(url, {"direction": "up", "reason": "整改到位", "proposed_score": "82", "evidence": pdf("a.txt")})
    assert "格式不支持" in bad.content.decode() and "整改到位" in bad.content.decode()
    fake = c.post(url, {"direction": "up", "reason": "整改到位", "proposed_score": "82", "evidence": pdf("a.png")})
    assert "内容与扩展名" in fake.content.decode()
    ok = c.post(url, {"direction": "up", "reason": "整改到位", "proposed_score": "82", "evidence": pdf()})
    assert ok.status_code == 302
    req = RegradeRequest.objects.get(assessment=a)
    assert req.evidence and yearend.written_report_missing(req)
    board = client_for(users.ds).get(reverse("grading:district_regrade", args=[campaign.pk])).content.decode()
    assert "未附党(工)委书面报告" in board and "整改到位" in board


# --- District re-grading and the cap ---------------------------------------------------------------------------


def test_regrade_cap_needs_reason_then_history_and_event(
    campaign, users, tree, sec_all, django_capture_on_commit_callbacks
) -> None:
    finalized: list[int] = []
    events.on_grade_finalized(finalized.append)
    a = final(campaign, users, sec_all, tree.village_a1)
    data = yearend.RegradeInput(direction="up", reason="提档升级", proposed_score=Decimal("93"))
    req = yearend.regrade_request_create(actor=users.ts_a, assessment=a, data=data, today=date(2026, 12, 1))
    c = client_for(users.ds)
    url = reverse("grading:district_regrade", args=[campaign.pk])
    # 4 graded organizations, 20% → 0 好 allowed: a 好 needs a reason (C5)
    refused = c.post(url, {"request": req.pk, f"g{req.pk}-grade": "good", f"g{req.pk}-opinion": "同意"})
    assert "超过比例上限" in refused.content.decode()
    assert Assessment.objects.get(pk=a.pk).status == S.REGRADE_REQUESTED
    with django_capture_on_commit_callbacks(execute=True):
        c.post(
            url,
            {
                "request": req.pk,
                f"g{req.pk}-grade": "good",
                f"g{req.pk}-opinion": "同意提档",
                f"g{req.pk}-cap_reason": "整改成效显著",
            },
        )
    a.refresh_from_db()
    assert a.status == S.FINAL and a.final_grade == "good" and a.nominable_as_advanced
    assert a.final_score == Decimal("93") and finalized == [a.pk]
    assert list(GradeRecord.objects.filter(assessment=a).values_list("stage", "grade")) == [
        ("年底复核定级", "good"),
        ("异议期满定级", "fairly_good"),
        ("区委组织部审定", "fairly_good"),
    ]
    assert req.supplement.__class__.objects.get(request=req).cap_exceed_reason == "整改成效显著"


def test_widening_the_cap_requires_a_reason(campaign, users, tree) -> None:
    c = client_for(users.ds)
    url = reverse("grading:district_regrade", args=[campaign.pk])
    refused = c.post(url, {"do": "cap", "widened_cap_percent": "30", "reason": ""})
    assert "须写明理由" in refused.content.decode() and 'value="30"' in refused.content.decode()
    with pytest.raises(ValidationError, match="年初比例"):
        yearend.year_end_cap_set(actor=users.ds, campaign=campaign, widened_cap_percent=Decimal("10"), reason="x")
    with pytest.raises(PermissionDenied):
        yearend.year_end_cap_set(actor=users.ts_a, campaign=campaign, widened_cap_percent=Decimal("30"), reason="x")
    c.post(url, {"do": "cap", "widened_cap_percent": "30", "reason": "整顿成效明显"})
    assert yearend.effective_cap(campaign) == Decimal("30")
    page = c.get(reverse("grading:district_overview", args=[campaign.pk])).content.decode()
    assert "年底复核已扩大" in page


# --- The excellence award ---------------------------------------------------------------------------------------


def add_townships(tree, n: int) -> list:
    return [
        org_services.organization_create(
            actor=None,
            parent=tree.district,
            code=f"Y{i:02d}",
            name=f"新镇{i}",
            kind=OrgKind.COMMITTEE,
            check_permission=False,
        )
        for i in range(n)
    ]


def test_award_share_enforced(campaign, users, tree) -> None:
    assert yearend_summaries.award_allowed(12, Decimal("20")) == 2
    assert yearend_summaries.award_allowed(2, Decimal("20")) == 1
    towns = add_townships(tree, 8)  # 10 townships, 20% → 2
    c = client_for(users.ds)
    award = reverse("grading:district_award", args=[campaign.pk])
    for town in (tree.township_a, tree.township_b):
        c.post(award, {"township": town.pk, "note": "成效突出"})
    refused = c.post(award, {"township": towns[0].pk}, follow=True)
    assert "最多2个" in refused.content.decode()
    assert ExcellenceAward.objects.filter(campaign=campaign).count() == 2
    c.post(reverse("grading:district_yearend", args=[campaign.pk]), {"do": "share", "share_percent": "30"})
    c.post(award, {"township": towns[0].pk})
    assert ExcellenceAward.objects.filter(campaign=campaign).count() == 3
    with pytest.raises(PermissionDenied):
        yearend_summaries.award_choose(actor=users.ts_a, campaign=campaign, township=towns[1])
    withdraw = c.post(award, {"township": towns[0].pk, "do": "withdraw"})
    assert withdraw.status_code == 302 and ExcellenceAward.objects.filter(campaign=campaign).count() == 2


# --- Township summaries ------------------------------------------------------------------------------------------


def test_summary_upload_validation_and_district_list(campaign, users, tree, media) -> None:
    c = client_for(users.ts_a)
    url = reverse("grading:township_yearend", args=[campaign.pk, tree.township_a.pk])
    no_papers = c.post(url, {"report": pdf("总结.pdf")})
    assert "经验材料1至2篇" in no_papers.content.decode()
    bad = c.post(url, {"report": SimpleUploadedFile("总结.exe", b"MZ"), "paper1_title": "经验", "paper1": pdf()})
    assert "格式不支持" in bad.content.decode() and 'value="经验"' in bad.content.decode()
    big = SimpleUploadedFile("总结.pdf", PDF + b"0" * (10 * 1024 * 1024))
    assert "超过10MB" in c.post(url, {"report": big, "paper1_title": "经验", "paper1": pdf()}).content.decode()
    no_title = c.post(url, {"report": pdf("总结.pdf"), "paper1": pdf()})
    assert "请填写经验材料的标题" in no_title.content.decode()
    ok = c.post(
        url,
        {
            "report": pdf("总结.pdf"),
            "paper1_title": "村务公开经验",
            "paper1": pdf(),
            "paper2_title": "三会一课",
            "paper2": SimpleUploadedFile("b.docx", DOCX),
        },
    )
    assert ok.status_code == 302
    summary = TownshipSummary.objects.get(campaign=campaign, township=tree.township_a)
    assert summary.papers.count() == 2
    with pytest.raises(ValidationError, match="最多2篇"):
        yearend_summaries.summary_submit(
            actor=users.ts_a,
            campaign=campaign,
            township=tree.township_a,
            report=None,
            papers=[("a", pdf()), ("b", pdf()), ("c", pdf())],
        )
    ds = client_for(users.ds)
    page = ds.get(reverse("grading:district_yearend", args=[campaign.pk])).content.decode()
    assert "村务公开经验" in page and "未报送" in page  # township B has not sent anything
    download = reverse("grading:file_download", args=["summary", summary.pk])
    assert ds.get(download).status_code == 200
    assert c.get(download).status_code == 200
    assert client_for(users.ts_b).get(download).status_code == 404
    paper = summary.papers.first()
    assert client_for(users.sec_a1).get(reverse("grading:file_download", args=["paper", paper.pk])).status_code == 404
    assert Client().get(download).status_code == 302
