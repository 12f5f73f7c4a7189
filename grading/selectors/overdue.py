"""The deadlines page (issue 3 item 8): who has not submitted, scored or been approved yet, with overdue marks,
scoped to the viewer. The daily reminders built from the same deadlines are in ``grading.services.reminders``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import Http404
from django.utils import timezone

from grading.models import Assessment, AssessmentStatus, Campaign
from organizations.models import Organization
from organizations.scope import path_q, scope_paths

S = AssessmentStatus
NOT_SUBMITTED = (S.DRAFT, S.RETURNED)
WITH_TOWNSHIP = (S.SUBMITTED, S.SCORED, S.NOTICE_CLOSED)  # waiting for the township to score, publish or report
WITH_DISTRICT = (S.WITH_DISTRICT, S.OBJECTED)


@dataclass(frozen=True)
class LateRow:
    assessment: Assessment
    township: str
    stage: str
    due: date
    days_overdue: int  # 0 or less: not yet overdue

    @property
    def is_overdue(self) -> bool:
        return self.days_overdue > 0


@dataclass(frozen=True)
class OverdueReport:
    campaign: Campaign
    today: date
    not_submitted: list[LateRow]
    with_township: list[LateRow]
    with_district: list[LateRow]

    @property
    def overdue_count(self) -> int:
        return sum(r.is_overdue for r in [*self.not_submitted, *self.with_township, *self.with_district])


def _township_names() -> dict[str, str]:
    return dict(Organization.objects.filter(depth=2).values_list("path", "name"))


def _rows(qs: Any, stage: str, due: date, today: date, townships: dict[str, str]) -> list[LateRow]:
    steplen = Organization.steplen
    rows = [
        LateRow(a, townships.get(a.organization.path[: 2 * steplen], ""), stage, due, (today - due).days) for a in qs
    ]
    return sorted(rows, key=lambda r: (r.township, r.assessment.organization.path))


def overdue_report(user: Any, campaign: Campaign, *, today: date | None = None) -> OverdueReport:
    """The campaign's organizations still waiting at a stage, inside the user's scope (township staff: their
    township; district staff: all). A user without any scope gets 404, like a missing campaign."""
    paths = scope_paths(user)
    if not paths:
        raise Http404("对象不存在或不在您的管辖范围内")
    today = today or timezone.localdate()
    base = (
        Assessment.objects.filter(campaign=campaign)
        .filter(path_q(paths, "organization__path"))
        .select_related("organization")
    )
    names = _township_names()
    return OverdueReport(
        campaign,
        today,
        _rows(base.filter(status__in=NOT_SUBMITTED), "自查自评未提交", campaign.self_assessment_due, today, names),
        _rows(base.filter(status__in=WITH_TOWNSHIP), "乡镇初审未完成", campaign.township_review_due, today, names),
        _rows(base.filter(status__in=WITH_DISTRICT), "区委组织部待审定", campaign.district_review_due, today, names),
    )
