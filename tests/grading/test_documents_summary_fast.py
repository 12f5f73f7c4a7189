"""附件5 read for the district workbook in one query: the same rows, ranks and 好-vote shares as per township; the
share stored on the assessment (Assessment.good_share) equals 附件2's tally of its rows, whoever wrote them."""

# ruff: noqa: F811  (fixtures imported from the grading tests and requested by name)

from __future__ import annotations

from collections import defaultdict

import pytest
from django.core.exceptions import ValidationError

from grading.documents.summary import summary_rows, summary_rows_by_township, townships
from grading.models import Assessment, AssessmentStatus, AttendeeCategory, MeetingTallyRow
from grading.rules import counting as counting_rules
from grading.rules import grades as grade_rules
from grading.services.assessments import self_assessment_save
from tests.grading.test_documents import graded, media  # noqa: F401
from tests.grading.test_workflow import campaign  # noqa: F401

pytestmark = pytest.mark.django_db


def shares_by_rules(campaign=None) -> dict[int, object]:
    """The share as ``counting_rules.tally_meeting`` gives it, assessment by assessment (what the stored one must
    equal), of one campaign or of all."""
    ballots: dict[int, dict] = defaultdict(dict)
    attendees: dict[int, dict] = defaultdict(dict)
    rows = MeetingTallyRow.objects.select_related("meeting")
    if campaign is not None:
        rows = rows.filter(meeting__assessment__campaign=campaign)
    for row in rows:
        a = row.meeting.assessment_id
        ballots[a][row.category] = dict(
            zip(grade_rules.GRADE_ORDER, (row.good, row.fairly_good, row.average, row.poor), strict=True)
        )
        attendees[a][row.category] = row.attendees
    shares = {}
    for a, by_category in ballots.items():
        try:
            tally = counting_rules.tally_meeting(by_category, attendees[a])
        except grade_rules.RuleViolation:
            continue
        if tally.ballots:
            shares[a] = tally.shares[grade_rules.Grade.GOOD]
    return shares


def stored_shares(campaign=None) -> dict[int, object]:
    stored = Assessment.objects.filter(good_share__isnull=False)
    if campaign is not None:
        stored = stored.filter(campaign=campaign)
    return dict(stored.values_list("pk", "good_share"))


def test_stored_share_equals_the_rules_tally_after_every_save(campaign, graded, users):
    expected = shares_by_rules(campaign)
    assert len(expected) == 3
    assert stored_shares(campaign) == expected
    # the secretary corrects the tally: the stored share follows
    a1 = Assessment.objects.get(pk=graded["a1"].pk)
    Assessment.objects.filter(pk=a1.pk).update(status=AssessmentStatus.DRAFT)
    a1.refresh_from_db()
    self_assessment_save(
        actor=users.sec_a1,
        assessment=a1,
        expected_version=a1.version,
        tally={"member": {"attendees": 10, "good": 1, "fairly_good": 9, "average": 0, "poor": 0}},
    )
    assert stored_shares(campaign) == shares_by_rules(campaign)
    # no ballot cast at all: no share
    zero = {"attendees": 0, "good": 0, "fairly_good": 0, "average": 0, "poor": 0}
    a1.refresh_from_db()
    self_assessment_save(
        actor=users.sec_a1,
        assessment=a1,
        expected_version=a1.version,
        tally=dict.fromkeys(AttendeeCategory.values, zero),
    )
    a1.refresh_from_db()
    assert a1.good_share is None
    assert stored_shares(campaign) == shares_by_rules(campaign)


def test_a_refused_tally_keeps_the_stored_share(campaign, graded, users):
    a1 = Assessment.objects.get(pk=graded["a1"].pk)
    before = a1.good_share
    Assessment.objects.filter(pk=a1.pk).update(status=AssessmentStatus.DRAFT)
    a1.refresh_from_db()
    with pytest.raises(ValidationError):  # more ballots than attendees
        self_assessment_save(
            actor=users.sec_a1,
            assessment=a1,
            expected_version=a1.version,
            tally={"member": {"attendees": 1, "good": 5, "fairly_good": 0, "average": 0, "poor": 0}},
        )
    a1.refresh_from_db()
    assert a1.good_share == before


def test_rows_of_every_township_at_once_equal_each_townships(campaign, graded):
    towns = townships()
    together = summary_rows_by_township(campaign, towns)
    assert [t for t, _ in together] == towns
    for township, rows in together:
        alone = summary_rows(campaign, township)
        assert [(r.number, r.assessment.pk, r.rank, r.good_share, r.remark, r.cells()) for r in rows] == [
            (r.number, r.assessment.pk, r.rank, r.good_share, r.remark, r.cells()) for r in alone
        ]
