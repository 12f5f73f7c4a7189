"""Reads for the district's overview: progress by stage, the grade distribution, the 好 share against the cap and the
lowest-ranked of each grade (倒排), per township and for the district.

District pages: only whoever holds REVIEW_GRADES at the district root (district staff) gets past the access check;
anyone else gets 403 before any lookup. A fixed number of queries whatever the number of organizations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, Count, F, QuerySet, Value, When, Window
from django.db.models.functions import Coalesce, NullIf, Rank, RowNumber, Substr
from django.utils import timezone

from grading.access import require_reviewer
from grading.models import (
    Assessment,
    AssessmentStatus,
    Campaign,
    CampaignStatus,
    YearEndReview,
    status_now,
)
from grading.rules import counting as counting_rules
from grading.rules import grades as grade_rules
from organizations.models import Organization

S = AssessmentStatus
GRADES = grade_rules.GRADE_ORDER
# Statuses in which the district has set a grade (approved or later).
DECIDED = frozenset({S.APPROVED, S.OBJECTED, S.FINAL, S.REGRADE_REQUESTED})
# Statuses in which the township has a preliminary grade that the district has not yet set.
PRELIMINARY = frozenset({S.SCORED, S.IN_NOTICE, S.NOTICE_CLOSED, S.WITH_DISTRICT})
# The progress columns of the overview: stages of the cycle, each a group of statuses.
STAGES: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("self", "自评中", frozenset({S.DRAFT, S.RETURNED})),
    ("township", "乡镇初审", frozenset({S.SUBMITTED, S.SCORED})),
    ("notice", "公示", frozenset({S.IN_NOTICE, S.NOTICE_CLOSED})),
    ("district", "待区审定", frozenset({S.WITH_DISTRICT})),
    ("window", "异议期/复核", frozenset({S.APPROVED, S.OBJECTED, S.REGRADE_REQUESTED})),
    ("final", "已定级", frozenset({S.FINAL})),
)
BOTTOM_PER_GRADE = 5


def current_campaign(user: Any) -> Campaign | None:
    """The open campaign, else the latest one."""
    require_reviewer(user)
    latest = Campaign.objects.order_by("-year")
    return latest.filter(status=CampaignStatus.OPEN).first() or latest.first()


def townships(user: Any) -> QuerySet[Organization]:
    """The district's townships, for the district's pages (the caller holds REVIEW_GRADES at the root)."""
    require_reviewer(user)
    return Organization.objects.filter(depth=2).order_by("path")


def _township_of(path: str) -> str:
    return path[: 2 * Organization.steplen]


# --- The overview -----------------------------------------------------------------------------------------------


@dataclass
class Segment:
    grade: str
    label: str
    count: int
    x: float
    width: float


@dataclass
class Tally:
    """One township's (or the district's) numbers."""

    total: int = 0
    stages: dict[str, int] = field(default_factory=lambda: {key: 0 for key, _, _ in STAGES})
    decided: dict[str, int] = field(default_factory=lambda: {g.value: 0 for g in GRADES})
    preliminary: dict[str, int] = field(default_factory=lambda: {g.value: 0 for g in GRADES})

    def add(self, status: str, grade: str, decided: bool, n: int = 1) -> None:
        self.total += n
        for key, _, statuses in STAGES:
            if status in statuses:
                self.stages[key] += n
        if grade:
            (self.decided if decided else self.preliminary)[grade] += n

    def grade_count(self, grade: str) -> int:
        return self.decided[grade] + self.preliminary[grade]

    @property
    def graded(self) -> int:
        return sum(self.decided.values()) + sum(self.preliminary.values())

    @property
    def stage_list(self) -> list[tuple[str, str, int]]:
        return [(key, label, self.stages[key]) for key, label, _ in STAGES]

    @property
    def approved(self) -> int:
        return self.stages["window"] + self.stages["final"]

    def segments(self) -> list[Segment]:
        """Bar pieces in percent of all organizations: one per grade, the remainder is not yet graded."""
        out, x = [], 0.0
        for g in GRADES:
            n = self.grade_count(g.value)
            width = 100 * n / self.total if self.total else 0.0
            out.append(Segment(g.value, g.label, n, round(x, 2), round(width, 2)))
            x += width
        return out


@dataclass
class TownshipRow:
    township: Organization
    tally: Tally
    cap: counting_rules.CapResult


@dataclass
class ChartBar:
    grade: str
    label: str
    decided: int
    preliminary: int
    x: int
    decided_y: float
    decided_h: float
    preliminary_y: float
    preliminary_h: float
    top: float


@dataclass
class BottomRow:
    pk: int
    name: str
    township: str
    decided: bool
    score: Decimal
    rank_in_grade: int
    in_grade: int


@dataclass
class Overview:
    campaign: Campaign
    today: date
    rows: list[TownshipRow]
    district: Tally
    cap: counting_rules.CapResult
    cap_percent: Decimal
    widened: bool
    chart: list[ChartBar]
    bottom: list[tuple[str, list[BottomRow]]]
    stages: tuple[tuple[str, str, frozenset[str]], ...] = STAGES
    bottom_n: int = BOTTOM_PER_GRADE


CHART_HEIGHT = 160  # px of the tallest bar inside the SVG's viewBox
CHART_BASE = 190  # y of the bars' baseline


def _chart(tally: Tally) -> list[ChartBar]:
    top = max([tally.grade_count(g.value) for g in GRADES] + [1])
    bars = []
    for i, g in enumerate(GRADES):
        d, p = tally.decided[g.value], tally.preliminary[g.value]
        dh, ph = CHART_HEIGHT * d / top, CHART_HEIGHT * p / top
        bars.append(
            ChartBar(
                g.value,
                g.label,
                d,
                p,
                x=40 + i * 95,
                decided_y=round(CHART_BASE - dh, 1),
                decided_h=round(dh, 1),
                preliminary_y=round(CHART_BASE - dh - ph, 1),
                preliminary_h=round(ph, 1),
                top=round(CHART_BASE - dh - ph - 6, 1),
            )
        )
    return bars


def _graded_now(campaign: Campaign, today: date) -> QuerySet[Assessment]:
    """The campaign's assessments with their status on ``today``, the grade that counts now (the district's once it
    has decided, the township's preliminary one before; none earlier) and the score it ranks by."""
    decided, preliminary = sorted(DECIDED), sorted(PRELIMINARY)
    grade = Case(
        When(status_today__in=decided, then=Coalesce(NullIf(F("final_grade"), Value("")), F("district_grade"))),
        When(status_today__in=preliminary, then=F("township_grade")),
        default=Value(""),
        output_field=CharField(),
    )
    score = Case(
        When(status_today__in=decided, final_score__isnull=False, then=F("final_score")),
        default=F("township_score"),
    )
    return (
        Assessment.objects.filter(campaign=campaign)
        .annotate(status_today=status_now(today))
        .annotate(grade_now=grade, score_now=score)
    )


def _bottom_of_each_grade(graded: QuerySet[Assessment], names: dict[str, str]) -> list[tuple[str, list[BottomRow]]]:
    """The lowest ``BOTTOM_PER_GRADE`` of each grade (倒排, plan §四.2) with their rank within the grade by score
    (competition rank, best first) and the grade's size: one query with window functions, not a ranking of every
    assessment in Python."""
    by_grade = Window(Count("pk"), partition_by=[F("grade_now")])
    rows = (
        graded.exclude(grade_now="")
        .filter(score_now__isnull=False)
        .annotate(
            _pos=Window(
                RowNumber(),
                partition_by=[F("grade_now")],
                order_by=[F("score_now").asc(), F("organization__path").asc()],
            ),
            _rank=Window(Rank(), partition_by=[F("grade_now")], order_by=F("score_now").desc()),
            _in_grade=by_grade,
        )
        .filter(_pos__lte=BOTTOM_PER_GRADE)
        .values_list(
            "pk",
            "organization__name",
            "organization__path",
            "status_today",
            "score_now",
            "grade_now",
            "_rank",
            "_in_grade",
            "_pos",
        )
    )
    picked: dict[str, list[tuple[int, BottomRow]]] = {g.value: [] for g in GRADES}
    for pk, name, path, status, score, grade, rank, in_grade, pos in rows:
        town = names.get(_township_of(path), "")
        row = BottomRow(pk, name, town, status in DECIDED, score, rank, in_grade)
        picked.setdefault(grade, []).append((pos, row))
    return [(g.label, [row for _pos, row in sorted(picked[g.value], key=lambda p: p[0])]) for g in GRADES]


def overview(user: Any, campaign: Campaign, *, today: date | None = None) -> Overview:
    """Progress, grade distribution, the 好 share against the cap and the lowest-ranked of each grade (倒排).

    Statuses are read as they stand on ``today`` (``status_now``), so the page never shows a window that has passed
    as still open, and writes nothing.
    A fixed number of queries whatever the size of the district: townships, the year-end settings, the counts per
    township, status and grade (one GROUP BY on the township's path prefix) and the lowest of each grade (window
    functions): no row per assessment comes to Python (issue 15).
    """
    today = today or timezone.localdate()
    review = year_end_review(user, campaign)
    cap_percent = campaign.good_cap_percent
    widened = review is not None and review.widened_cap_percent is not None
    if widened:
        cap_percent = review.widened_cap_percent
    towns = list(townships(user))
    names = {t.path: t.name for t in towns}
    tallies = {t.path: Tally() for t in towns}
    district = Tally()
    graded = _graded_now(campaign, today)
    width = 2 * Organization.steplen
    counts = (
        graded.annotate(_town=Substr("organization__path", 1, width))
        .order_by()
        .values_list("_town", "status_today", "grade_now")
        .annotate(n=Count("pk"))
    )
    for town, status, grade, n in counts:
        decided = status in DECIDED
        tallies.setdefault(town, Tally()).add(status, grade, decided, n)
        district.add(status, grade, decided, n)
    bottom = _bottom_of_each_grade(graded, names)
    table = [
        TownshipRow(
            t,
            tallies[t.path],
            counting_rules.good_cap_check(
                tallies[t.path].total, tallies[t.path].grade_count(grade_rules.Grade.GOOD), cap_percent
            ),
        )
        for t in towns
    ]
    cap = counting_rules.good_cap_check(district.total, district.grade_count(grade_rules.Grade.GOOD), cap_percent)
    return Overview(campaign, today, table, district, cap, cap_percent, widened, _chart(district), bottom)


# --- Review queue, objections, consequences ---------------------------------------------------------------------


# --- Year-end -----------------------------------------------------------------------------------------------


def year_end_review(user: Any, campaign: Campaign) -> YearEndReview | None:
    """The campaign's year-end settings (already loaded when the campaign came from ``access.campaign_for`` with
    REVIEW_GRADES)."""
    try:
        return campaign.year_end
    except YearEndReview.DoesNotExist:
        return None
