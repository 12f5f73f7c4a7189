"""The Assessment state machine end to end through its services, and the clock moves without any worker."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import Event
from grading import events
from grading.models import Assessment, AssessmentStatus, GradeRecord, Item
from grading.services import campaigns as services
from grading.services.assessments import scoring_sheet, self_assessment_save, township_scores_save
from grading.services.notices import notice_objection_answer, notice_objection_record, notice_publish
from grading.services.workflow import Action, allowed_actions, catch_up, transition
from tests.calendar_support import seed_test_calendar

S = AssessmentStatus


@pytest.fixture
def campaign(users, tree):
    seed_test_calendar(2026)
    c = services.campaign_create(actor=users.ds, year=2026)
    return services.campaign_open(actor=users.ds, campaign=c)


def assessment_of(campaign, org) -> Assessment:
    return Assessment.objects.select_related("organization", "campaign").get(campaign=campaign, organization=org)


def fill_and_submit(user, a: Assessment, *, points: str = "18") -> Assessment:
    items = Item.objects.filter(dimension__template=a.template, is_veto=False)
    a = self_assessment_save(
        actor=user,
        assessment=a,
        expected_version=a.version,
        report={f: "内容" for f in ("basic_situation", "self_building", "role_played", "problems", "measures")},
        meeting={"held_on": date(2026, 3, 20), "place": "村委会"},
        tally={"member": {"attendees": 10, "good": 6, "fairly_good": 3, "average": 1, "poor": 0}},
        item_scores={i.pk: (min(Decimal(points), i.max_points), "") for i in items},
        committee={
            "self_grade": "good",
            "committee_met_on": date(2026, 3, 25),
            "committee_for": 5,
            "committee_against": 0,
            "committee_abstain": 0,
        },
    )
    return transition(actor=user, assessment=a, action=Action.SUBMIT)


def score(user, a: Assessment, per_item_share: Decimal) -> Assessment:
    items = Item.objects.filter(dimension__template=a.template, is_veto=False)
    return township_scores_save(
        actor=user,
        assessment=a,
        expected_version=a.version,
        item_scores={i.pk: ((i.max_points * per_item_share).quantize(Decimal("0.1")), "") for i in items},
    )


def test_opening_creates_assessments_for_graded_orgs(campaign, tree):
    orgs = set(Assessment.objects.filter(campaign=campaign).values_list("organization__code", flat=True))
    assert orgs == {"T01-001", "T01-002", "T01-002-01", "T02-001"}


def test_full_cycle(campaign, users, tree, django_capture_on_commit_callbacks):
    finalized: list[int] = []
    events.on_grade_finalized(finalized.append)
    a = assessment_of(campaign, tree.village_a1)
    with pytest.raises(ValidationError) as problems:
        transition(actor=users.sec_a1, assessment=a, action=Action.SUBMIT)
    assert any("附件1" in m for m in problems.value.messages)

    a = fill_and_submit(users.sec_a1, a)
    assert a.status == S.SUBMITTED and a.self_score is not None
    with pytest.raises(ValidationError, match="不能再修改"):
        self_assessment_save(actor=users.sec_a1, assessment=a, expected_version=a.version, report={"problems": "x"})

    # township returns it with a reason, secretary resubmits
    with pytest.raises(ValidationError, match="原因"):
        transition(actor=users.ts_a, assessment=a, action=Action.RETURN)
    a = transition(actor=users.ts_a, assessment=a, action=Action.RETURN, note="测评票数有误")
    assert a.status == S.RETURNED and a.returned_reason == "测评票数有误"
    a = transition(actor=users.sec_a1, assessment=a, action=Action.SUBMIT)

    a = score(users.ts_a, a, Decimal("0.9"))  # 90 points → 好
    assert a.township_score == Decimal("90.0") and a.township_grade == "good"
    a = transition(actor=users.ts_a, assessment=a, action=Action.SCORE)

    notice = notice_publish(
        actor=users.ts_a,
        campaign=campaign,
        township=tree.township_a,
        assessments=[a],
        published_on=date(2026, 4, 5),
        cap_reason="全镇仅此一个支部参评",
    )
    assert (notice.starts_on, notice.ends_on) == (date(2026, 4, 6), date(2026, 4, 8))  # D1
    a.refresh_from_db()
    assert a.status == S.IN_NOTICE
    objection = notice_objection_record(
        actor=users.ts_a, assessment=a, raised_by_name="群众甲", content="有意见", raised_on=date(2026, 4, 7)
    )

    # the notice closes by the clock alone
    assert catch_up(today=date(2026, 4, 8)) == 0
    assert catch_up(today=date(2026, 4, 9)) == 1
    a.refresh_from_db()
    assert a.status == S.NOTICE_CLOSED
    assert Event.objects.filter(verb="grading.notice_closed", target_id=str(a.pk), actor__isnull=True).exists()

    with pytest.raises(ValidationError, match="异议尚未答复"):
        transition(actor=users.ts_a, assessment=a, action=Action.SUBMIT_TO_DISTRICT)
    notice_objection_answer(actor=users.ts_a, objection=objection, upheld=False, answer="经核实不成立")
    a = transition(actor=users.ts_a, assessment=a, action=Action.SUBMIT_TO_DISTRICT)

    with pytest.raises(ValidationError, match="调整理由"):
        transition(actor=users.ds, assessment=a, action=Action.APPROVE, grade="fairly_good")
    a = transition(actor=users.ds, assessment=a, action=Action.APPROVE, grade="good", today=date(2026, 9, 28))
    assert a.objection_due == date(2026, 10, 13)  # 7 working days after 2026-09-28 (D2, 10-10 is a workday)
    assert finalized == []

    catch_up(today=date(2026, 10, 13))
    a.refresh_from_db()
    assert a.status == S.APPROVED
    with django_capture_on_commit_callbacks(execute=True):
        catch_up(today=date(2026, 10, 14))
    a.refresh_from_db()
    assert a.status == S.FINAL and a.final_grade == "good" and a.nominable_as_advanced
    assert finalized == [a.pk]
    assert list(GradeRecord.objects.filter(organization=tree.village_a1).values_list("grade", flat=True)) == [
        "good",
        "good",
    ]


def test_objection_within_window_and_reregrade(campaign, users, tree):
    a = fill_and_submit(users.sec_a1, assessment_of(campaign, tree.village_a1))
    a = score(users.ts_a, a, Decimal("0.55"))  # 55 → 较差
    assert a.township_grade == "poor"
    a = transition(actor=users.ts_a, assessment=a, action=Action.SCORE)
    notice_publish(
        actor=users.ts_a, campaign=campaign, township=tree.township_a, assessments=[a], published_on=date(2026, 4, 5)
    )
    catch_up(today=date(2026, 4, 20))
    a = transition(
        actor=users.ts_a, assessment=assessment_of(campaign, tree.village_a1), action=Action.SUBMIT_TO_DISTRICT
    )
    a = transition(actor=users.ds, assessment=a, action=Action.APPROVE, today=date(2026, 4, 21))
    a = transition(actor=users.sec_a1, assessment=a, action=Action.OBJECT, note="扣分依据不足", today=date(2026, 4, 22))
    assert a.status == S.OBJECTED
    a = transition(
        actor=users.ds, assessment=a, action=Action.RESOLVE_OBJECTION, note="复核后调整", upheld=True, grade="average"
    )
    assert a.status == S.FINAL and a.final_grade == "average"
    assert a.objections.get().outcome == "upheld"


def test_objection_after_window_refused(campaign, users, tree):
    a = fill_and_submit(users.sec_a1, assessment_of(campaign, tree.village_a1))
    a = transition(actor=users.ts_a, assessment=score(users.ts_a, a, Decimal("0.85")), action=Action.SCORE)
    notice_publish(
        actor=users.ts_a, campaign=campaign, township=tree.township_a, assessments=[a], published_on=date(2026, 4, 5)
    )
    catch_up(today=date(2026, 4, 20))
    a = transition(
        actor=users.ts_a, assessment=assessment_of(campaign, tree.village_a1), action=Action.SUBMIT_TO_DISTRICT
    )
    a = transition(actor=users.ds, assessment=a, action=Action.APPROVE, today=date(2026, 9, 28))
    with pytest.raises(ValidationError, match="异议期"):
        transition(actor=users.sec_a1, assessment=a, action=Action.OBJECT, note="晚了", today=date(2026, 10, 14))


def test_stale_save_refused_and_first_kept(campaign, users, tree):
    a = assessment_of(campaign, tree.village_a1)
    seen = a.version
    self_assessment_save(actor=users.sec_a1, assessment=a, expected_version=seen, report={"problems": "第一次"})
    with pytest.raises(ValidationError, match="未保存"):
        self_assessment_save(actor=users.sec_a1, assessment=a, expected_version=seen, report={"problems": "第二次"})
    assert a.report.__class__.objects.get(assessment=a).problems == "第一次"


def test_permissions_and_scope(campaign, users, tree):
    a = assessment_of(campaign, tree.village_a1)
    with pytest.raises(PermissionDenied):
        self_assessment_save(actor=users.ts_a, assessment=a, expected_version=None, report={"problems": "x"})
    with pytest.raises(PermissionDenied):
        self_assessment_save(actor=users.sec_b1, assessment=a, expected_version=None, report={"problems": "x"})
    assert allowed_actions(users.sec_a1, a) == [Action.SUBMIT]
    assert allowed_actions(users.ts_b, a) == []


def test_item_above_maximum_refused(campaign, users, tree):
    a = assessment_of(campaign, tree.village_a1)
    item = Item.objects.filter(dimension__template=a.template, is_veto=False).first()
    with pytest.raises(ValidationError, match="超过该项满分"):
        self_assessment_save(
            actor=users.sec_a1,
            assessment=a,
            expected_version=a.version,
            item_scores={item.pk: (str(item.max_points + 1), "")},
        )


def test_veto_forces_poor(campaign, users, tree):
    a = fill_and_submit(users.sec_a1, assessment_of(campaign, tree.village_a1))
    veto = Item.objects.filter(dimension__template=a.template, is_veto=True).first()
    items = Item.objects.filter(dimension__template=a.template, is_veto=False)
    a = township_scores_save(
        actor=users.ts_a,
        assessment=a,
        expected_version=a.version,
        item_scores={i.pk: (i.max_points, "") for i in items},
        vetoes={veto.pk: True},
    )
    assert a.township_score == Decimal("100.0") and a.township_vetoed and a.township_grade == "poor"
    with pytest.raises(ValidationError, match="一票否决"):
        township_scores_save(
            actor=users.ts_a,
            assessment=a,
            expected_version=a.version,
            item_scores={},
            vetoes={veto.pk: True},
            grade="good",
            override_reason="x",
        )
    sheet = scoring_sheet(a)
    assert len(sheet) == 5


def test_publish_rechecks_a_sheet_edited_after_scoring(campaign, users, tree):
    a = fill_and_submit(users.sec_a1, assessment_of(campaign, tree.village_a1))
    a = transition(actor=users.ts_a, assessment=score(users.ts_a, a, Decimal("0.85")), action=Action.SCORE)
    item = Item.objects.filter(dimension__template=a.template, is_veto=False).first()
    a = township_scores_save(
        actor=users.ts_a, assessment=a, expected_version=a.version, item_scores={item.pk: ("", "")}
    )
    with pytest.raises(ValidationError, match="未打分"):
        notice_publish(actor=users.ts_a, campaign=campaign, township=tree.township_a, assessments=[a])
