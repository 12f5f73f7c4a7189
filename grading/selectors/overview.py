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

from django.db.models import QuerySet
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

    def add(self, status: str, grade: str, decided: bool) -> None:
        self.total += 1
        for key, _, statuses in STAGES:
            if status in statuses:
                self.stages[key] += 1
        if grade:
            (self.decided if decided else self.preliminary)[grade] += 1

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


def overview(user: Any, campaign: Campaign, *, today: date | None = None) -> Overview:
    """Progress, grade distribution, the 好 share against the cap and the lowest-ranked of each grade (倒排).

    Statuses are read as they stand on ``today`` (``status_now``), so the page never shows a window that has passed
    as still open, and writes nothing.
    Three queries whatever the size of the district: townships, the year-end settings and one row per assessment.
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
    ranked_input = []
    info: dict[int, tuple[int, str, str, bool]] = {}
    rows = Assessment.objects.filter(campaign=campaign).annotate(status_today=status_now(today)).values_list(
        "pk",
        "status_today",
        "organization__path",
        "organization__name",
        "township_score",
        "final_score",
        "township_grade",
        "district_grade",
        "final_grade",
    )
    for pk, status, path, name, t_score, f_score, t_grade, d_grade, f_grade in rows:
        decided = status in DECIDED
        grade = (f_grade or d_grade) if decided else (t_grade if status in PRELIMINARY else "")
        town = _township_of(path)
        tallies.setdefault(town, Tally()).add(status, grade, decided)
        district.add(status, grade, decided)
        score = f_score if (decided and f_score is not None) else t_score
        if grade and score is not None:
            ranked_input.append((pk, score, grade))
            info[pk] = (pk, name, names.get(town, ""), decided)
    ranked = counting_rules.rank_within_grades(ranked_input)
    in_grade = {g.value: sum(1 for r in ranked if r.grade == g) for g in GRADES}
    bottom = []
    for g in GRADES:
        of_grade = [r for r in ranked if r.grade == g][:BOTTOM_PER_GRADE]
        picked = [BottomRow(*info[r.key], r.score, r.rank_in_grade, in_grade[g.value]) for r in of_grade]
        bottom.append((g.label, picked))
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
