"""Reads for the organization page's grading panel: the open campaign's assessment and the grade history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from grading.access import may_object
from grading.models import (
    Assessment,
    AssessmentStatus,
    CampaignStatus,
    GradeRecord,
)
from organizations.models import Organization
from organizations.roles import Perm
from organizations.scope import can


@dataclass
class GradingPanel:
    assessment: Assessment | None
    may_fill: bool
    overdue: bool
    history: list[GradeRecord]
    may_object: bool = False

    @property
    def status_label(self) -> str:
        """The status as the clock has it, without writing (the org page does not run the clock moves)."""
        a = self.assessment
        if a is None:
            return ""
        today = timezone.localdate()
        if a.status == AssessmentStatus.IN_NOTICE and a.notice and a.notice.is_closed_on(today):
            return AssessmentStatus.NOTICE_CLOSED.label
        if a.status == AssessmentStatus.APPROVED and a.objection_due is not None and today > a.objection_due:
            # the objection window has passed: the grade is final, whether or not the sweep has recorded it yet
            return f"{AssessmentStatus.FINAL.label}({a.get_district_grade_display()})"
        return a.get_status_display()


def grading_panel(user: Any, org: Organization) -> GradingPanel:
    """The open campaign's assessment of ``org`` and its grade history: two queries.

    The caller has already checked that the user may see ``org`` (organizations.access.organization_for).
    """
    assessment = (
        Assessment.objects.select_related("campaign", "notice")
        .filter(organization=org, campaign__status=CampaignStatus.OPEN)
        .order_by("-campaign__year")
        .first()
    )
    history = list(GradeRecord.objects.filter(organization=org).order_by("-year", "-recorded_at", "-pk")[:30])
    may_fill = assessment is not None and assessment.is_secretary_editable and can(user, Perm.SELF_ASSESS, org)
    overdue = (
        assessment is not None
        and assessment.is_secretary_editable
        and timezone.localdate() > assessment.campaign.self_assessment_due
    )
    return GradingPanel(assessment, may_fill, overdue, history, may_object(user, assessment))
