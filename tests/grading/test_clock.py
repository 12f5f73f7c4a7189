"""The moves the clock makes, read when a page loads and written only by the sweep or the next transition
(issue 15 §5; D1: a notice is over the day after its last day, D2: the grade is final the day after the objection
window's last working day)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grading.models import Assessment, AssessmentStatus, status_now, status_now_q
from grading.rules.grades import status_on
from grading.services import campaigns as services
from grading.services.notices import notice_publish
from grading.services.workflow import Action, catch_up, transition
from tests.calendar_support import seed_test_calendar
from tests.grading.test_workflow import assessment_of, fill_and_submit, score

S = AssessmentStatus
ENDS = date(2026, 4, 8)
DUE = date(2026, 10, 13)


@pytest.mark.parametrize(
    ("status", "today", "expected"),
    [
        (S.IN_NOTICE, ENDS, S.IN_NOTICE),  # the last day of the notice (D1): still open
        (S.IN_NOTICE, date(2026, 4, 9), S.NOTICE_CLOSED),  # the day after
        (S.APPROVED, DUE, S.APPROVED),  # the last working day of the window (D2)
        (S.APPROVED, date(2026, 10, 14), S.FINAL),
        (S.WITH_DISTRICT, date(2027, 1, 1), S.WITH_DISTRICT),  # no clock move
        (S.OBJECTED, date(2027, 1, 1), S.OBJECTED),  # an objection stops the clock
    ],
)
def test_status_on_each_side_of_the_deadlines(status, today, expected):
    assert status_on(status, notice_ends_on=ENDS, objection_due=DUE, today=today) == expected


def test_status_on_without_dates_never_moves():
    assert status_on(S.IN_NOTICE, notice_ends_on=None, objection_due=None, today=date(2030, 1, 1)) == S.IN_NOTICE
    assert status_on(S.APPROVED, notice_ends_on=None, objection_due=None, today=date(2030, 1, 1)) == S.APPROVED


@pytest.fixture
def approved(users, tree):
    seed_test_calendar(2026)
    campaign = services.campaign_open(actor=users.ds, campaign=services.campaign_create(actor=users.ds, year=2026))
    a = score(users.ts_a, fill_and_submit(users.sec_a1, assessment_of(campaign, tree.village_a1)), Decimal("0.95"))
    a = transition(actor=users.ts_a, assessment=a, action=Action.SCORE)
    notice_publish(
        actor=users.ts_a,
        campaign=campaign,
        township=tree.township_a,
        assessments=[a],
        published_on=date(2026, 4, 5),
        cap_reason="全镇仅此一个支部参评",
    )
    a = transition(actor=users.ts_a, assessment=a, action=Action.SUBMIT_TO_DISTRICT, today=date(2026, 4, 20))
    return transition(actor=users.ds, assessment=a, action=Action.APPROVE, today=date(2026, 9, 28))


def test_a_passed_window_reads_final_in_sql_and_in_memory_without_a_write(approved):
    qs = Assessment.objects.filter(pk=approved.pk)
    with CaptureQueriesContext(connection) as queries:
        inside = qs.annotate(now=status_now(DUE)).get().now
        after = qs.annotate(now=status_now(date(2026, 10, 14))).get().now
        final_after = qs.filter(status_now_q([S.FINAL], date(2026, 10, 14))).exists()
        final_inside = qs.filter(status_now_q([S.FINAL], DUE)).exists()
        approved_inside = qs.filter(status_now_q([S.APPROVED], DUE)).exists()
        read = qs.select_related("notice").get().as_of(date(2026, 10, 14))
    assert (inside, after) == (S.APPROVED, S.FINAL)
    assert final_after and not final_inside and approved_inside
    assert read.status == S.FINAL and read.final_grade == "good" and read.nominable_as_advanced
    assert all(q["sql"].startswith("SELECT") for q in queries)
    assert Assessment.objects.get(pk=approved.pk).status == S.APPROVED  # nothing written

    # the sweep writes what the pages read
    assert catch_up(today=date(2026, 10, 14)) == 1
    stored = Assessment.objects.get(pk=approved.pk)
    assert (stored.status, stored.final_grade, stored.nominable_as_advanced) == (S.FINAL, "good", True)
