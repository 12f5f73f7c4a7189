"""The grade subscription: a final grade sets the category and, for 较差 (软弱涣散, C3), opens a case.

Registered in ``RectificationConfig.ready`` with ``grading.events.on_grade_finalized``; the grading workflow publishes
after its transaction commits (end of the objection window, an objection resolved, a year-end re-grade).
Idempotent: the same finalization published twice creates nothing new. Each finalization of an assessment carries
its own ``finalized_at``, which is what the rows created from it remember.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from grading.models import Assessment
from rectification.cases import case_open_for_weak
from rectification.categories import category_assign, current_assignment
from rectification.models import Case, CategorySource
from rectification.rules import Category, category_for_grade

logger = logging.getLogger(__name__)


def handle_grade_finalized(assessment_id: int) -> None:
    with transaction.atomic():
        assessment = (
            Assessment.objects.select_for_update()
            .select_related("organization", "campaign")
            .filter(pk=assessment_id)
            .first()
        )
        if assessment is None or not assessment.final_grade:
            logger.warning("grade finalized for assessment %s without a final grade: ignored", assessment_id)
            return
        org = assessment.organization
        year = assessment.campaign.year
        current = current_assignment(org)
        if current is not None and current.year > year:
            # A late event of an older year must not overwrite this year's category.
            logger.info(
                "assessment %s (%s) is older than the current category (%s): ignored", assessment_id, year, current.year
            )
            return
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
        if category != Category.WEAK:
            return
        already = Case.objects.filter(source_assessment=assessment, source_finalized_at=assessment.finalized_at)
        if already.exists():
            return  # this finalization already opened its case (it may have been accepted since)
        case_open_for_weak(
            actor=None,
            organization=org,
            year=year,
            opened_on=since,
            reason=f"{year}年度定为“较差”,认定为软弱涣散基层党组织(第一篇三(一)、三(二)4)",
            assessment=assessment,
            finalized_at=assessment.finalized_at,
        )
