"""The rectification pages: the role × scope matrix, uploads refused with nothing stored, the case closing only
through a passed acceptance, documents with Chinese text and an embedded CJK font, board query counts, reminders."""

from __future__ import annotations

import io
import subprocess
from datetime import date, timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Event, Notification
from organizations.models import OrgKind
from rectification.models import Case, Evidence, ProgressNote
from rectification.rules.cases import Phase
from rectification.services import cases as case_services
from rectification.services import ledger as ledger_services
from rectification.services import progress as progress_services

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def open_weak_case(ds, org) -> Case:
    case_services.category_set_by_hand(actor=ds, organization=org, year=2026, category="weak", reason="测试认定")
    return Case.objects.get(organization=org)


@pytest.fixture
def case(users, tree) -> Case:
    return open_weak_case(users.ds, tree.village_a1)


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def with_measure(ds, case: Case, *, deadline: date | None = None):
    problem = ledger_services.problem_create(
        actor=ds, case=case, category="no_venue", source="self_check", description="无场所"
    )
    return ledger_services.measure_create(
        actor=ds, problem=problem, text="新建活动室", responsible="张三", deadline=deadline or date(2026, 12, 1)
    )


# --- Role × scope -------------------------------------------------------------------------------------------------

MATRIX = {
    # url name: {user: expected status}
    "case_detail": {"ds": 200, "ts_a": 200, "sec_a1": 200, "viewer_a": 200, "ts_b": 404, "liaison": 404, "nobody": 404},
    "report": {"ds": 200, "ts_a": 200, "sec_a1": 200, "viewer_a": 403, "ts_b": 404, "sec_b1": 404},
    "problem_create": {"ds": 200, "ts_a": 200, "sec_a1": 403, "viewer_a": 403, "ts_b": 404},
    "acceptance": {"ds": 200, "ts_a": 403, "sec_a1": 403, "ts_b": 404},
    "supervision": {"ds": 200, "ts_a": 200, "sec_a1": 403, "ts_b": 404},
    "case_ledger_pdf": {"ts_a": 200, "sec_a1": 200, "ts_b": 404},
}


@pytest.mark.parametrize(("name", "who", "expected"), [(n, w, s) for n, row in MATRIX.items() for w, s in row.items()])
def test_case_pages_role_by_scope(users, case, name, who, expected):
    response = client_for(getattr(users, who)).get(reverse(f"rectification:{name}", args=[case.pk]))
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("who", "township", "expected"),
    [("ds", "a", 200), ("ts_a", "a", 200), ("viewer_a", "a", 200), ("ts_a", "b", 404), ("sec_a1", "a", 404)],
)
def test_township_board_scope(users, tree, case, who, township, expected):
    org = tree.township_a if township == "a" else tree.township_b
    response = client_for(getattr(users, who)).get(reverse("rectification:township_board", args=[org.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert "东风村党支部" in response.content.decode()


@pytest.mark.parametrize(("who", "expected"), [("ds", 200), ("ts_a", 403), ("sec_a1", 403), ("viewer_a", 403)])
def test_district_board_and_documents_are_the_districts(users, case, who, expected):
    c = client_for(getattr(users, who))
    for name in ("district_board", "district_ledger_xlsx", "circular_pdf"):
        assert c.get(reverse(f"rectification:{name}")).status_code == expected


def test_home_sends_each_role_to_its_page(users, tree, case):
    assert client_for(users.ds).get(reverse("rectification:home"))["Location"] == reverse(
        "rectification:district_board"
    )
    assert client_for(users.ts_a).get(reverse("rectification:home"))["Location"] == reverse(
        "rectification:township_board", args=[tree.township_a.pk]
    )
    page = client_for(users.sec_a1).get(reverse("rectification:home"))
    assert page.status_code == 200 and "东风村党支部" in page.content.decode()


def test_menu_entry_for_every_role_with_a_scope(users):
    """Secretaries report their own case's progress from 整顿 too; the entry opens for each."""
    page = reverse("core:notifications")
    for user in (users.ts_a, users.ds, users.sec_a1):
        assert ">整顿<" in client_for(user).get(page).content.decode()
        assert client_for(user).get(reverse("rectification:home"), follow=True).status_code == 200


def test_organization_page_shows_the_rectification_panel(users, tree, case):
    page = client_for(users.sec_a1).get(reverse("organizations:org_detail", args=[tree.village_a1.pk]))
    html = page.content.decode()
    assert "分类管理与整顿" in html and reverse("rectification:case_detail", args=[case.pk]) in html


# --- The secretary's report and uploads ------------------------------------------------------------------------------


def test_report_form_is_phone_friendly(users, case):
    html = client_for(users.sec_a1).get(reverse("rectification:report", args=[case.pk])).content.decode()
    assert 'accept="image/*,application/pdf"' in html and 'capture="environment"' in html


def test_secretary_reports_progress_with_a_photo(users, case, media):
    measure = with_measure(users.ds, case)
    response = client_for(users.sec_a1).post(
        reverse("rectification:report", args=[case.pk]),
        {"measure": measure.pk, "text": "已完成选址", "percent": 40, "file": SimpleUploadedFile("现场.png", PNG)},
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.percent == 40
    evidence = Evidence.objects.get(case=case)
    assert evidence.original_name == "现场.png" and "现场" not in evidence.file.name
    # the download is scoped: inside 200 with the bytes, outside 404; never a /media URL
    url = reverse("rectification:evidence_download", args=[evidence.pk])
    assert b"".join(client_for(users.sec_a1).get(url).streaming_content) == PNG
    assert client_for(users.ts_b).get(url).status_code == 404
    page = client_for(users.sec_a1).get(reverse("rectification:case_detail", args=[case.pk])).content.decode()
    assert "已完成选址" in page and url in page and "/media/" not in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("病毒.exe", b"MZ" + b"\x00" * 20, "格式不支持"),
        ("假照片.jpg", b"not a jpeg at all", "内容与扩展名"),
        ("空.pdf", b"", "空文件"),
    ],
)
def test_bad_upload_refused_with_a_message_and_nothing_stored(users, case, media, name, content, message):
    response = client_for(users.sec_a1).post(
        reverse("rectification:report", args=[case.pk]),
        {"text": "进展", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Evidence.objects.exists() and not ProgressNote.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*")) if media.exists() else True


def test_too_large_upload_refused(users, case, media, monkeypatch):
    from core.uploads import UploadPolicy

    small = UploadPolicy(progress_services.EVIDENCE_UPLOADS.extensions, max_bytes=10)
    monkeypatch.setattr(progress_services, "EVIDENCE_UPLOADS", small)
    response = client_for(users.sec_a1).post(
        reverse("rectification:report", args=[case.pk]),
        {"text": "进展", "file": SimpleUploadedFile("大.png", PNG)},
    )
    assert response.status_code == 400 and "上限" in response.content.decode()
    assert not Evidence.objects.exists() and not ProgressNote.objects.exists()


# --- Phases and acceptance through the pages -------------------------------------------------------------------------


def acceptance_post(**overrides) -> dict:
    data = {
        "held_on": "2026-11-20",
        "self_check": "对照方案逐项完成",
        "representatives_total": 30,
        "satisfied": 25,
        "basically_satisfied": 3,
        "unsatisfied": 2,
        "opinion": "同意结案",
        "items-TOTAL_FORMS": 3,
        "items-INITIAL_FORMS": 0,
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 20,
    }
    for key in ("report", "records", "site", "masses"):
        data[f"{key}_passed"] = "on"
        data[f"{key}_findings"] = "符合要求"
    data.update(overrides)
    return data


def test_case_cannot_close_without_a_passed_acceptance(users, case):
    measure = with_measure(users.ts_a, case)
    c = client_for(users.ts_a)
    move = reverse("rectification:case_move", args=[case.pk])
    c.post(move, {"to": "rectifying", "version": Case.objects.get(pk=case.pk).version})
    ledger_services.measure_update(actor=users.ts_a, measure=measure, status="done")
    c.post(move, {"to": "accepting", "version": Case.objects.get(pk=case.pk).version})
    assert Case.objects.get(pk=case.pk).phase == Phase.ACCEPTING

    # when: closing by hand, even as the district
    response = client_for(users.ds).post(
        move, {"to": "accepted", "version": Case.objects.get(pk=case.pk).version}, follow=True
    )
    # then: refused with the rule's message
    assert "只有验收通过才能结案" in response.content.decode()
    assert Case.objects.get(pk=case.pk).phase == Phase.ACCEPTING

    # a failed acceptance sends it back with the unsatisfied item as a measure
    fail = acceptance_post(
        satisfied=10,
        basically_satisfied=2,
        unsatisfied=18,
        **{"items-0-text": "路灯未修复", "items-0-deadline": "2026-12-20"},
    )
    response = client_for(users.ds).post(reverse("rectification:acceptance", args=[case.pk]), fail)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.phase == Phase.RECTIFYING and case.closed_on is None
    assert case.problems.filter(measures__text="路灯未修复").exists()

    # and only a passed one closes it and asks for re-grading
    ledger_services.measure_update(actor=users.ts_a, measure=case.problems.last().measures.get(), status="done")
    c.post(move, {"to": "accepting", "version": Case.objects.get(pk=case.pk).version})
    response = client_for(users.ds).post(reverse("rectification:acceptance", args=[case.pk]), acceptance_post())
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.phase == Phase.ACCEPTED and case.regrade_requested_at is not None


def test_acceptance_form_errors_keep_the_input(users, case):
    with_measure(users.ts_a, case)
    response = client_for(users.ds).post(
        reverse("rectification:acceptance", args=[case.pk]), acceptance_post(satisfied=40)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "申请检查验收后才能验收" in html or "S2" in html
    assert "对照方案逐项完成" in html


def test_ledger_forms_create_a_problem_and_a_measure(users, case):
    c = client_for(users.ts_a)
    response = c.post(
        reverse("rectification:problem_create", args=[case.pk]),
        {"category": "no_new_members", "source": "forum", "description": "三年未发展党员"},
    )
    problem = case.problems.get()
    assert response["Location"] == reverse("rectification:measure_create", args=[problem.pk])
    response = c.post(
        reverse("rectification:measure_create", args=[problem.pk]),
        {"text": "确定积极分子", "responsible": "李四", "deadline": "2026-10-01", "budget": "1.50"},
    )
    assert response.status_code == 302
    assert str(problem.measures.get().budget) == "1.50"
    timeline = c.get(reverse("rectification:case_detail", args=[case.pk])).content.decode()
    assert "登记问题:三年未发展党员" in timeline and "制定整改措施:确定积极分子" in timeline


# --- Documents ------------------------------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def pdf_fonts(content: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout


@pytest.mark.parametrize(
    ("name", "by_case", "expected", "detail"),
    [
        ("case_ledger_pdf", True, "东风村党支部整改台账", "新建活动室"),
        ("district_ledger_pdf", False, "全区整改台账", "新建活动室"),
        ("circular_pdf", False, "整顿情况的通报", "东风村党支部"),
    ],
)
def test_pdfs_have_chinese_text_and_an_embedded_cjk_font(users, case, tmp_path, name, by_case, expected, detail):
    with_measure(users.ds, case, deadline=date(2026, 1, 5))
    url = reverse(f"rectification:{name}", args=[case.pk] if by_case else [])
    response = client_for(users.ds).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert expected in text and detail in text
    fonts = pdf_fonts(response.content, tmp_path)
    assert "CJK" in fonts and " yes " in fonts
    assert Event.objects.filter(verb="rectification.export").exists()


def test_acceptance_report_pdf(users, case, tmp_path):
    measure = with_measure(users.ts_a, case)
    case_services.case_transition(actor=users.ts_a, case=case, to="rectifying")
    ledger_services.measure_update(actor=users.ts_a, measure=measure, status="done")
    case_services.case_transition(actor=users.ts_a, case=case, to="accepting")
    client_for(users.ds).post(reverse("rectification:acceptance", args=[case.pk]), acceptance_post())
    acceptance = case.acceptances.get()
    response = client_for(users.sec_a1).get(reverse("rectification:acceptance_pdf", args=[acceptance.pk]))
    text = pdf_text(response.content)
    assert "东风村党支部整顿检查验收报告" in text and "验收通过" in text and "听汇报" in text
    assert client_for(users.ts_b).get(reverse("rectification:acceptance_pdf", args=[acceptance.pk])).status_code == 404


@pytest.mark.parametrize(("name", "by_case"), [("case_ledger_xlsx", True), ("district_ledger_xlsx", False)])
def test_xlsx_opens_with_chinese_headers(users, case, name, by_case):
    with_measure(users.ds, case)
    response = client_for(users.ds).get(reverse(f"rectification:{name}", args=[case.pk] if by_case else []))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    headers = [[c.value for c in ws[1]] for ws in workbook.worksheets]
    assert any("整改措施" in h and "责任人" in h and "预算(万元)" in h for h in headers)
    values = [c.value for ws in workbook.worksheets for row in ws.iter_rows(min_row=2) for c in row]
    assert "新建活动室" in values
    assert Event.objects.filter(verb="rectification.export", after__format="xlsx").count() == 1


# --- Query counts ----------------------------------------------------------------------------------------------------


def _add_case(users, tree, i: int) -> None:
    from organizations.services import tree as org_services

    org = org_services.organization_create(
        actor=None,
        parent=tree.township_a,
        code=f"T01-9{i:02d}",
        name=f"测试第{i}党支部",
        kind=OrgKind.BRANCH,
        check_permission=False,
    )
    with_measure(users.ds, open_weak_case(users.ds, org), deadline=date(2026, 1, 1) + timedelta(days=i))


@pytest.mark.parametrize("name", ["district_board", "township_board"])
def test_board_query_count_is_constant(users, tree, case, name):
    args = [] if name == "district_board" else [tree.township_a.pk]
    c = client_for(users.ds)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(reverse(f"rectification:{name}", args=args)).status_code == 200
        return len(ctx.captured_queries)

    _add_case(users, tree, 0)
    small = count()
    for i in range(1, 8):
        _add_case(users, tree, i)
    assert count() == small
    assert small <= 15


# --- Reminders and the demo ------------------------------------------------------------------------------------------


def test_reminders_once_a_day_for_overdue_and_stalled(users, case, mailoutbox, django_capture_on_commit_callbacks):
    from rectification.services.reminders import reminders_send

    with_measure(users.ds, case, deadline=timezone.localdate() - timedelta(days=3))
    Case.objects.filter(pk=case.pk).update(opened_on=timezone.localdate() - timedelta(days=60))
    users.sec_a1.email = "sec@example.com"
    users.sec_a1.save()

    with django_capture_on_commit_callbacks(execute=True):  # the mail is a delivery, sent on commit
        sent = reminders_send()

    titles = set(Notification.objects.filter(recipient=users.sec_a1).values_list("title", flat=True))
    assert "【整改措施逾期】东风村党支部" in titles
    assert any(t.startswith("【整顿停滞】东风村党支部") for t in titles)
    assert Notification.objects.filter(recipient=users.ts_a).count() == 2
    assert Notification.objects.filter(recipient=users.ds, title__startswith="【整顿提醒】").count() == 1
    assert not Notification.objects.filter(recipient=users.ts_b).exists()
    assert sent and any(m.to == ["sec@example.com"] for m in mailoutbox)
    assert reminders_send() == 0


def test_demo_is_deterministic_and_idempotent(users, tree):
    from rectification.demo.build import build_rectification_demo

    open_weak_case(users.ds, tree.village_a1)
    open_weak_case(users.ds, tree.community_b1)
    first = build_rectification_demo(tree.district, today=date(2026, 9, 1))
    assert first.created and first.problems >= 4 and first.overdue >= 1
    assert Case.objects.filter(phase=Phase.ACCEPTING).count() == 1
    again = build_rectification_demo(tree.district, today=date(2026, 9, 1))
    assert not again.created


@pytest.mark.parametrize(
    ("name", "expected"), [("district_ledger_pdf", "全区整改台账"), ("circular_pdf", "整顿情况的通报")]
)
def test_a_long_district_pdf_is_a_job_with_the_same_document(
    users, case, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks, name, expected
):
    """Issue 15 §7: past DISTRICT_PDF_DIRECT_MAX open cases the GET only says what it will make; 生成 queues a job."""
    from core.models import Job, JobStatus
    from rectification import documents

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(documents, "DISTRICT_PDF_DIRECT_MAX", 0)
    with_measure(users.ds, case, deadline=date(2026, 1, 5))
    ds = client_for(users.ds)
    url = reverse(f"rectification:{name}")
    page = ds.get(url)
    html = page.content.decode()
    assert page["Content-Type"].startswith("text/html") and f'action="{url}"' in html and ">生成</button>" in html
    assert not Job.objects.exists() and not Event.objects.filter(verb="rectification.export").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = ds.post(url)
    job = Job.objects.get()
    assert response["Location"] == reverse("core:job_detail", args=[job.pk]) and job.status == JobStatus.DONE
    text = pdf_text(b"".join(ds.get(reverse("core:job_download", args=[job.pk])).streaming_content))
    assert expected in text and "东风村党支部" in text
    assert Event.objects.filter(verb="rectification.export").exists()
    assert client_for(users.ts_a).post(url).status_code == 403  # the district's documents only
