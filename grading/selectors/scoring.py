"""Reads for the township's 附件4 scoring page of one assessment: the scoring sheet, the band of the score so far,
the secretary's report and evaluation meeting (附件1, 附件2) with the meeting's tally, and what the user may do.

The assessment comes through ``grading.access`` (township-level read access, 403 for a branch secretary).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from grading import access
from grading.evidence import Evidence
from grading.models import Assessment, AttendeeCategory, EvaluationMeeting, GradeRecord, SelfReport
from grading.rules import counting as counting_rules
from grading.rules import grades as grade_rules
from grading.selectors.assessments import year_end_regrade
from grading.selectors.evidence import evidence_of
from grading.services.assessments import DimensionRows, band_of, meeting_tally, scoring_sheet
from grading.services.workflow import Action, allowed_actions


@dataclass
class ScoringPage:
    sheet: list[DimensionRows]
    band: str  # the grade the items' total gives (C1), or 较差 after a veto (C4); "" before any score
    may_edit: bool  # the township, while the assessment waits for its scores
    can_score: bool
    can_return: bool
    may_object: bool
    report: SelfReport | None
    meeting: EvaluationMeeting | None
    tally_rows: list[dict[str, Any]]
    tally: counting_rules.MeetingTally | None
    tally_problems: list[str]
    year_end_regrade: GradeRecord | None
    evidence: list[Evidence]  # the records other apps keep (grading.evidence), shown beside the items naming them

    @property
    def tally_totals(self) -> list[tuple[str, int, Any]]:
        if self.tally is None:
            return []
        return [(g.label, self.tally.totals.get(g, 0), self.tally.shares.get(g, 0)) for g in grade_rules.GRADE_ORDER]


def _tally_rows(tally: counting_rules.MeetingTally) -> list[dict[str, Any]]:
    """The tally's rows in attendee-category order."""
    labels: dict[str, str] = dict(AttendeeCategory.choices)
    for key, label in grade_rules.ATTENDEE_CATEGORIES.items():
        labels.setdefault(key, label)
    return [
        {
            "label": labels.get(category, category),
            "attendees": tally.attendees.get(category, 0),
            "counts": [counts.get(g, 0) for g in grade_rules.GRADE_ORDER],
            "ballots": tally.category_ballots(category),
        }
        for category, counts in sorted(
            tally.by_category.items(),
            key=lambda kv: list(labels).index(kv[0]) if kv[0] in labels else len(labels),
        )
    ]


def scoring_page(user: Any, assessment: Assessment) -> ScoringPage:
    """Everything the 附件4 page shows besides its forms; a fixed number of queries whatever the template's size."""
    actions = allowed_actions(user, assessment)
    meeting = EvaluationMeeting.objects.filter(assessment=assessment).first()
    try:
        tally: counting_rules.MeetingTally | None = meeting_tally(assessment)
        problems: list[str] = []
    except grade_rules.RuleViolation as exc:
        tally, problems = None, exc.messages
    return ScoringPage(
        sheet=scoring_sheet(assessment),
        band=band_of(assessment),
        may_edit=access.actions_for(user, assessment)["edit_scores"],
        can_score=Action.SCORE in actions,
        can_return=Action.RETURN in actions,
        may_object=access.may_object(user, assessment),
        report=SelfReport.objects.filter(assessment=assessment).first(),
        meeting=meeting,
        tally_rows=_tally_rows(tally) if tally is not None else [],
        tally=tally,
        tally_problems=problems,
        year_end_regrade=year_end_regrade(user, assessment) if assessment.final_grade else None,
        evidence=evidence_of(user, [assessment.organization_id], assessment.campaign.year)[assessment.organization_id],
    )
