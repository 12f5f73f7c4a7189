"""Reads for the branch secretary's pages of one assessment (附件1–3): the overview, deadlines and the tally.

Every read takes the user: an assessment outside the user's scope is 404 (the same as a missing one); inside the
scope everyone may read, only the organization's own secretary may write (403 otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from grading import access
from grading.models import (
    Assessment,
    AssessmentStatus,
    AttendeeCategory,
    GradeRecord,
    MeetingTallyRow,
)
from grading.rules import counting as counting_rules
from grading.rules import grades as grade_rules
from grading.services.assessments import DimensionRows, scoring_sheet, submission_problems
from grading.services.workflow import Action, allowed_actions
from organizations.roles import Perm


def assessment_get(user: Any, pk: Any, *, perm: Perm = Perm.VIEW_RECORDS) -> Assessment:
    """One assessment through ``grading.access`` (404 out of scope; 403 without ``perm``), with what every page shows,
    as it stands today (``Assessment.as_of``: the clock's moves are read, not written)."""
    return access.assessment_for(user, pk, perm=perm)


@dataclass(frozen=True)
class Deadline:
    label: str
    due: date
    overdue: bool


def _deadlines_of(assessment: Assessment, today: date | None = None) -> list[Deadline]:
    """The campaign's deadlines; the self-assessment one is 逾期 when past and not yet submitted."""
    today = today or timezone.localdate()
    c = assessment.campaign
    not_submitted = assessment.status in {AssessmentStatus.DRAFT, AssessmentStatus.RETURNED}
    return [
        Deadline("自查自评截止", c.self_assessment_due, not_submitted and today > c.self_assessment_due),
        Deadline("乡镇初审截止", c.township_review_due, False),
        Deadline("区委组织部审定截止", c.district_review_due, False),
        Deadline("申请复核截止", c.regrade_request_due, False),
        Deadline("复核定级截止", c.regrade_due, False),
    ]


@dataclass(frozen=True)
class TallyLine:
    label: str
    attendees: int
    counts: list[int]  # 好, 较好, 一般, 较差
    cast: int
    over: bool  # more ballots than attendees (附件2 refuses it)


@dataclass
class TallyView:
    """附件2 for display: one line per attendee category in the plan's order, with totals and shares."""

    lines: list[TallyLine]
    totals: list[int]
    attendee_total: int
    ballots: int
    shares: list[Decimal]
    problems: list[str] = field(default_factory=list)


def tally_rows(user: Any, assessment: Assessment) -> list[MeetingTallyRow]:
    """The four category rows in the plan's order (missing ones as unsaved zeros): one query."""
    saved = {r.category: r for r in MeetingTallyRow.objects.filter(meeting__assessment=assessment)}
    return [saved.get(c) or MeetingTallyRow(category=c) for c in AttendeeCategory.values]


def tally_view(user: Any, assessment: Assessment, rows: list[MeetingTallyRow] | None = None) -> TallyView:
    """Totals and shares by ``counting_rules.tally_meeting``; a refused tally still shows its lines and the rule's
    message."""
    rows = rows if rows is not None else tally_rows(user, assessment)
    lines = []
    for r in rows:
        counts = [getattr(r, g.value) for g in grade_rules.GRADE_ORDER]
        lines.append(TallyLine(r.get_category_display(), r.attendees, counts, sum(counts), sum(counts) > r.attendees))
    try:
        tally = counting_rules.tally_meeting(
            {r.category: {grade_rules.Grade(g): n for g, n in r.ballots().items()} for r in rows},
            {r.category: r.attendees for r in rows},
        )
    except grade_rules.RuleViolation as exc:
        totals = [sum(line.counts[i] for line in lines) for i in range(len(grade_rules.GRADE_ORDER))]
        attendees = sum(line.attendees for line in lines)
        return TallyView(lines, totals, attendees, sum(totals), [Decimal("0")] * len(totals), exc.messages)
    return TallyView(
        lines,
        [tally.totals[g] for g in grade_rules.GRADE_ORDER],
        tally.attendee_total,
        tally.ballots,
        [tally.shares[g] for g in grade_rules.GRADE_ORDER],
    )


def self_scores(user: Any, assessment: Assessment) -> tuple[list[DimensionRows], Decimal]:
    """附件3: the scoring sheet with the secretary's scores, and their total."""
    sheet = scoring_sheet(assessment)
    return sheet, _self_total(sheet)


def _self_total(sheet: list[DimensionRows]) -> Decimal:
    return sum(
        (r.self_score.points for d in sheet for r in d.rows if r.self_score and r.self_score.points is not None),
        Decimal("0"),
    )


def year_end_regrade(user: Any, assessment: Assessment) -> GradeRecord | None:
    """The assessment's latest grade record when it is the district's year-end re-grade (its re-scoring can be read),
    else None: one query."""
    record = assessment.grade_records.order_by("-recorded_at", "-pk").first()
    return record if record is not None and record.is_year_end_regrade else None


@dataclass
class Overview:
    assessment: Assessment
    deadlines: list[Deadline]
    problems: list[str]
    actions: list[str]
    editable: bool
    sheet: list[DimensionRows]
    tally: TallyView
    can_submit: bool
    may_object: bool = False
    year_end_regrade: GradeRecord | None = None


def overview(user: Any, assessment: Assessment) -> Overview:
    """Everything the overview page shows; a fixed number of queries whatever the size of the template."""
    editable = access.may_edit_draft(user, assessment)
    actions = allowed_actions(user, assessment)
    problems = submission_problems(assessment) if assessment.is_secretary_editable else []
    return Overview(
        assessment=assessment,
        deadlines=_deadlines_of(assessment),
        problems=problems,
        actions=actions,
        editable=editable,
        sheet=scoring_sheet(assessment),
        tally=tally_view(user, assessment),
        can_submit=Action.SUBMIT in actions,
        may_object=access.may_object(user, assessment),
        year_end_regrade=year_end_regrade(user, assessment) if assessment.final_grade else None,
    )


# --- The organization page's panel -------------------------------------------------------------------------
