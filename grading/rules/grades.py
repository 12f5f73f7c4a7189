"""The rules of annual classification (分类定级), as pure functions: plain values in, plain values out, no ORM.

Every threshold is a named constant with its source. Sources: ``spec/RULES.md`` part C and the district's work plan
(``seed-documents.txt`` 第一篇, "the plan"); where the two disagree, the plan wins. A refusal raises
``RuleViolation`` (a ``ValueError``) whose messages say, in Chinese, which rule and which numbers.

Here: the constants, the grades and categories, the deadlines, the grade of a total (C1, C4) and what a grade means
(C3, C6). The rules that count (item scores and templates, the 好 cap, ranking, the meeting's tally) are in
``grading.rules.counting``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
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
ONE_DECIMAL = Decimal("0.1")

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
ORDER_OF_GRADE: dict[str, int] = {g.value: i for i, g in enumerate(GRADE_ORDER)}


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


def to_decimal(value: Any, what: str) -> Decimal:
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise RuleViolation(f"{what}不是有效的数字:{value}") from exc
    if not d.is_finite():
        raise RuleViolation(f"{what}不是有效的数字:{value}")
    if d != 0 and d.adjusted() >= NUMBER_DIGITS_MAX:
        raise RuleViolation(f"{what}数值过大,请填写{NUMBER_DIGITS_MAX}位以内的数字")
    return d


def has_at_most_one_decimal(d: Decimal) -> bool:
    return d == d.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


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
    order = ORDER_OF_GRADE.get(grade)
    return order if order is not None else GRADE_ORDER.index(Grade(grade))


def grade_for_score(score: Decimal, *, vetoed: bool = False) -> Grade:
    """C1 band of a 100-point total; C4: a veto item forces 较差 whatever the score.

    A score outside 0–100 raises ``ValueError`` (C2), vetoed or not: a bad total is an error, not a grade.
    """
    d = to_decimal(score, "总分")
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


# --- The moves the clock makes (D1, D2) ---------------------------------------------------------------------------

# A notice is over the day after its last day (D1); the district's grade is final the day after the last working day
# of the objection window (D2, 第一篇 三(一)3). Status codes as ``grading.models.AssessmentStatus`` stores them.
IN_NOTICE, NOTICE_CLOSED, APPROVED, FINAL = "in_notice", "notice_closed", "approved", "final"
CLOCK_MOVES: dict[str, str] = {IN_NOTICE: NOTICE_CLOSED, APPROVED: FINAL}


def status_on(status: str, *, notice_ends_on: date | None, objection_due: date | None, today: date) -> str:
    """The status an assessment has on ``today`` whether or not the sweep has written it yet: 公示中 becomes 公示期满
    once ``today`` is after the notice's last day, 已审定 becomes 已定级 once it is after the objection window's last
    working day. Pages read this; ``grading.services.workflow.catch_up`` (the sweep, and every transition) writes it."""
    if status == IN_NOTICE and notice_ends_on is not None and today > notice_ends_on:
        return NOTICE_CLOSED
    if status == APPROVED and objection_due is not None and today > objection_due:
        return FINAL
    return status


# --- Re-adjusting a final grade outside an objection -------------------------------------------------------------

# 第一篇 三(一)3(2): "如有重大信息遗漏、重大判断失误等情况,由区委组织部对原评价结果作出重新调整".
READJUST_GROUNDS: dict[str, str] = {"omission": "重大信息遗漏", "misjudgment": "重大判断失误"}


def readjust_problem(*, ground: str, reason: str, grade: str, current: str, vetoed: bool) -> str | None:
    """Why the district may not re-adjust a final grade ``current`` to ``grade`` as asked (None: it may): one of the
    two grounds the plan names, a written reason, a real change, and a veto item (C4) still forcing 较差."""
    if ground not in READJUST_GROUNDS:
        return "请选择重新调整的原因:重大信息遗漏或重大判断失误"
    if not reason.strip():
        return "请写明重新调整的理由和依据"
    if grade not in Grade.values:
        return "请选择调整后的等次"
    if grade == current:
        return f"调整后的等次与现在的等次“{Grade(grade).label}”相同,无需调整"
    if vetoed and grade != Grade.POOR:
        return "该组织触发一票否决,等次只能为“较差”"
    return None
