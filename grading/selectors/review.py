"""Reads for the district's review queue, objections board and consequences (C6) lists.

District staff only (403 for anyone else before any lookup); every list is a fixed number of queries whatever the
number of organizations; statuses are read as they stand today (``status_now_q``, ``Assessment.as_of``), so a window
that has passed shows as passed whether or not the sweep has written it, and a page load writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import F, Prefetch, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from core.workdays import load_calendar, provisional_window_end
from grading.access import require_reviewer
from grading.models import (
    Assessment,
    AssessmentStatus,
    Campaign,
    Objection,
    ObjectionStage,
    ReviewEvidence,
    status_now_q,
)
from grading.rules import grades as rules
from grading.selectors.overview import townships
from organizations.models import Organization

S = AssessmentStatus


@dataclass(frozen=True)
class DuePreview:
    """The objection deadline an approval made today would set (D2), 暂定 with the years to enter when the window
    reaches a year whose holidays are not entered (D3)."""

    due: date
    provisional: bool
    missing_years: list[int]


def objection_due_preview(user: Any, campaign: Campaign) -> DuePreview:
    require_reviewer(user)
    today = timezone.localdate()
    due, provisional = provisional_window_end(today, campaign.objection_working_days)
    missing = load_calendar().missing_years(range(today.year, due.year + 1)) if provisional else []
    return DuePreview(due, provisional, missing)


@dataclass
class Group:
    township: Organization
    assessments: list[Assessment]
    checks: list[Any] = field(default_factory=list)  # the district's checks (第一篇 三(一)3(1))


def _grouped(user: Any, assessments: list[Assessment]) -> list[Group]:
    towns = {t.path: t for t in townships(user)}
    groups: dict[str, Group] = {}
    for a in assessments:
        path = a.organization.township_path()
        if path in towns:
            groups.setdefault(path, Group(towns[path], [])).assessments.append(a)
    return [groups[p] for p in sorted(groups)]


def review_queue(user: Any, campaign: Campaign, *, today: date | None = None) -> list[Group]:
    """Assessments with the district, by township, with their notice and the objections answered during it."""
    qs = (
        Assessment.objects.filter(campaign=campaign, status=S.WITH_DISTRICT)
        .select_related("organization", "notice")
        .prefetch_related(
            Prefetch(
                "objections",
                queryset=Objection.objects.filter(stage=ObjectionStage.NOTICE),
                to_attr="notice_objections",
            )
        )
        .order_by("organization__path")
    )
    return _grouped(user, list(qs))


def _c6(grade: str) -> rules.Consequences | None:
    return rules.consequences(grade) if grade else None


@dataclass
class WindowRow:
    assessment: Assessment
    days_left: int
    c6: rules.Consequences | None


def objections_board(
    user: Any, campaign: Campaign, *, today: date | None = None
) -> tuple[list[WindowRow], list[Assessment]]:
    """Approved assessments still inside their objection window (with days left), and those objected to."""
    require_reviewer(user)
    today = today or timezone.localdate()
    approved = Assessment.objects.filter(status_now_q([S.APPROVED], today), campaign=campaign).select_related(
        "organization"
    )
    window = [
        WindowRow(a, (a.objection_due - today).days + 1, _c6(a.district_grade))
        for a in approved.order_by("objection_due", "pk")
    ]
    objected = list(
        Assessment.objects.filter(campaign=campaign, status=S.OBJECTED)
        .select_related("organization")
        .prefetch_related(
            Prefetch(
                "objections",
                queryset=Objection.objects.filter(stage=ObjectionStage.DISTRICT).order_by("pk"),
                to_attr="district_objections",
            )
        )
        .order_by("organization__path")
    )
    return window, objected


def consequences_lists(user: Any, campaign: Campaign) -> tuple[QuerySet[Assessment], QuerySet[Assessment]]:
    """C6: final 较差 organizations (secretary not promotable, appraisal capped) and 好 ones nominable as advanced,
    as querysets for the page to show a page at a time (``as_of`` each row of the page, ``consequences_page``)."""
    require_reviewer(user)
    today = timezone.localdate()
    final = Assessment.objects.filter(status_now_q([S.FINAL, S.REGRADE_REQUESTED], today), campaign=campaign)
    # A grade the clock has made final but the sweep has not written yet: its final grade is the district's.
    grade = Coalesce(NullIf(F("final_grade"), Value("")), F("district_grade"))
    score = Coalesce(F("final_score"), F("township_score"))
    final = final.annotate(grade_now=grade, score_now=score).select_related("organization", "notice")
    poor = final.filter(grade_now=rules.Grade.POOR).order_by("score_now", "organization__path", "pk")
    good = final.filter(grade_now=rules.Grade.GOOD).order_by("-score_now", "organization__path", "pk")
    return poor, good


def consequences_page(user: Any, rows: Iterable[Assessment]) -> list[Assessment]:
    """The rows of one page of ``consequences_lists``, each as it reads today."""
    today = timezone.localdate()
    return [a.as_of(today) for a in rows]


# --- How the district checked (第一篇 三(一)3(1)) ---------------------------------------------------------------


def review_evidence_by_township(user: Any, campaign: Campaign) -> dict[int, list[ReviewEvidence]]:
    """The district's checks of the year, by township id (one query), for the review page."""
    require_reviewer(user)
    rows: dict[int, list[ReviewEvidence]] = {}
    for row in ReviewEvidence.objects.filter(campaign=campaign).select_related("assessment__organization"):
        rows.setdefault(row.township_id, []).append(row)
    return rows


def review_evidence_of(user: Any, campaign: Campaign, township: Organization) -> list[ReviewEvidence]:
    require_reviewer(user)
    return list(
        ReviewEvidence.objects.filter(campaign=campaign, township=township).select_related("assessment__organization")
    )


def township_assessments(user: Any, campaign: Campaign, township: Organization) -> Any:
    """The township's organizations of the year, for the form's choice of which one a check concerned."""
    require_reviewer(user)
    return (
        Assessment.objects.filter(campaign=campaign, organization__path__startswith=township.path)
        .select_related("organization")
        .order_by("organization__path")
    )


def evidence_townships(user: Any, evidence: dict[int, list[ReviewEvidence]]) -> list[tuple[Organization, int]]:
    """Every township the reviewer sees, with how many checks are recorded for it (the page's links to each)."""
    return [(t, len(evidence.get(t.pk, []))) for t in townships(user)]
