"""The grade subscription: a final grade sets the category and, for 较差 (软弱涣散, C3), opens a case.

Registered in ``RectificationConfig.ready`` with ``grading.events.on_grade_finalized``; the grading workflow publishes
after its transaction commits (end of the objection window, an objection resolved, a year-end re-grade).
A closed case waiting for a final grade to re-grade (``rectification.services.regrade``) files its request here.
Idempotent: each finalization (assessment, ``finalized_at``) is recorded once in ``GradeApplication``; publishing it
again creates nothing. A year-end re-grade finalizes again, with a new time, and is applied.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from grading.models import Assessment
from grading.rules.grades import Category, category_for_grade
from rectification.models import CategorySource, GradeApplication
from rectification.services.cases import case_open_for_weak
from rectification.services.categories import category_assign, current_assignment
from rectification.services.regrade import regrade_file_pending

logger = logging.getLogger(__name__)


def on_grade_finalized(assessment_id: int) -> None:
    """What grading calls after its commit. A failure here must not turn the grading user's committed change into
    an error page: it is logged, and ``grades_catch_up`` (idempotent, run by the periodic sweep) repairs it."""
    try:
        handle_grade_finalized(assessment_id)
    except Exception:  # noqa: BLE001 - logged with its traceback; the sweep applies the grade later
        logger.exception("rectification could not apply the final grade of assessment %s", assessment_id)


def grades_catch_up(*, year: int | None = None) -> int:
    """Apply every final grade whose finalization has not been seen yet (a lost event, a failed handler).
    Returns how many were applied; running it twice applies nothing the second time."""
    seen = GradeApplication.objects.filter(assessment=OuterRef("pk"), finalized_at=OuterRef("finalized_at"))
    pending = Assessment.objects.exclude(final_grade="").filter(finalized_at__isnull=False).filter(~Exists(seen))
    if year is not None:
        pending = pending.filter(campaign__year=year)
    applied = 0
    for pk in pending.order_by("campaign__year", "finalized_at", "pk").values_list("pk", flat=True):
        applied += handle_grade_finalized(pk)
    return applied


def handle_grade_finalized(assessment_id: int) -> bool:
    """Apply one finalization; False when there was nothing (new) to apply."""
    with transaction.atomic():
        assessment = (
            Assessment.objects.select_for_update()
            .select_related("organization", "campaign")
            .filter(pk=assessment_id)
            .first()
        )
        if assessment is None or not assessment.final_grade:
            logger.warning("grade finalized for assessment %s without a final grade: ignored", assessment_id)
            return False
        _, new = GradeApplication.objects.get_or_create(
            assessment=assessment,
            finalized_at=assessment.finalized_at,
            defaults={"grade": assessment.final_grade},
        )
        if not new:
            return False  # this finalization was applied already: publishing it again creates nothing
        org = assessment.organization
        year = assessment.campaign.year
        current = current_assignment(org)
        if current is not None and current.year > year:
            # A late event of an older year must not overwrite this year's category.
            logger.info(
                "assessment %s (%s) is older than the current category (%s): ignored", assessment_id, year, current.year
            )
            return True
        category = category_for_grade(assessment.final_grade)
        since = timezone.localdate(assessment.finalized_at) if assessment.finalized_at else timezone.localdate()
        category_assign(
            actor=None,
            organization=org,
            year=year,
            category=category,
            source=CategorySource.GRADE,
            since=since,
            reason=f"{year}年度最终等次“{assessment.get_final_grade_display()}”",
            grade=assessment.final_grade,
            assessment=assessment,
            finalized_at=assessment.finalized_at,
        )
        if category == Category.WEAK:
            case_open_for_weak(
                actor=None,
                organization=org,
                year=year,
                opened_on=since,
                reason=f"{year}年度定为“较差”,认定为软弱涣散基层党组织(第一篇三(一)、三(二)4)",
                assessment=assessment,
                finalized_at=assessment.finalized_at,
            )
        # A case accepted while this organization had no final grade asked for a re-grade: file it now.
        regrade_file_pending(organization=org)
    return True
