"""From a passed acceptance to the re-grade: exactly one request per closed case, the district's decision re-sets the
category with history, and a case closed before the grade is final files when it becomes final."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from core.models import Event
from grading.events import publish_grade_finalized
from grading.models import Assessment, AssessmentStatus, GradeRecord, RegradeRequest
from grading.rules.grades import Category
from grading.services import regrade as yearend_regrade
from grading.services import yearend
from rectification.models import Case, CategoryAssignment, RegradeStatus
from rectification.rules.cases import Phase
from rectification.services import acceptance as acceptance_services
from rectification.services import cases as case_services
from rectification.services import ledger as ledger_services
from rectification.services import regrade
from rectification.services.categories import current_category
from tests.rectification.test_services import accept, ledger

pytestmark = pytest.mark.django_db


def close(actor, case: Case, accepter, *, held_on=date(2026, 9, 25)) -> Case:
    """Ledger done, into 检查验收, and a passed acceptance."""
    for m in ledger(actor, case, measures=1):
        ledger_services.measure_update(actor=actor, measure=m, status="done")
    case_services.case_transition(actor=actor, case=case, to=Phase.RECTIFYING)
    case_services.case_transition(actor=actor, case=case, to=Phase.ACCEPTING)
    assert accept(accepter, case, held_on=held_on).passed
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def weak_b1(finalize, tree) -> tuple[Assessment, Case]:
    a = finalize({tree.community_b1: "poor"})[tree.community_b1]
    return a, Case.objects.get(organization=tree.community_b1)


def test_passed_acceptance_files_exactly_one_request(users, weak_b1, django_capture_on_commit_callbacks):
    a, case = weak_b1
    # when: the district accepts the 软弱涣散 case
    case = close(users.ts_b, case, users.ds)
    # then: one up request on the final assessment, linked to the case
    req = RegradeRequest.objects.get(assessment=a)
    assert case.regrade_status == RegradeStatus.FILED and case.regrade_request == req
    assert req.direction == "up" and req.reason.startswith("整顿验收通过:2026年度整顿2026年9月25日检查验收通过")
    assert Assessment.objects.get(pk=a.pk).status == AssessmentStatus.REGRADE_REQUESTED
    assert not yearend.written_report_missing(req)  # a successful rectification needs no 整顿不力 report
    assert Event.objects.filter(verb="rectification.regrade_filed", target_id=str(case.pk)).count() == 1
    # filing again, the sweep, a republished grade: still one
    assert regrade.regrade_file(case=case) == req
    assert regrade.regrade_catch_up() == 0
    with django_capture_on_commit_callbacks(execute=True):
        publish_grade_finalized(a.pk)
    assert RegradeRequest.objects.filter(assessment=a).count() == 1


def test_district_decision_regrades_and_recategorizes_with_history(users, weak_b1, django_capture_on_commit_callbacks):
    a, case = weak_b1
    case = close(users.ts_b, case, users.ds)
    # when: the district re-grades on its year-end page's service
    with django_capture_on_commit_callbacks(execute=True):
        yearend_regrade.regrade_decide(
            actor=users.ds, request=case.regrade_request, grade="average", opinion="整顿转化到位"
        )
    # then: the final grade, its history, and the category (with its history) follow
    a.refresh_from_db()
    assert a.status == AssessmentStatus.FINAL and a.final_grade == "average"
    assert list(GradeRecord.objects.filter(assessment=a).order_by("pk").values_list("grade", flat=True))[-2:] == [
        "poor",
        "average",
    ]
    assert current_category(a.organization) == Category.LAGGING
    history = list(
        CategoryAssignment.objects.filter(organization=a.organization).order_by("pk").values_list("category", flat=True)
    )
    assert history == [Category.WEAK, Category.LAGGING]
    # the re-grade opens no new case and files nothing new
    assert Case.objects.filter(organization=a.organization).count() == 1
    assert RegradeRequest.objects.filter(assessment=a).count() == 1


def test_failed_acceptance_files_nothing(users, weak_b1):
    a, case = weak_b1
    for m in ledger(users.ts_b, case, measures=1):
        ledger_services.measure_update(actor=users.ts_b, measure=m, status="done")
    case_services.case_transition(actor=users.ts_b, case=case, to=Phase.RECTIFYING)
    case_services.case_transition(actor=users.ts_b, case=case, to=Phase.ACCEPTING)
    accept(users.ds, case, satisfied=10, items=[acceptance_services.UnsatisfiedItem("x", date(2026, 10, 31))])
    assert not RegradeRequest.objects.exists()
    assert Case.objects.get(pk=case.pk).regrade_status == ""


def test_acceptance_after_the_township_deadline_still_files(users, weak_b1, monkeypatch):
    from django.utils import timezone

    a, case = weak_b1
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 12, 18))
    case = close(users.ts_b, case, users.ds, held_on=date(2026, 12, 18))
    assert case.regrade_status == RegradeStatus.FILED


def test_case_closed_before_the_grade_is_final_files_when_it_is(
    users, tree, finalize, django_capture_on_commit_callbacks
):
    # given: A1 set 软弱涣散 by hand while the campaign runs (its assessment is a draft)
    case_services.category_set_by_hand(
        actor=users.ds, organization=tree.village_a1, year=2026, category=Category.WEAK, reason="信访矛盾集中"
    )
    case = close(users.ts_a, Case.objects.get(organization=tree.village_a1), users.ds)
    # then: pending, shown with why
    assert case.regrade_status == RegradeStatus.PENDING and "等次尚未确定" in case.regrade_note
    assert not RegradeRequest.objects.exists()
    assert regrade.regrade_catch_up() == 0  # still nothing final
    # when: the campaign gives A1 its final grade (一般)
    a = finalize({tree.village_a1: "average"})[tree.village_a1]
    # then: the subscriber filed the request on it, once
    case.refresh_from_db()
    assert case.regrade_status == RegradeStatus.FILED
    assert RegradeRequest.objects.get(assessment=a) == case.regrade_request
    assert regrade.regrade_catch_up() == 0


def test_already_good_needs_no_regrade(users, tree, finalize, regrade):
    # given: a 后进 case, and meanwhile the township's own request moved the grade to 好
    a = finalize({tree.village_a1: "average"})[tree.village_a1]
    case = case_services.case_open_by_hand(actor=users.ts_a, organization=tree.village_a1, year=2026, reason="x")
    regrade(a, "good")
    RegradeRequest.objects.all().delete()
    case = close(users.ts_a, case, users.ts_a)  # a 后进 case: the township accepts
    assert case.regrade_status == RegradeStatus.NOT_NEEDED and "好" in case.regrade_note
    assert not RegradeRequest.objects.exists()


def test_lagging_case_accepted_by_the_township_files_as_the_township(users, tree, finalize):
    a = finalize({tree.branch_a21: "average"})[tree.branch_a21]
    case = case_services.case_open_by_hand(actor=users.ts_a, organization=tree.branch_a21, year=2026, reason="后进")
    case = close(users.ts_a, case, users.ts_a)
    req = RegradeRequest.objects.get(assessment=a)
    assert case.regrade_request == req and req.requested_by == users.ts_a


def test_accepter_without_rights_keeps_it_pending(users, weak_b1, monkeypatch):
    a, case = weak_b1

    def refuse(**kwargs):
        raise PermissionDenied("无权申请")

    monkeypatch.setattr(yearend, "regrade_request_from_rectification", refuse)
    case = close(users.ts_b, case, users.ds)
    assert case.phase == Phase.ACCEPTED and case.regrade_status == RegradeStatus.PENDING
    assert "无权申请" in case.regrade_note and not RegradeRequest.objects.exists()


@pytest.mark.parametrize(("who", "link"), [("ds", True), ("ts_b", False), ("sec_b1", False)])
def test_case_page_shows_the_filed_request(users, weak_b1, who, link):
    from django.urls import reverse

    from tests.rectification.test_pages import client_for

    a, case = weak_b1
    case = close(users.ts_b, case, users.ds)
    page = client_for(getattr(users, who)).get(reverse("rectification:case_detail", args=[case.pk])).content.decode()
    assert "已报区委组织部复核" in page and "待区委组织部复核定级" in page
    regrade_url = reverse("grading:district_regrade", kwargs={"campaign_pk": a.campaign_id})
    assert (regrade_url in page) is link


def test_pending_case_offers_the_township_its_request_form(users, weak_b1, monkeypatch):
    from django.urls import reverse

    from tests.rectification.test_pages import client_for

    a, case = weak_b1
    monkeypatch.setattr(
        yearend, "regrade_request_from_rectification", lambda **kw: (_ for _ in ()).throw(PermissionDenied("x"))
    )
    case = close(users.ts_b, case, users.ds)
    url = reverse("rectification:case_detail", args=[case.pk])
    form = reverse("grading:regrade_request", args=[a.pk])
    assert form in client_for(users.ts_b).get(url).content.decode()
    assert form not in client_for(users.ds).get(url).content.decode()
