"""Reads for the year-end pages (source part 1 §三(三)): re-grading requests and the re-scoring beside the
township's scores, township summaries and awards, a township's final grades, the 好 share of final grades, and scoped
downloads of uploaded files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from grading import access
from grading.access import require_reviewer
from grading.models import (
    Assessment,
    AssessmentStatus,
    Campaign,
    ExcellenceAward,
    ExperiencePaper,
    Objection,
    ObjectionStage,
    RegradeRequest,
    TownshipSummary,
    status_now_q,
)
from grading.rules import counting as counting_rules
from grading.rules import grades as grade_rules
from grading.selectors.overview import townships
from grading.services.assessments import DimensionRows, scoring_sheet
from grading.services.regrade import SheetTotals, sheet_totals
from organizations.models import Organization
from organizations.roles import Perm

S = AssessmentStatus


def regrade_requests(user: Any, campaign: Campaign) -> tuple[list[RegradeRequest], list[RegradeRequest]]:
    """The campaign's pending and decided re-grading requests (the district's year-end page)."""
    require_reviewer(user)
    base = RegradeRequest.objects.filter(assessment__campaign=campaign).select_related(
        "assessment__organization", "assessment__campaign", "supplement", "requested_by"
    )
    pending = list(base.filter(decided_at__isnull=True).order_by("requested_at", "pk"))
    decided = list(base.filter(decided_at__isnull=False).order_by("-decided_at", "-pk"))
    return pending, decided


@dataclass
class SummaryRow:
    township: Organization
    summary: TownshipSummary | None
    award: ExcellenceAward | None


def summaries_board(user: Any, campaign: Campaign) -> list[SummaryRow]:
    """Every township with its summary and award (the district's year-end page)."""
    summaries = {
        s.township_id: s
        for s in TownshipSummary.objects.filter(campaign=campaign).prefetch_related(
            Prefetch("papers", queryset=ExperiencePaper.objects.order_by("pk"))
        )
    }
    awards = {a.township_id: a for a in ExcellenceAward.objects.filter(campaign=campaign)}
    return [SummaryRow(t, summaries.get(t.pk), awards.get(t.pk)) for t in townships(user)]


def township_final_assessments(user: Any, campaign: Campaign, township: Organization) -> list[Assessment]:
    """The final grades of a township the user has through ``grading.access``, with their re-grading requests
    (final today: a window that passed counts even before the sweep has written it)."""
    today = timezone.localdate()
    return [
        a.as_of(today)
        for a in Assessment.objects.filter(
            status_now_q([S.FINAL, S.REGRADE_REQUESTED], today),
            campaign=campaign,
            organization__path__startswith=township.path,
        )
        .select_related("organization", "notice")
        .prefetch_related(Prefetch("regrade_requests", queryset=RegradeRequest.objects.order_by("-pk")))
        .order_by("organization__path")
    ]


def township_summary(user: Any, campaign: Campaign, township: Organization) -> TownshipSummary | None:
    return TownshipSummary.objects.filter(campaign=campaign, township=township).prefetch_related("papers").first()


# --- Organization-level pages ----------------------------------------------------------------------------------


def assessment_now(user: Any, pk: Any, *, perm: Perm) -> Assessment:
    """``access.assessment_for``, which reads the clock's moves: a window that has passed shows as passed."""
    return access.assessment_for(user, pk, perm=perm)


def district_objections_of(user: Any, a: Assessment) -> list[Objection]:
    return list(a.objections.filter(stage=ObjectionStage.DISTRICT).order_by("pk"))


def township_of(user: Any, org: Organization) -> Organization:
    return Organization.objects.get(path=org.township_path())


def final_good_share(user: Any, campaign: Campaign, cap_percent: Any) -> counting_rules.CapResult:
    """C5 district-wide over final grades: how many 好 there are now against the (widened) cap."""
    qs = Assessment.objects.filter(campaign=campaign)
    return counting_rules.good_cap_check(qs.count(), qs.filter(final_grade=grade_rules.Grade.GOOD).count(), cap_percent)


@dataclass(frozen=True)
class RegradeRequests:
    pending: RegradeRequest | None
    last_decided: RegradeRequest | None


def requests_of(user: Any, a: Assessment) -> RegradeRequests:
    """The assessment's pending re-grading request and its last decided one (one query)."""
    rows = list(
        RegradeRequest.objects.filter(assessment=a)
        .select_related("supplement", "requested_by", "decided_by")
        .order_by("-requested_at", "-pk")
    )
    pending = next((r for r in rows if r.decided_at is None), None)
    decided = sorted((r for r in rows if r.decided_at is not None), key=lambda r: (r.decided_at, r.pk))
    return RegradeRequests(pending, decided[-1] if decided else None)


@dataclass
class RegradeScoringPage:
    """The district's item-by-item re-scoring of one organization, beside the township's scores (附件4)."""

    requests: RegradeRequests
    sheet: list[DimensionRows]
    totals: SheetTotals
    township_band: str  # the band of the township's items' total (C1), 较差 after a veto (C4)
    reviewer: bool  # the district (REVIEW_GRADES over the organization)
    may_decide: bool  # a reviewer, and a request waits for the decision


def regrade_scoring(user: Any, a: Assessment) -> RegradeScoringPage:
    """What the 年底复核评分 page shows of an assessment the user has through ``grading.access``."""
    reqs = requests_of(user, a)
    reviewer = access.actions_for(user, a)["review"]
    sheet = scoring_sheet(a)
    totals = sheet_totals(sheet)
    band = ""
    if a.township_score is not None:
        band = grade_rules.grade_for_score(totals.township, vetoed=totals.township_vetoed).value
    may_decide = reviewer and reqs.pending is not None and a.status == S.REGRADE_REQUESTED
    return RegradeScoringPage(reqs, sheet, totals, band, reviewer, may_decide)
