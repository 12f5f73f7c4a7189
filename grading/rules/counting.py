"""The rules of annual classification that count, as pure functions: an item's score and a template's points (C2),
the 好 share under its cap (C5), ranking within grades (倒排) and the evaluation meeting's tally (附件2). The constants,
the grades and the grade of a total are in ``grading.rules.grades``; sources as cited there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from grading.rules.grades import (
    ATTENDEE_CATEGORIES,
    GOOD_CAP_PERCENT_DEFAULT,
    GRADE_ORDER,
    ONE_DECIMAL,
    ORDER_OF_GRADE,
    TEMPLATE_TOTAL,
    Grade,
    RuleViolation,
    as_grade,
    fmt,
    has_at_most_one_decimal,
    to_decimal,
)

# --- C2: item scores and templates -------------------------------------------------------------------------------


def validate_item_score(points: Decimal, max_points: Decimal) -> Decimal:
    """C2: an item's score lies in [0, its maximum] with at most one decimal. Returns the score as a Decimal."""
    p = to_decimal(points, "得分")
    m = to_decimal(max_points, "满分")
    if p < 0:
        raise RuleViolation(f"得分不能为负数,当前为{fmt(p)}分")
    if not has_at_most_one_decimal(p):
        raise RuleViolation(f"得分最多保留一位小数,当前为{p}分")
    if p > m:
        raise RuleViolation(f"得分{fmt(p)}分超过该项满分{fmt(m)}分")
    return p


@dataclass(frozen=True)
class ItemSpec:
    text: str
    max_points: Decimal
    is_veto: bool = False


@dataclass(frozen=True)
class DimensionSpec:
    name: str
    items: Sequence[ItemSpec] = field(default_factory=tuple)
    max_points: Decimal | None = None  # the dimension's planned share (C7); None = not checked


def template_total(dimensions: Iterable[DimensionSpec]) -> Decimal:
    """The sum of the scored (non-veto) items' maxima."""
    return sum((Decimal(i.max_points) for d in dimensions for i in d.items if not i.is_veto), Decimal("0"))


def validate_template(dimensions: Sequence[DimensionSpec]) -> Decimal:
    """C2: every scored item has a positive maximum with at most one decimal, and they sum to exactly 100;
    C7: when a dimension states its share, its items add up to it.

    Veto items (C4) carry no points: their maximum must be 0 and they do not count toward the total.
    Reports every problem at once; returns the total when the template is valid.
    """
    problems: list[str] = []
    for dim in dimensions:
        for item in dim.items:
            m = to_decimal(item.max_points, "满分")
            label = f"“{dim.name}”中的“{item.text}”"
            if item.is_veto:
                if m != 0:
                    problems.append(f"{label}是一票否决项,不计分,满分应为0分,当前为{fmt(m)}分")
            elif m <= 0:
                problems.append(f"{label}的满分应大于0分,当前为{fmt(m)}分")
            elif not has_at_most_one_decimal(m):
                problems.append(f"{label}的满分最多保留一位小数,当前为{m}分")
        if dim.max_points is not None:
            planned = to_decimal(dim.max_points, "分值")
            scored = template_total([dim])
            if scored != planned:
                problems.append(f"“{dim.name}”各项满分合计{fmt(scored)}分,与该维度分值{fmt(planned)}分不符")
    total = template_total(dimensions)
    if total != TEMPLATE_TOTAL:
        problems.append(f"评分标准合计应为{fmt(TEMPLATE_TOTAL)}分,当前为{fmt(total)}分")
    if problems:
        raise RuleViolation(problems)
    return total


# --- C5: the 好 cap ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CapResult:
    total_graded: int
    good_count: int
    cap_percent: Decimal
    allowed: int
    exceeds: bool
    message: str | None

    @property
    def reason_required(self) -> bool:
        """C5: exceeding the cap is allowed only with a written reason."""
        return self.exceeds


def good_cap_check(total_graded: int, good_count: int, cap_percent: Decimal = GOOD_CAP_PERCENT_DEFAULT) -> CapResult:
    """C5: 好 at most ``cap_percent`` of the graded organizations; allowed = floor(total × cap / 100).

    "不能超过20%" includes 20% itself, so 2 of 10 is within the cap and 3 of 10 exceeds it.
    """
    cap = to_decimal(cap_percent, "“好”等次比例")
    if total_graded < 0 or good_count < 0:
        raise RuleViolation("参评组织数和“好”等次数不能为负数")
    if good_count > total_graded:
        raise RuleViolation(f"“好”等次{good_count}个,多于参评组织{total_graded}个")
    if cap < 0 or cap > 100:
        raise RuleViolation(f"“好”等次比例应在0%至100%之间,当前为{fmt(cap)}%")
    allowed = int((Decimal(total_graded) * cap / 100).to_integral_value(rounding=ROUND_FLOOR))
    exceeds = good_count > allowed
    message = None
    if exceeds:
        message = (
            f"“好”等次{good_count}个,超过比例上限:参评组织{total_graded}个,按{fmt(cap)}%最多{allowed}个,"
            f"如确需超过,须填写理由"
        )
    return CapResult(total_graded, good_count, cap, allowed, exceeds, message)


# --- 倒排: ranking ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankedRow:
    key: Any
    score: Decimal
    grade: Grade
    rank: int  # competition rank by score among all rows (highest = 1; ties share: 1, 2, 2, 4)
    rank_in_grade: int  # the same, among the rows of the same grade


def _competition_ranks(scores: Sequence[Decimal]) -> dict[Decimal, int]:
    ranks: dict[Decimal, int] = {}
    for position, score in enumerate(sorted(scores, reverse=True), start=1):
        ranks.setdefault(score, position)
    return ranks


def rank_within_grades(rows: Sequence[tuple[Any, Decimal, Grade | str]]) -> list[RankedRow]:
    """The plan §四.2 "倒排": grades best first, and within each grade the lowest score first, so that the
    organizations at the bottom of each grade are the first seen. Each row also carries its competition rank
    by score among all the rows given (one township's, or the district's) and within its grade.

    The grade is taken as given (it may differ from the score's band after an override or a veto).
    """
    clean = [(key, to_decimal(score, "总分"), as_grade(grade)) for key, score, grade in rows]
    overall = _competition_ranks([s for _, s, _ in clean])
    by_grade = {g: _competition_ranks([s for _, s, gr in clean if gr == g]) for g in GRADE_ORDER}
    ordered = sorted(clean, key=lambda r: (ORDER_OF_GRADE[r[2]], r[1], str(r[0])))
    return [RankedRow(key, score, grade, overall[score], by_grade[grade][score]) for key, score, grade in ordered]


# --- 附件2: the evaluation meeting's tally ----------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingTally:
    by_category: dict[str, dict[Grade, int]]
    attendees: dict[str, int]
    totals: dict[Grade, int]
    ballots: int
    attendee_total: int
    shares: dict[Grade, Decimal]  # percent of all ballots cast, one decimal

    def category_ballots(self, category: str) -> int:
        return sum(self.by_category.get(category, {}).values())


def tally_meeting(
    ballots_by_category: Mapping[str, Mapping[Grade | str, int]], attendees_by_category: Mapping[str, int]
) -> MeetingTally:
    """附件2: count the anonymous ballots (one grade each) per attendee category and in total.

    A category cannot return more ballots than it had attendees; fewer is fine (abstentions, blank ballots).
    """
    problems: list[str] = []

    def label(category: str) -> str:
        return ATTENDEE_CATEGORIES.get(category, category)

    attendees: dict[str, int] = {}
    for category, count in attendees_by_category.items():
        if count < 0:
            problems.append(f"“{label(category)}”参会人数不能为负数,当前为{count}人(附件2)")
        attendees[category] = count
    by_category: dict[str, dict[Grade, int]] = {}
    for category, counts in ballots_by_category.items():
        row = {g: 0 for g in GRADE_ORDER}
        for grade, n in counts.items():
            if n < 0:
                problems.append(f"“{label(category)}”评为“{Grade(grade).label}”的票数不能为负数,当前为{n}票(附件2)")
            row[Grade(grade)] += n
        by_category[category] = row
        cast = sum(row.values())
        present = attendees.get(category, 0)
        if cast > present:
            problems.append(f"“{label(category)}”收回测评票{cast}张,多于参会人数{present}人(附件2)")
    if problems:
        raise RuleViolation(problems)
    for category in attendees:
        by_category.setdefault(category, {g: 0 for g in GRADE_ORDER})
    totals = {g: sum(row[g] for row in by_category.values()) for g in GRADE_ORDER}
    ballots = sum(totals.values())
    shares = {
        g: (Decimal(totals[g] * 100) / ballots).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
        if ballots
        else Decimal("0.0")
        for g in GRADE_ORDER
    }
    return MeetingTally(by_category, attendees, totals, ballots, sum(attendees.values()), shares)
