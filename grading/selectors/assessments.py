"""Reads for the branch secretary's pages of one assessment (附件1–3): the overview, deadlines and the tally.

Every read takes the user: an assessment outside the user's scope is 404 (the same as a missing one); inside the
scope everyone may read, only the organization's own secretary may write (403 otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from grading import rules
from grading.models import (
    Assessment,
    AssessmentStatus,
    AttendeeCategory,
    MeetingTallyRow,
)
from grading.services.assessments import DimensionRows, scoring_sheet, submission_problems
from grading.services.workflow import Action, allowed_actions, catch_up
from organizations.roles import Perm
from organizations.scope import can, get_visible_or_404


def assessment_get(user: Any, pk: Any) -> Assessment:
    """One assessment in the user's scope (404 otherwise), with what every page shows, after the clock moves."""
    catch_up(assessment_ids=[int(pk)] if str(pk).isdigit() else [])
    return get_visible_or_404(
        Assessment.objects.select_related("organization", "campaign", "template", "report", "meeting", "notice"),
        user,
        path_field="organization__path",
        pk=pk,
    )


def can_edit(user: Any, assessment: Assessment) -> bool:
    """The secretary of this organization, while the draft is open (no dead buttons or fields for anyone else)."""
    return assessment.is_secretary_editable and can(user, Perm.SELF_ASSESS, assessment.organization)


def may_object(user: Any, assessment: Assessment | None, today: date | None = None) -> bool:
    """The 提出异议 control: the district's result is inside its objection window and the user may raise one (the
    organization's secretary, its township). Nobody else sees it."""
    if assessment is None or assessment.status != AssessmentStatus.APPROVED or assessment.objection_due is None:
        return False
    if (today or timezone.localdate()) > assessment.objection_due:
        return False
    return can(user, Perm.RAISE_OBJECTION, assessment.organization)


def require_secretary(user: Any, assessment: Assessment) -> None:
    """Writes are the organization's own secretary's (township and district read only: 403)."""
    if not can(user, Perm.SELF_ASSESS, assessment.organization):
        raise PermissionDenied("只有本组织书记可以填报自查自评")


@dataclass(frozen=True)
class Deadline:
    label: str
    due: date
    overdue: bool


def deadlines_of(assessment: Assessment, today: date | None = None) -> list[Deadline]:
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


def tally_rows(assessment: Assessment) -> list[MeetingTallyRow]:
    """The four category rows in the plan's order (missing ones as unsaved zeros): one query."""
    saved = {r.category: r for r in MeetingTallyRow.objects.filter(meeting__assessment=assessment)}
    return [saved.get(c) or MeetingTallyRow(category=c) for c in AttendeeCategory.values]


def tally_view(assessment: Assessment, rows: list[MeetingTallyRow] | None = None) -> TallyView:
    """Totals and shares by ``rules.tally_meeting``; a refused tally still shows its lines and the rule's message."""
    rows = rows if rows is not None else tally_rows(assessment)
    lines = []
    for r in rows:
        counts = [getattr(r, g.value) for g in rules.GRADE_ORDER]
        lines.append(TallyLine(r.get_category_display(), r.attendees, counts, sum(counts), sum(counts) > r.attendees))
    try:
        tally = rules.tally_meeting(
            {r.category: {rules.Grade(g): n for g, n in r.ballots().items()} for r in rows},
            {r.category: r.attendees for r in rows},
        )
    except rules.RuleViolation as exc:
        totals = [sum(line.counts[i] for line in lines) for i in range(len(rules.GRADE_ORDER))]
        attendees = sum(line.attendees for line in lines)
        return TallyView(lines, totals, attendees, sum(totals), [Decimal("0")] * len(totals), exc.messages)
    return TallyView(
        lines,
        [tally.totals[g] for g in rules.GRADE_ORDER],
        tally.attendee_total,
        tally.ballots,
        [tally.shares[g] for g in rules.GRADE_ORDER],
    )


def self_total(sheet: list[DimensionRows]) -> Decimal:
    return sum(
        (r.self_score.points for d in sheet for r in d.rows if r.self_score and r.self_score.points is not None),
        Decimal("0"),
    )


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


def overview(user: Any, assessment: Assessment) -> Overview:
    """Everything the overview page shows; a fixed number of queries whatever the size of the template."""
    editable = can_edit(user, assessment)
    actions = allowed_actions(user, assessment)
    problems = submission_problems(assessment) if assessment.is_secretary_editable else []
    return Overview(
        assessment=assessment,
        deadlines=deadlines_of(assessment),
        problems=problems,
        actions=actions,
        editable=editable,
        sheet=scoring_sheet(assessment),
        tally=tally_view(assessment),
        can_submit=Action.SUBMIT in actions,
        may_object=may_object(user, assessment),
    )


# --- The organization page's panel -------------------------------------------------------------------------
