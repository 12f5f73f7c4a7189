"""The effects of the workflow's moves that set a final grade (``grading.services.workflow`` calls them inside its
one transition): the grade, its C6 consequences and a line of the grade history (``GradeRecord``, with the stage and
the reason), and after commit the grade-finalized event (``grading.events``: rectification sets the category).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from grading import events
from grading.models import Assessment, AssessmentStatus, GradeRecord
from grading.rules import grades as rules
from grading.services.cap import require_cap_reason

S = AssessmentStatus


def request_regrade(a: Assessment, *, actor: Any, note: str, request: Any = None, **_: Any) -> None:
    if request is None:
        raise ValidationError("请填写复核申请")


def regrade(
    a: Assessment,
    *,
    actor: Any,
    note: str,
    grade: str = "",
    request: Any = None,
    score: Decimal | None = None,
    **_: Any,
) -> None:
    """``score``: the district's item-by-item re-scored total (``yearend.regrade_decide``); without it, the township's
    re-scored total of the request (``proposed_score``), else the score the grade had."""
    if grade not in rules.Grade.values:
        raise ValidationError("请选择复核等次")
    if not note.strip():
        raise ValidationError("请写明复核意见")
    if request is not None:
        request.decided_grade = grade
        request.decision_note = note.strip()
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.save()
    finalize(
        a,
        actor=actor,
        grade=grade,
        stage=GradeRecord.YEAR_END_REGRADE,
        reason=note.strip(),
        score=score if score is not None else (request.proposed_score if request is not None else None),
    )


def finalize(a: Assessment, *, actor: Any, grade: str, stage: str, reason: str, score: Decimal | None = None) -> None:
    """Set the final grade, its C6 consequences and a line of the grade history."""
    a.final_grade = grade
    if score is not None:
        a.final_score = score
    elif a.final_score is None:
        a.final_score = a.township_score
    a.finalized_at = timezone.now()
    a.status = S.FINAL
    result = rules.consequences(grade)
    a.nominable_as_advanced = result.nominable_as_advanced
    a.secretary_promotable_next_year = result.secretary_promotable_next_year
    a.committee_appraisal_cap = result.committee_appraisal_cap or ""
    a.version += 1
    a.save()
    GradeRecord.objects.create(
        organization=a.organization,
        assessment=a,
        year=a.campaign.year,
        stage=stage,
        grade=grade,
        score=a.final_score,
        reason=reason,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    transaction.on_commit(lambda pk=a.pk: events.publish_grade_finalized(pk))


def readjust(a: Assessment, *, actor: Any, note: str, grade: str = "", ground: str = "", cap_reason: str = "", **_):
    problem = rules.readjust_problem(
        ground=ground, reason=note, grade=grade, current=a.final_grade, vetoed=a.township_vetoed
    )
    if problem:
        raise ValidationError(problem)
    # C5 (第一篇 四.2): raising to 好 past the share needs a written reason, as at every stage that sets a grade.
    a.district_cap_reason = require_cap_reason(a, grade, cap_reason) or a.district_cap_reason
    reason = f"{rules.READJUST_GROUNDS[ground]}:{note.strip()}"
    finalize(a, actor=actor, grade=grade, stage=GradeRecord.READJUSTED, reason=reason)
