"""The rules of annual classification (分类定级), as pure functions: plain values in, plain values out, no ORM.

Every threshold is a named constant with its source. Sources: ``spec/RULES.md`` part C and the district's work plan
(``seed-documents.txt`` 第一篇, "the plan"); where the two disagree, the plan wins. A refusal raises
``RuleViolation`` (a ``ValueError``) whose messages say, in Chinese, which rule and which numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db.models import TextChoices

# --- Constants ------------------------------------------------------------------------------------------------

# C1, the plan §三(一): "根据分值(总分100分)确定为……四个等级".
SCORE_MIN = Decimal("0")
SCORE_MAX = Decimal("100")
# C2: a template's items add up to exactly the 100-point total.
TEMPLATE_TOTAL = Decimal("100")
# DOMAIN.md §3: "Scores may carry one decimal: 89.5 is 较好". Item points and maxima are stored as Decimal(4,1).
SCORE_DECIMAL_PLACES = 1
_ONE_DECIMAL = Decimal("0.1")

# C1, the plan §三(一): "90分以上为'好',80-89分为'较好',60-79分为'一般',60分以下为'较差'".
# Reading: 以上 includes the number (民法典 Art. 1259), so 90 itself is 好 and [90, 100] is 好. 以下 excludes it here
# ("60分以下" must exclude 60, since "60-79分" already claims 60), so 较差 is [0, 60). The plan writes the middle
# bands with whole-number ends (80-89, 60-79), which leaves gaps such as 89.5 once scores carry one decimal
# (DOMAIN.md §3: "89.5 is 较好, 59.9 is 较差"). Every band therefore runs from its lower end up to, not including,
# the next band's lower end: [80, 90) 较好, [60, 80) 一般. This is the only reading that covers every score in
# 0–100 exactly once and agrees with both the plan's whole-number examples and C1's decimal ones.
GOOD_MIN = Decimal("90")
FAIRLY_GOOD_MIN = Decimal("80")
AVERAGE_MIN = Decimal("60")

# The plan §三: self-assessment "3月31日前", township review "4月10日前", district review "4月20日前", re-grading
# requests "12月10日前", district re-grading and year-end reports "12月20日前". (month, day) of the campaign's year.
DEFAULT_DEADLINES: dict[str, tuple[int, int]] = {
    "self_assessment_due": (3, 31),
    "township_review_due": (4, 10),
    "district_review_due": (4, 20),
    "regrade_request_due": (12, 10),
    "regrade_due": (12, 20),
}
DEADLINE_LABELS = ("自查自评截止", "乡镇初审截止", "区委组织部审定截止", "申请复核截止", "复核定级截止")
# C5 / D4: the grading notice lasts 3 days (the plan §三(一)2 "公示期为3天"); objections within 7 working days
# (the plan §三(一)3(2) "应在7个工作日内"). Both configurable per campaign.
NOTICE_DAYS_DEFAULT = 3
OBJECTION_WORKING_DAYS_DEFAULT = 7

# C5, the plan §四.2: "原则上评为'好'等级的党组织一般不能超过20%" (不超过 includes 20%); the district may widen
# it at the year-end review, so the percentage is a parameter with this default.
GOOD_CAP_PERCENT_DEFAULT = Decimal("20")

# C6, the plan §四.3: "被评为'较差'等级的党组织,班子成员年度绩效考核一般评为'称职'或'称职'以下等级".
POOR_COMMITTEE_APPRAISAL_CAP = "称职"

# 附件2, the plan §三(一)1(2): the evaluation meeting's attendees, "挂村领导、支部党员、群众代表、'两代表一委员'".
# Keys are the values of ``grading.models.AttendeeCategory`` so that refusals name the category in Chinese.
ATTENDEE_CATEGORIES: dict[str, str] = {
    "leader": "挂村领导",
    "member": "党员",
    "masses": "群众代表",
    "deputies": "两代表一委员",
}


class Grade(TextChoices):
    """The four grades of C1, best first."""

    GOOD = "good", "好"
    FAIRLY_GOOD = "fairly_good", "较好"
    AVERAGE = "average", "一般"
    POOR = "poor", "较差"


# Best first; the position is the grade's order (0 = 好), so "a higher score never gives a lower grade" is testable.
GRADE_ORDER: tuple[Grade, ...] = (Grade.GOOD, Grade.FAIRLY_GOOD, Grade.AVERAGE, Grade.POOR)
# The same as lookups: ranking a city's 5,000 rows called Grade(...) and tuple.index for each (docs/performance.md).
_GRADE_OF_VALUE: dict[str, Grade] = {g.value: g for g in GRADE_ORDER}
_ORDER_OF_GRADE: dict[str, int] = {g.value: i for i, g in enumerate(GRADE_ORDER)}


def as_grade(value: Grade | str) -> Grade:
    """``Grade(value)`` by a dict lookup; an unknown value raises ``ValueError`` as ``Grade(value)`` does."""
    grade = _GRADE_OF_VALUE.get(value)
    return grade if grade is not None else Grade(value)


class Category(TextChoices):
    """The plan §三(二): each grade puts the organization in one management category."""

    RED_FLAG = "red_flag", "红旗支部"
    CATCH_UP = "catch_up", "赶超支部"
    LAGGING = "lagging", "后进支部"
    WEAK = "weak", "软弱涣散支部"


# The plan §三(二)1–4; C3: 较差 is by definition 软弱涣散.
_CATEGORY_OF_GRADE: dict[Grade, Category] = {
    Grade.GOOD: Category.RED_FLAG,
    Grade.FAIRLY_GOOD: Category.CATCH_UP,
    Grade.AVERAGE: Category.LAGGING,
    Grade.POOR: Category.WEAK,
}


class RuleViolation(ValueError):
    """A rule refused the input. ``messages`` are Chinese sentences naming the rule and the numbers."""

    def __init__(self, messages: str | Sequence[str]) -> None:
        self.messages: list[str] = [messages] if isinstance(messages, str) else list(messages)
        super().__init__(";".join(self.messages))


def fmt(value: Decimal | int) -> str:
    """A number as people write it: 99, 89.5 (no trailing zeros, no exponent)."""
    d = Decimal(value)
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


NUMBER_DIGITS_MAX = 6  # no score, count or share of this domain reaches a million: bigger input is a typing error


def _decimal(value: Any, what: str) -> Decimal:
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise RuleViolation(f"{what}不是有效的数字:{value}") from exc
    if not d.is_finite():
        raise RuleViolation(f"{what}不是有效的数字:{value}")
    if d != 0 and d.adjusted() >= NUMBER_DIGITS_MAX:
        raise RuleViolation(f"{what}数值过大,请填写{NUMBER_DIGITS_MAX}位以内的数字")
    return d


def _has_at_most_one_decimal(d: Decimal) -> bool:
    return d == d.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


def default_deadlines(year: int) -> dict[str, date]:
    """The plan's deadlines for ``year``, in the order the cycle meets them."""
    return {name: date(year, month, day) for name, (month, day) in DEFAULT_DEADLINES.items()}


def deadline_order_problems(deadlines: Mapping[str, date | None]) -> list[str]:
    """The cycle's deadlines must not run backwards (self-assessment before township review, and so on)."""
    steps = list(zip(DEFAULT_DEADLINES, DEADLINE_LABELS, strict=True))
    problems = []
    for (a, la), (b, lb) in zip(steps, steps[1:], strict=False):
        da, db = deadlines.get(a), deadlines.get(b)
        if da is not None and db is not None and db < da:
            problems.append(f"{lb}({db:%Y-%m-%d})不能早于{la}({da:%Y-%m-%d})")
    return problems


# --- C1 / C4: the grade of a total -------------------------------------------------------------------------------


def grade_order(grade: Grade | str) -> int:
    """0 for 好 … 3 for 较差."""
    order = _ORDER_OF_GRADE.get(grade)
    return order if order is not None else GRADE_ORDER.index(Grade(grade))


def grade_for_score(score: Decimal, *, vetoed: bool = False) -> Grade:
    """C1 band of a 100-point total; C4: a veto item forces 较差 whatever the score.

    A score outside 0–100 raises ``ValueError`` (C2), vetoed or not: a bad total is an error, not a grade.
    """
    d = _decimal(score, "总分")
    if d < SCORE_MIN or d > SCORE_MAX:
        raise RuleViolation(f"总分应在{fmt(SCORE_MIN)}至{fmt(SCORE_MAX)}分之间,当前为{fmt(d)}分")
    if vetoed:
        return Grade.POOR
    if d >= GOOD_MIN:
        return Grade.GOOD
    if d >= FAIRLY_GOOD_MIN:
        return Grade.FAIRLY_GOOD
    if d >= AVERAGE_MIN:
        return Grade.AVERAGE
    return Grade.POOR


# --- C2: item scores and templates -------------------------------------------------------------------------------


def validate_item_score(points: Decimal, max_points: Decimal) -> Decimal:
    """C2: an item's score lies in [0, its maximum] with at most one decimal. Returns the score as a Decimal."""
    p = _decimal(points, "得分")
    m = _decimal(max_points, "满分")
    if p < 0:
        raise RuleViolation(f"得分不能为负数,当前为{fmt(p)}分")
    if not _has_at_most_one_decimal(p):
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
            m = _decimal(item.max_points, "满分")
            label = f"“{dim.name}”中的“{item.text}”"
            if item.is_veto:
                if m != 0:
                    problems.append(f"{label}是一票否决项,不计分,满分应为0分,当前为{fmt(m)}分")
            elif m <= 0:
                problems.append(f"{label}的满分应大于0分,当前为{fmt(m)}分")
            elif not _has_at_most_one_decimal(m):
                problems.append(f"{label}的满分最多保留一位小数,当前为{m}分")
        if dim.max_points is not None:
            planned = _decimal(dim.max_points, "分值")
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
    cap = _decimal(cap_percent, "“好”等次比例")
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
    clean = [(key, _decimal(score, "总分"), as_grade(grade)) for key, score, grade in rows]
    overall = _competition_ranks([s for _, s, _ in clean])
    by_grade = {g: _competition_ranks([s for _, s, gr in clean if gr == g]) for g in GRADE_ORDER}
    ordered = sorted(clean, key=lambda r: (_ORDER_OF_GRADE[r[2]], r[1], str(r[0])))
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
        g: (Decimal(totals[g] * 100) / ballots).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)
        if ballots
        else Decimal("0.0")
        for g in GRADE_ORDER
    }
    return MeetingTally(by_category, attendees, totals, ballots, sum(attendees.values()), shares)


# --- C3 / C6: what a grade means -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Consequences:
    nominable_as_advanced: bool
    secretary_promotable_next_year: bool
    committee_appraisal_cap: str | None


def consequences(grade: Grade | str) -> Consequences:
    """C6, the plan §四.3: advanced-organization nominees only from 好; after 较差 the secretary is not promoted
    next year and the committee members' annual appraisal is at most 称职."""
    g = Grade(grade)
    poor = g == Grade.POOR
    return Consequences(
        nominable_as_advanced=g == Grade.GOOD,
        secretary_promotable_next_year=not poor,
        committee_appraisal_cap=POOR_COMMITTEE_APPRAISAL_CAP if poor else None,
    )


def category_for_grade(grade: Grade | str) -> Category:
    """The plan §三(二): 好 → 红旗支部, 较好 → 赶超支部, 一般 → 后进支部, 较差 → 软弱涣散支部 (C3)."""
    return _CATEGORY_OF_GRADE[Grade(grade)]
