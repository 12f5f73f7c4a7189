"""The deadlines page (issue 3 item 8): who has not submitted, scored or been approved yet, with overdue marks,
scoped to the viewer. The daily reminders built from the same deadlines are in ``grading.services.reminders``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from core.queries import counts_by_prefix
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
class TownshipLate:
    """One township's line of the district's deadlines page: how many of its organizations wait at each stage."""

    township: Organization
    counts: tuple[int, int, int]  # not submitted, with the township, with the district
    overdue: int


@dataclass(frozen=True)
class OverdueReport:
    """The deadlines page. ``townships``: the counts per township (a scope wider than one township); the rows of
    the three stages are listed for one township at a time (``township``, or the user's only township)."""

    campaign: Campaign
    today: date
    not_submitted: list[LateRow]
    with_township: list[LateRow]
    with_district: list[LateRow]
    townships: list[TownshipLate] = field(default_factory=list)
    township: Organization | None = None
    totals: tuple[int, int, int] = (0, 0, 0)
    overdue_count: int = 0

    @property
    def lists_rows(self) -> bool:
        return not self.townships or self.township is not None


STAGES = (NOT_SUBMITTED, WITH_TOWNSHIP, WITH_DISTRICT)


def _dues(campaign: Campaign) -> tuple[date, date, date]:
    return campaign.self_assessment_due, campaign.township_review_due, campaign.district_review_due


def _townships(paths: list[str]) -> list[Organization]:
    """The townships the scope touches: those inside it and those holding a part of it, in tree order."""
    width = 2 * Organization.steplen
    holding = {p[:width] for p in paths if len(p) >= width}
    return list(
        Organization.objects.filter(depth=2)
        .filter(path_q(paths) | Q(path__in=holding))
        .only("pk", "path", "name")
        .order_by("path")
    )


def _rows(qs: Any, stage: str, due: date, today: date, townships: dict[str, str]) -> list[LateRow]:
    steplen = Organization.steplen
    rows = [
        LateRow(a, townships.get(a.organization.path[: 2 * steplen], ""), stage, due, (today - due).days) for a in qs
    ]
    return sorted(rows, key=lambda r: (r.township, r.assessment.organization.path))


def _counts(base: Any, late: list[bool], townships: list[Organization]) -> list[TownshipLate]:
    """Per township, the organizations at each stage: one GROUP BY on the township's path prefix and the status."""
    grouped = counts_by_prefix(base, "organization__path", 2 * Organization.steplen, "status")
    lines = []
    for town in townships:
        counts = tuple(sum(grouped.get((town.path, s), 0) for s in stage) for stage in STAGES)
        if any(counts):
            lines.append(TownshipLate(town, counts, sum(n for n, over in zip(counts, late, strict=True) if over)))
    return lines


STAGE_LABELS = ("自查自评未提交", "乡镇初审未完成", "区委组织部待审定")


def overdue_report(
    user: Any, campaign: Campaign, *, today: date | None = None, township: Organization | None = None
) -> OverdueReport:
    """The campaign's organizations still waiting at a stage, inside the user's scope (township staff: their
    township; district staff: all). A scope over several townships gets the counts per township (one GROUP BY),
    and the rows of ``township`` (from ``access.township_for``) once one is chosen; a scope in one township gets
    its rows. A user without any scope gets 404, like a missing campaign."""
    paths = scope_paths(user)
    if not paths:
        raise Http404("对象不存在或不在您的管辖范围内")
    today = today or timezone.localdate()
    base = Assessment.objects.filter(campaign=campaign).filter(path_q(paths, "organization__path"))
    townships = _townships(paths)
    late = [today > due for due in _dues(campaign)]
    lines = _counts(base, late, townships) if len(townships) > 1 else []
    stages: list[list[LateRow]] = [[], [], []]
    if not lines or township is not None:
        rows_qs = base.select_related("organization").only(
            "pk", "status", "organization__id", "organization__name", "organization__path"
        )
        if township is not None:
            rows_qs = rows_qs.filter(organization__path__startswith=township.path)
        names = {t.path: t.name for t in townships}
        stages = [
            _rows(rows_qs.filter(status__in=stage), label, due, today, names)
            for stage, label, due in zip(STAGES, STAGE_LABELS, _dues(campaign), strict=True)
        ]
    if lines:
        totals = tuple(sum(line.counts[i] for line in lines) for i in range(3))
        overdue = sum(line.overdue for line in lines)
    else:
        totals = tuple(len(rows) for rows in stages)
        overdue = sum(r.is_overdue for rows in stages for r in rows)
    return OverdueReport(campaign, today, *stages, lines, township, totals, overdue)
