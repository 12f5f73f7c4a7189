"""The district's review writes that need more than one transition: approving a township's batch, raising an
objection with its materials, and the upload check every grading evidence file passes.

Status moves still go through ``grading.services.workflow.transition``; these services only wrap several moves in one
transaction, or attach a file to the row a move created (transition's payload cannot carry an upload).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core import uploads
from core.uploads import MEGABYTE, UploadPolicy
from grading.models import Assessment, AssessmentStatus, Objection, ObjectionStage
from grading.services.workflow import Action, transition

# Evidence and reports: the formats offices exchange (PDF, scans as JPEG/PNG, Word), at most 10 MB each, checked by
# the project's one upload validator (extension and content).
GRADING_UPLOADS = UploadPolicy(extensions=("pdf", "jpg", "jpeg", "png", "doc", "docx"), max_bytes=10 * MEGABYTE)
UPLOAD_HINT = GRADING_UPLOADS.hint


def validate_upload(upload: UploadedFile | None, *, what: str = "材料") -> None:
    """Refuse a file of another type, one whose content does not match its extension, an empty one or one above
    10 MB; ``what`` names the file in the message (e.g. 佐证材料)."""
    uploads.validate_upload(upload, replace(GRADING_UPLOADS, what=what))


@transaction.atomic
def objection_raise(
    *,
    actor: Any,
    assessment: Assessment,
    content: str,
    evidence: UploadedFile | None = None,
    raised_by_name: str = "",
    today: date | None = None,
) -> Objection:
    """D2: an objection to the district's result within the objection window, with optional materials.

    The move (approved → objected, window and permission checks) is the workflow's; the file is attached to the
    objection it created, in the same transaction, so there is never an objection whose upload was lost.
    """
    validate_upload(evidence, what="有关材料")
    transition(
        actor=actor,
        assessment=assessment,
        action=Action.OBJECT,
        note=content,
        today=today,
        raised_by_name=raised_by_name,
    )
    objection = Objection.objects.filter(assessment=assessment, stage=ObjectionStage.DISTRICT).latest("pk")
    if evidence is not None:
        objection.evidence.save(evidence.name, evidence, save=False)
        objection.save(update_fields=["evidence"])
    return objection


@transaction.atomic
def approve_batch(*, actor: Any, assessments: Iterable[Assessment], today: date | None = None) -> list[Assessment]:
    """Approve several organizations at the township's preliminary grade, all or none (each through the workflow).

    Only assessments still with the district are taken; a failure (e.g. the calendar of the year is missing)
    rolls every approval of the batch back and is raised to the caller.
    """
    today = today or timezone.localdate()
    done = []
    for a in assessments:
        if a.status != AssessmentStatus.WITH_DISTRICT:
            continue
        done.append(transition(actor=actor, assessment=a, action=Action.APPROVE, grade=a.township_grade, today=today))
    if not done:
        raise ValidationError("没有待审定的党组织")
    return done
