"""The district's review (第一篇 三(一)3): (1) how it checked a township's submission (实地了解, 召开座谈会, 个别访谈,
听取纪检部门意见), recorded with date, notes and an attachment, shown on the review page and printed on the circular;
(2) "如有重大信息遗漏、重大判断失误等情况,由区委组织部对原评价结果作出重新调整": a final grade re-adjusted outside an
objection, district only, with its ground and reason, in the grade history, the category following."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Event
from grading import events
from grading.documents.circular import circular_pdf_bytes
from grading.models import Assessment, AssessmentStatus, GradeRecord, ReviewEvidence
from grading.rules import grades as rules
from grading.services import campaigns as services
from grading.services.review_evidence import review_evidence_add
from grading.services.workflow import Action, allowed_actions, transition
from tests.calendar_support import seed_test_calendar

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def campaign(users, tree):
    seed_test_calendar(2026)
    return services.campaign_open(actor=users.ds, campaign=services.campaign_create(actor=users.ds, year=2026))


def final(campaign, org, grade: str = "average", score: str = "72.0") -> Assessment:
    """An assessment whose grade became final (the window passed): the state the re-adjustment starts from."""
    a = Assessment.objects.get(campaign=campaign, organization=org)
    Assessment.objects.filter(pk=a.pk).update(
        status=AssessmentStatus.FINAL,
        township_grade=grade,
        township_score=Decimal(score),
        district_grade=grade,
        final_grade=grade,
        final_score=Decimal(score),
    )
    return Assessment.objects.select_related("organization", "campaign").get(pk=a.pk)


def pdf_text(content: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def test_the_district_records_a_check_with_an_attachment(campaign, users, tree, settings, tmp_path):
    """第一篇 三(一)3(1): 实地了解 and 听取纪检部门意见, each with date, notes and a file (grading's upload policy)."""
    settings.MEDIA_ROOT = tmp_path
    a1 = Assessment.objects.get(campaign=campaign, organization=tree.village_a1)
    row = review_evidence_add(
        actor=users.ds,
        campaign=campaign,
        township=tree.township_a,
        method="site_visit",
        held_on=date(2026, 4, 15),
        notes="到东风村查看活动阵地和台账",
        upload=SimpleUploadedFile("台账照片.pdf", PDF, content_type="application/pdf"),
        assessment=a1,
    )
    assert row.original_name == "台账照片.pdf" and row.file.name.endswith(".pdf")
    assert Event.objects.filter(verb="grading.review_evidence", target_id=str(row.pk)).exists()
    review_evidence_add(
        actor=users.ds,
        campaign=campaign,
        township=tree.township_a,
        method="discipline",
        held_on=date(2026, 4, 16),
        notes="纪委监委:无违纪问题线索",
    )
    text = pdf_text(circular_pdf_bytes(campaign))
    assert "综合考评情况" in text and "实地了解" in text and "听取纪检部门意见" in text


def test_only_the_district_records_checks_and_in_words(campaign, users, tree):
    kwargs = {"campaign": campaign, "township": tree.township_a, "held_on": date(2026, 4, 15), "notes": "座谈"}
    with pytest.raises(PermissionDenied):
        review_evidence_add(actor=users.ts_a, method="forum", **kwargs)
    with pytest.raises(ValidationError, match="请选择考评方式"):
        review_evidence_add(actor=users.ds, method="phone", **kwargs)
    with pytest.raises(ValidationError, match="格式|内容"):
        review_evidence_add(
            actor=users.ds, method="forum", upload=SimpleUploadedFile("a.pdf", b"not a pdf at all"), **kwargs
        )
    assert not ReviewEvidence.objects.exists()


def test_the_review_page_shows_the_checks_and_leads_to_the_form(client, campaign, users, tree):
    review_evidence_add(
        actor=users.ds,
        campaign=campaign,
        township=tree.township_a,
        method="interview",
        held_on=date(2026, 4, 15),
        notes="与村党支部书记个别谈话",
    )
    client.force_login(users.ds)
    page = client.get(reverse("grading:district_review", args=[campaign.pk])).content.decode()
    url = reverse("grading:review_evidence", args=[campaign.pk, tree.township_a.pk])
    assert url in page and "已记录1次" in page
    form = client.get(url).content.decode()
    assert "个别访谈" in form and "与村党支部书记个别谈话" in form
    done = client.post(url, {"method": "forum", "held_on": "2026-04-16", "notes": "召开村民代表座谈会"}, follow=True)
    assert "考评情况已记录" in done.content.decode()
    client.force_login(users.ts_a)
    assert client.get(url).status_code == 403


def test_the_district_readjusts_a_final_grade_for_a_misjudgment(
    campaign, users, tree, django_capture_on_commit_callbacks
):
    """第一篇 三(一)3(2): outside an objection, with the ground and the reason, in the history; the grade-finalized
    event fires so that rectification's category follows (一般 → 较差: 软弱涣散, C3)."""
    finalized: list[int] = []
    events.on_grade_finalized(finalized.append)
    a = final(campaign, tree.village_a1)
    assert Action.READJUST in allowed_actions(users.ds, a)
    assert Action.READJUST not in allowed_actions(users.ts_a, a)
    with pytest.raises(PermissionDenied):
        transition(actor=users.ts_a, assessment=a, action=Action.READJUST, grade="poor", ground="omission", note="x")
    with django_capture_on_commit_callbacks(execute=True):
        a = transition(
            actor=users.ds,
            assessment=a,
            action=Action.READJUST,
            grade="poor",
            ground="omission",
            note="信访材料反映班子长期不团结,初评时未掌握",
        )
    assert a.status == AssessmentStatus.FINAL and a.final_grade == "poor"
    record = GradeRecord.objects.get(assessment=a, stage=GradeRecord.READJUSTED)
    assert record.grade == "poor" and record.reason == "重大信息遗漏:信访材料反映班子长期不团结,初评时未掌握"
    assert finalized == [a.pk]
    assert Event.objects.filter(verb="grading.readjust", target_id=str(a.pk)).exists()


def test_readjusting_is_refused_before_the_grade_is_final_and_without_a_reason(campaign, users, tree):
    a = Assessment.objects.get(campaign=campaign, organization=tree.village_a1)
    with pytest.raises(ValidationError, match="不能重新调整等次"):
        transition(actor=users.ds, assessment=a, action=Action.READJUST, grade="poor", ground="omission", note="x")
    a = final(campaign, tree.village_a1)
    with pytest.raises(ValidationError, match="请写明重新调整的理由"):
        transition(actor=users.ds, assessment=a, action=Action.READJUST, grade="poor", ground="omission", note=" ")
    with pytest.raises(ValidationError, match="无需调整"):
        transition(
            actor=users.ds, assessment=a, action=Action.READJUST, grade="average", ground="misjudgment", note="x"
        )


def test_the_readjust_page_asks_for_confirmation_and_is_the_districts(client, campaign, users, tree):
    a = final(campaign, tree.village_a1)
    client.force_login(users.ds)
    detail = client.get(reverse("grading:assessment_detail", args=[a.pk])).content.decode()
    url = reverse("grading:grade_readjust", args=[a.pk])
    assert url in detail
    page = client.get(url).content.decode()
    assert "data-confirm" in page and "重大判断失误" in page
    done = client.post(url, {"ground": "misjudgment", "grade": "fairly_good", "note": "复查得分漏计"}, follow=True)
    assert "已重新调整为“较好”" in done.content.decode()
    client.force_login(users.ts_a)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    ("ground", "reason", "grade", "current", "vetoed", "message"),
    [
        ("omission", "遗漏", "poor", "average", False, None),
        ("misjudgment", "误判", "good", "fairly_good", False, None),
        ("other", "理由", "poor", "average", False, "请选择重新调整的原因"),
        ("omission", "  ", "poor", "average", False, "请写明重新调整的理由"),
        ("omission", "遗漏", "", "average", False, "请选择调整后的等次"),
        ("omission", "遗漏", "average", "average", False, "无需调整"),
        ("misjudgment", "误判", "average", "poor", True, "一票否决"),
    ],
)
def test_readjust_problem_rule(ground, reason, grade, current, vetoed, message):
    """The pure rule behind it: the plan's two grounds (重大信息遗漏, 重大判断失误), a reason, a real change, C4."""
    found = rules.readjust_problem(ground=ground, reason=reason, grade=grade, current=current, vetoed=vetoed)
    assert (found is None) if message is None else (message in found)
