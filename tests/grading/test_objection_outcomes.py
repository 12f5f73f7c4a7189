"""An objection's outcome moves through one table and one service (issue 13): pending → upheld or rejected, once,
by the township during its notice and by the district after its approval."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grading.models import ObjectionOutcome, ObjectionStage
from grading.services import campaigns as services
from grading.services.notices import notice_objection_answer, notice_objection_record, notice_publish
from grading.services.outcomes import OUTCOME_MOVES, objection_answer
from grading.services.workflow import Action, transition
from organizations.roles import Perm
from tests.calendar_support import seed_test_calendar
from tests.grading.test_workflow import assessment_of, fill_and_submit, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(users, tree):
    seed_test_calendar(2026)
    return services.campaign_open(actor=users.ds, campaign=services.campaign_create(actor=users.ds, year=2026))


def test_every_stage_has_both_answers_from_pending_only():
    for stage in ObjectionStage.values:
        for upheld, target in ((True, ObjectionOutcome.UPHELD), (False, ObjectionOutcome.REJECTED)):
            move = OUTCOME_MOVES[(stage, upheld)]
            assert move.sources == {ObjectionOutcome.PENDING} and move.target == target
    assert OUTCOME_MOVES[(ObjectionStage.NOTICE, True)].perm == Perm.SCORE_GRADES
    assert OUTCOME_MOVES[(ObjectionStage.DISTRICT, False)].perm == Perm.REVIEW_GRADES


def _notice_objection(campaign, users, tree):
    a = fill_and_submit(users.sec_a1, assessment_of(campaign, tree.village_a1))
    a = transition(actor=users.ts_a, assessment=score(users.ts_a, a, Decimal("0.85")), action=Action.SCORE)
    notice_publish(
        actor=users.ts_a, campaign=campaign, township=tree.township_a, assessments=[a], published_on=date(2026, 4, 5)
    )
    a.refresh_from_db()
    return notice_objection_record(
        actor=users.ts_a, assessment=a, raised_by_name="群众甲", content="有意见", raised_on=date(2026, 4, 7)
    )


def test_a_notice_objection_is_answered_once_and_by_the_township_only(campaign, users, tree):
    objection = _notice_objection(campaign, users, tree)
    with pytest.raises(PermissionDenied):
        objection_answer(actor=users.sec_a1, objection=objection, upheld=True, answer="成立")
    answered = notice_objection_answer(actor=users.ts_a, objection=objection, upheld=True, answer="经核实成立")
    assert answered.outcome == ObjectionOutcome.UPHELD and answered.answered_by == users.ts_a
    with pytest.raises(ValidationError, match="该异议已答复"):  # a second tab that still shows it pending
        notice_objection_answer(actor=users.ts_a, objection=objection, upheld=False, answer="不成立")
    objection.refresh_from_db()
    assert objection.outcome == ObjectionOutcome.UPHELD and objection.answer == "经核实成立"
