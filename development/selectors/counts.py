"""The pipeline in figures: how many people are at each stage, per organization of a subtree (the 党员发展 board) or
per organization directly under one (the statistics page's table). One aggregate query each, ``COUNT(*) FILTER``
per stage, whatever the number of people or organizations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from development.models import Applicant
from development.rules.pipeline import Stage
from organizations.models import Organization
from organizations.scope import path_q, scope_paths

# The figures, in the pipeline's order: the four stages people are at now, and those admitted this year.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("applicant", "入党申请人"),
    ("activist", "入党积极分子"),
    ("target", "发展对象"),
    ("probationary", "预备党员"),
    ("admitted", "本年发展党员"),
)
LABELS = [label for _, label in COLUMNS]


def _aggregates(year: int) -> dict[str, Count]:
    return {
        Stage.APPLICANT.value: Count("pk", filter=Q(stage=Stage.APPLICANT)),
        Stage.ACTIVIST.value: Count("pk", filter=Q(stage=Stage.ACTIVIST)),
        Stage.TARGET.value: Count("pk", filter=Q(stage=Stage.TARGET)),
        Stage.PROBATIONARY.value: Count("pk", filter=Q(stage=Stage.PROBATIONARY)),
        "admitted": Count("pk", filter=Q(admitted_on__gte=date(year, 1, 1), admitted_on__lte=date(year, 12, 31))),
    }


def _values(row: dict[str, Any]) -> list[int]:
    return [row.get(key, 0) for key, _ in COLUMNS]


def _under(user: Any, org: Organization) -> QuerySet[Applicant]:
    return Applicant.objects.filter(
        path_q(scope_paths(user), "organization__path"), organization__path__startswith=org.path
    )


@dataclass(frozen=True)
class BoardRow:
    org_id: int
    name: str
    counts: list[int]


@dataclass(frozen=True)
class Board:
    labels: list[str]
    rows: list[BoardRow]

    @property
    def total(self) -> list[int]:
        return [sum(r.counts[i] for r in self.rows) for i in range(len(self.labels))]


def board(user: Any, org: Organization, *, year: int) -> Board:
    """Each organization of ``org``'s subtree that has people in the pipeline, in tree order (one query)."""
    rows = (
        _under(user, org)
        .values("organization_id", "organization__name", "organization__path")
        .annotate(**_aggregates(year))
        .order_by("organization__path")
    )
    return Board(LABELS, [BoardRow(r["organization_id"], r["organization__name"], _values(r)) for r in rows])


@dataclass(frozen=True)
class PipelineCounts:
    """For the statistics page: the figures by the path of each organization directly under the one counted (its own
    people under its own path), and their total."""

    labels: list[str]
    by_path: dict[str, list[int]]

    @property
    def total(self) -> list[int]:
        return [sum(v[i] for v in self.by_path.values()) for i in range(len(self.labels))]


def pipeline_counts(user: Any, org: Organization, *, day: date) -> PipelineCounts:
    """One query grouped by the path prefix one level below ``org`` (like the statistics' own tables)."""
    width = len(org.path) + Organization.steplen
    rows = (
        _under(user, org)
        .annotate(branch=Substr("organization__path", 1, width))
        .values("branch")
        .annotate(**_aggregates(day.year))
        .order_by()
    )
    return PipelineCounts(LABELS, {r["branch"]: _values(r) for r in rows})
