"""附件5 read for the district workbook in two queries: the same rows, ranks and 好-vote shares as per township."""

# ruff: noqa: F811  (fixtures imported from the grading tests and requested by name)

from __future__ import annotations

from collections import defaultdict

import pytest

from grading import rules
from grading.documents_summary import _good_shares, summary_rows, summary_rows_by_township, townships
from grading.models import MeetingTallyRow
from tests.grading.test_documents import graded, media  # noqa: F401
from tests.grading.test_workflow import campaign  # noqa: F401

pytestmark = pytest.mark.django_db


def shares_by_rules(campaign) -> dict[int, object]:
    """The share as ``rules.tally_meeting`` gives it, assessment by assessment (what the SQL sums must equal)."""
    ballots: dict[int, dict] = defaultdict(dict)
    attendees: dict[int, dict] = defaultdict(dict)
    for row in MeetingTallyRow.objects.filter(meeting__assessment__campaign=campaign).select_related("meeting"):
        a = row.meeting.assessment_id
        ballots[a][row.category] = dict(
            zip(rules.GRADE_ORDER, (row.good, row.fairly_good, row.average, row.poor), strict=True)
        )
        attendees[a][row.category] = row.attendees
    shares = {}
    for a, by_category in ballots.items():
        try:
            tally = rules.tally_meeting(by_category, attendees[a])
        except rules.RuleViolation:
            continue
        if tally.ballots:
            shares[a] = tally.shares[rules.Grade.GOOD]
    return shares


def test_good_shares_equal_the_rules_tally(campaign, graded):
    expected = shares_by_rules(campaign)
    assert len(expected) == 3
    assert _good_shares(campaign, "") == expected
    # a category returning more ballots than it had attendees: the rules refuse the tally, so no share
    a1 = graded["a1"]
    row = MeetingTallyRow.objects.filter(meeting__assessment=a1).first()
    MeetingTallyRow.objects.filter(pk=row.pk).update(attendees=0, good=row.good + 1)
    # and a meeting where no ballot came back: no share either
    MeetingTallyRow.objects.filter(meeting__assessment=graded["a2"]).update(good=0, fairly_good=0, average=0, poor=0)
    expected = shares_by_rules(campaign)
    assert a1.pk not in expected and graded["a2"].pk not in expected and len(expected) == 1
    assert _good_shares(campaign, "") == expected


def test_rows_of_every_township_at_once_equal_each_townships(campaign, graded):
    towns = townships()
    together = summary_rows_by_township(campaign, towns)
    assert [t for t, _ in together] == towns
    for township, rows in together:
        alone = summary_rows(campaign, township)
        assert [(r.number, r.assessment.pk, r.rank, r.good_share, r.remark, r.cells()) for r in rows] == [
            (r.number, r.assessment.pk, r.rank, r.good_share, r.remark, r.cells()) for r in alone
        ]
