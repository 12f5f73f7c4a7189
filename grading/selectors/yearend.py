"""Reads for the year-end pages (source part 1 §三(三)): re-grading requests and the re-scoring beside the
township's scores, township summaries and awards, a township's final grades, the 好 share of final grades, and scoped
downloads of uploaded files.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from grading import rules
from grading.models import (
    Assessment,
    AssessmentStatus,
    Campaign,
    ExcellenceAward,
    ExperiencePaper,
    ItemScore,
    Objection,
    ObjectionStage,
    RegradeRequest,
    RegradeSupplement,
    TownshipSummary,
)
from grading.selectors.overview import townships
from grading.services.assessments import DimensionRows
from grading.services.workflow import catch_up
from organizations.models import Organization
from organizations.roles import Perm
from organizations.scope import get_visible_or_404, require

S = AssessmentStatus


def regrade_requests(campaign: Campaign) -> tuple[list[RegradeRequest], list[RegradeRequest]]:
    base = RegradeRequest.objects.filter(assessment__campaign=campaign).select_related(
        "assessment__organization", "assessment__campaign", "supplement", "requested_by"
    )
    pending = list(base.filter(decided_at__isnull=True).order_by("requested_at", "pk"))
    decided = list(base.filter(decided_at__isnull=False).order_by("-decided_at", "-pk"))
    return pending, decided


def regrade_request_get(campaign: Campaign, pk: Any) -> RegradeRequest:
    return get_object_or_404(
        RegradeRequest.objects.select_related("assessment__organization", "assessment__campaign"),
        assessment__campaign=campaign,
        pk=pk,
    )


@dataclass
class SummaryRow:
    township: Organization
    summary: TownshipSummary | None
    award: ExcellenceAward | None


def summaries_board(campaign: Campaign) -> list[SummaryRow]:
    summaries = {
        s.township_id: s
        for s in TownshipSummary.objects.filter(campaign=campaign).prefetch_related(
            Prefetch("papers", queryset=ExperiencePaper.objects.order_by("pk"))
        )
    }
    awards = {a.township_id: a for a in ExcellenceAward.objects.filter(campaign=campaign)}
    return [SummaryRow(t, summaries.get(t.pk), awards.get(t.pk)) for t in townships()]


def township_final_assessments(campaign: Campaign, township: Organization) -> list[Assessment]:
    return list(
        Assessment.objects.filter(
            campaign=campaign,
            organization__path__startswith=township.path,
            status__in=[S.FINAL, S.REGRADE_REQUESTED],
        )
        .select_related("organization")
        .prefetch_related(Prefetch("regrade_requests", queryset=RegradeRequest.objects.order_by("-pk")))
        .order_by("organization__path")
    )


def township_summary(campaign: Campaign, township: Organization) -> TownshipSummary | None:
    return TownshipSummary.objects.filter(campaign=campaign, township=township).prefetch_related("papers").first()


FILE_KINDS: dict[str, tuple[Any, str, str]] = {
    # kind: (model, file field, path of the organization the file belongs to)
    "objection": (Objection, "evidence", "assessment__organization__path"),
    "regrade": (RegradeRequest, "evidence", "assessment__organization__path"),
    "report": (RegradeSupplement, "written_report", "request__assessment__organization__path"),
    "summary": (TownshipSummary, "report", "township__path"),
    "paper": (ExperiencePaper, "file", "summary__township__path"),
}


def file_get(user: Any, kind: str, pk: Any) -> Any:
    """The stored file of an upload the user may read (VIEW_RECORDS on its organization); 404 otherwise."""
    if kind not in FILE_KINDS:
        raise Http404("文件不存在")
    model, attr, path_field = FILE_KINDS[kind]
    obj = get_visible_or_404(model.objects.all(), user, path_field=path_field, pk=pk)
    stored = getattr(obj, attr)
    if not stored:
        raise Http404("文件不存在")
    return stored


# --- Organization-level pages ----------------------------------------------------------------------------------


def assessment_for(user: Any, pk: Any, perm: Perm) -> Assessment:
    """An assessment in the user's scope (404 outside), on which the user may do ``perm`` (403 otherwise)."""
    a = get_visible_or_404(
        Assessment.objects.select_related("organization", "campaign"), user, path_field="organization__path", pk=pk
    )
    require(user, perm, a.organization)
    if catch_up(assessment_ids=[a.pk]):  # a window that has passed is shown as passed
        a.refresh_from_db()
    return a


def district_objections_of(a: Assessment) -> list[Objection]:
    return list(a.objections.filter(stage=ObjectionStage.DISTRICT).order_by("pk"))


def township_for(user: Any, pk: Any, perm: Perm) -> Organization:
    town = get_visible_or_404(Organization.objects.filter(depth=2), user, path_field="path", pk=pk)
    require(user, perm, town)
    return town


def township_of(org: Organization) -> Organization:
    return Organization.objects.get(path=org.township_path())


def campaign_get(pk: Any) -> Campaign:
    return get_object_or_404(Campaign, pk=pk)


def final_good_share(campaign: Campaign, cap_percent: Any) -> rules.CapResult:
    """C5 district-wide over final grades: how many 好 there are now against the (widened) cap."""
    qs = Assessment.objects.filter(campaign=campaign)
    return rules.good_cap_check(qs.count(), qs.filter(final_grade=rules.Grade.GOOD).count(), cap_percent)


@dataclass(frozen=True)
class RegradeRequests:
    pending: RegradeRequest | None
    last_decided: RegradeRequest | None


def requests_of(a: Assessment) -> RegradeRequests:
    """The assessment's pending re-grading request and its last decided one (one query)."""
    rows = list(
        RegradeRequest.objects.filter(assessment=a)
        .select_related("supplement", "requested_by", "decided_by")
        .order_by("-requested_at", "-pk")
    )
    pending = next((r for r in rows if r.decided_at is None), None)
    decided = sorted((r for r in rows if r.decided_at is not None), key=lambda r: (r.decided_at, r.pk))
    return RegradeRequests(pending, decided[-1] if decided else None)


@dataclass(frozen=True)
class SheetTotals:
    township: Decimal
    regrade: Decimal
    regrade_vetoed: bool
    township_vetoed: bool
    regraded: bool  # the sheet holds item scores of a year-end re-scoring

    @property
    def regrade_band(self) -> str:
        return rules.grade_for_score(self.regrade, vetoed=self.regrade_vetoed).label if self.regraded else ""


def sheet_totals(sheet: list[DimensionRows]) -> SheetTotals:
    rows = [r for d in sheet for r in d.rows]

    def total(scores: list[ItemScore | None]) -> Decimal:
        return sum((x.points for x in scores if x is not None and x.points is not None), Decimal("0"))

    return SheetTotals(
        township=total([r.township_score for r in rows if not r.item.is_veto]),
        regrade=total([r.regrade_score for r in rows if not r.item.is_veto]),
        regrade_vetoed=any(r.regrade_score and r.regrade_score.vetoed for r in rows if r.item.is_veto),
        township_vetoed=any(r.township_score and r.township_score.vetoed for r in rows if r.item.is_veto),
        regraded=any(r.regrade_score is not None for r in rows),
    )
