"""An objection's outcome (异议): its one table of moves and its one transition service.

An objection is answered once: pending → upheld or rejected. Who answers depends on when it was raised: during the
township's notice (公示) the township (SCORE_GRADES), against the district's result the district (REVIEW_GRADES, as
part of the assessment's RESOLVE_OBJECTION move). ``objection_answer`` is the only code that sets an outcome; the
callers write the audit event of the step they belong to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grading.models import Objection, ObjectionOutcome, ObjectionStage
from organizations.roles import Perm
from organizations.scope import can

OC = ObjectionOutcome


@dataclass(frozen=True)
class OutcomeMove:
    sources: frozenset[str]
    target: str
    perm: Perm
    refused: str  # the 403 message for whoever does not hold ``perm``


_BY_TOWNSHIP = "只有乡镇(街道)党(工)委可以答复公示期间的异议"
_BY_DISTRICT = "只有区委组织部可以复核对审定等次的异议"

# (stage, upheld) → the move.
OUTCOME_MOVES: dict[tuple[str, bool], OutcomeMove] = {
    (ObjectionStage.NOTICE, True): OutcomeMove(frozenset({OC.PENDING}), OC.UPHELD, Perm.SCORE_GRADES, _BY_TOWNSHIP),
    (ObjectionStage.NOTICE, False): OutcomeMove(frozenset({OC.PENDING}), OC.REJECTED, Perm.SCORE_GRADES, _BY_TOWNSHIP),
    (ObjectionStage.DISTRICT, True): OutcomeMove(frozenset({OC.PENDING}), OC.UPHELD, Perm.REVIEW_GRADES, _BY_DISTRICT),
    (ObjectionStage.DISTRICT, False): OutcomeMove(
        frozenset({OC.PENDING}), OC.REJECTED, Perm.REVIEW_GRADES, _BY_DISTRICT
    ),
}


def objection_answer(*, actor: Any, objection: Objection, upheld: bool, answer: str, new_grade: str = "") -> Objection:
    """Answer ``objection`` (inside the caller's transaction): lock the row, look the move up, check the actor's
    permission on the organization, save. A second answer (a second tab, a colleague) is refused."""
    locked = Objection.objects.select_for_update().select_related("assessment__organization").get(pk=objection.pk)
    move = OUTCOME_MOVES[(locked.stage, bool(upheld))]
    if not can(actor, move.perm, locked.assessment.organization):
        raise PermissionDenied(move.refused)
    if locked.outcome not in move.sources:
        raise ValidationError("该异议已答复")
    if not answer.strip():
        raise ValidationError("请填写答复意见")
    locked.outcome = move.target
    locked.answer = answer.strip()
    locked.new_grade = new_grade if upheld else ""
    locked.answered_by = actor
    locked.answered_at = timezone.now()
    locked.save()
    return locked
