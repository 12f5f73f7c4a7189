"""Reads for 附件5, the township's summary page: every organization ranked (competition rank) and in 倒排 order,
the grade shares and the 好 cap (C1, C5).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from grading.models import (
    Assessment,
    Campaign,
)
from grading.rules import counting as counting_rules
from grading.rules import grades as grade_rules
from grading.selectors.board import _assessments_of
from organizations.models import Organization


@dataclass(frozen=True)
class SummaryRow:
    assessment: Assessment
    order: int | None  # 倒排 position (1 = shown first), None when not yet graded by the township
    rank: int | None
    rank_in_grade: int | None


@dataclass(frozen=True)
class GradeShare:
    grade: grade_rules.Grade
    count: int
    percent: Decimal


@dataclass
class Summary:
    township: Organization
    campaign: Campaign
    rows: list[SummaryRow]
    ungraded: list[Assessment]
    shares: list[GradeShare]
    graded: int
    cap: counting_rules.CapResult


def summary(user: Any, campaign: Campaign, township: Organization) -> Summary:
    """附件5: every organization of the township, ranked (competition rank) and in 倒排 order (C1, §四.2)."""
    today = timezone.localdate()
    assessments = [
        a.as_of(today)
        for a in _assessments_of(campaign, township).select_related("notice").order_by("organization__path")
    ]
    graded = [a for a in assessments if a.township_grade and a.township_score is not None]
    by_pk = {a.pk: a for a in graded}
    ranked = counting_rules.rank_within_grades([(a.pk, a.township_score, a.township_grade) for a in graded])
    rows = [SummaryRow(by_pk[r.key], order, r.rank, r.rank_in_grade) for order, r in enumerate(ranked, start=1)]
    counts = Counter(a.township_grade for a in graded)
    shares = [
        GradeShare(
            g,
            counts.get(g.value, 0),
            (Decimal(counts.get(g.value, 0) * 100) / len(graded)).quantize(Decimal("0.1")) if graded else Decimal(0),
        )
        for g in grade_rules.GRADE_ORDER
    ]
    cap = counting_rules.good_cap_check(
        len(assessments), counts.get(grade_rules.Grade.GOOD.value, 0), campaign.good_cap_percent
    )
    return Summary(
        township=township,
        campaign=campaign,
        rows=rows,
        ungraded=[a for a in assessments if a.pk not in by_pk],
        shares=shares,
        graded=len(graded),
        cap=cap,
    )
