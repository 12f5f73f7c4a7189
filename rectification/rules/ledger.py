"""Rules of the rectification ledger, as pure functions (no ORM, no settings): the problem lists, measures and
progress, overdue and stalled, member development, money.

Sources (the working plans of docs/domain.md, "Sources"): part 2 (a lagging branch's rectification: six typical
problems, member-development targets); part 4 (a weak organization's rectification: problem sources). Every threshold
is a named constant with its source; every refusal is a Chinese message naming the rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.db.models import TextChoices

from fixtures import reader
from organizations.rules import HIGH_SCHOOL_OR_ABOVE

# --- Problems (part 2 §三 six kinds; part 4 §三 difficulties; free text) ------------------------------------


# The lists are data: fixtures/rectification.json (with each entry's source). The file may add entries and reword
# labels; the codes that stored rows, the acceptance and the demo name must stay, so a file without them is refused
# when this module loads.
_LISTS = reader.rectification_lists()
_NAMED_PROBLEM_CATEGORIES = (
    "system_nominal",
    "openness_irregular",
    "security_petitions",
    "no_venue",
    "poor_service",
    "no_new_members",
    "disunited_team",
    "funding_difficult",
    "other",
)
_NAMED_PROBLEM_SOURCES = ("self_check", "visits", "forum", "petition", "acceptance")

# Part 2 §三 (1)–(6) the six typical problems; part 4 §三 一、二、三 the difficulties; 其他.
ProblemCategory = TextChoices(
    "ProblemCategory",
    reader.choice_members(
        _LISTS.problem_categories, required=_NAMED_PROBLEM_CATEGORIES, what="问题类别(problem_categories)"
    ),
    module=__name__,
)
# Part 4 §四(一): 两委自查; 驻点接待及走访群众; 党员、居民代表、外出人员代表座谈会. Petitions (信访): part 2 §三(3),
# §五(七). Part 4 §四(三): 对代表们不满意的事项进行限期整改 — items from a failed acceptance re-enter the ledger.
ProblemSource = TextChoices(
    "ProblemSource",
    reader.choice_members(_LISTS.problem_sources, required=_NAMED_PROBLEM_SOURCES, what="问题来源(problem_sources)"),
    module=__name__,
)


# --- Measures, progress, overdue, stalled -------------------------------------------------------------------


class MeasureStatus(TextChoices):
    PLANNED = "planned", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"


PERCENT_DONE = 100
# "Stalled": no progress note in 30 days (issue 4 §6). Counted like every window here (RULES.md D1): the 30 days
# start the day after the last note, so a note on 06-01 keeps the case active through 07-01 and 07-02 is stalled.
STALLED_AFTER_DAYS = 30


def measure_problems(status: str, percent: int) -> list[str]:
    found: list[str] = []
    if not 0 <= percent <= PERCENT_DONE:
        found.append(f"完成进度须在0–100%之间(收到{percent}%)")
    elif status == MeasureStatus.DONE and percent != PERCENT_DONE:
        found.append("已完成的措施进度应为100%")
    elif status == MeasureStatus.PLANNED and percent != 0:
        found.append("未开始的措施进度应为0%")
    elif status == MeasureStatus.IN_PROGRESS and percent == PERCENT_DONE:
        found.append("进度为100%的措施应标为已完成")
    return found


def status_for_percent(percent: int) -> MeasureStatus:
    if percent >= PERCENT_DONE:
        return MeasureStatus.DONE
    return MeasureStatus.IN_PROGRESS if percent > 0 else MeasureStatus.PLANNED


def effective_percent(status: str, percent: int) -> int:
    """What a measure counts for in the case's progress: done is 100, planned is 0, in progress its own share."""
    if status == MeasureStatus.DONE:
        return PERCENT_DONE
    if status == MeasureStatus.PLANNED:
        return 0
    return percent


def case_progress(measures: Iterable[tuple[str, int]]) -> int:
    """A case's progress (0–100) rolls up from its measures, each counting equally; no measures → 0."""
    values = [effective_percent(s, p) for s, p in measures]
    if not values:
        return 0
    return int(Fraction(sum(values), len(values)))  # floor: 99.9% is not done


def is_overdue(deadline: date | None, status: str, today: date) -> bool:
    """Deadlines are calendar dates (part 2/4 set months and dates, not working days): overdue the day after."""
    return deadline is not None and status != MeasureStatus.DONE and today > deadline


def is_stalled(last_activity: date, today: date) -> bool:
    """``last_activity``: the last progress note's date, or the opening date when there is none."""
    return (today - last_activity).days > STALLED_AFTER_DAYS


# --- Member development (part 2 §五(六)) --------------------------------------------------------------------


# Part 2 §五(六): "培养成积极分子3名,发展对象2名,发展党员1名" (fixtures/rectification.json, development_targets).
TargetKind = TextChoices(
    "TargetKind",
    reader.choice_members(
        _LISTS.development_targets,
        required=("activist", "development_target", "new_member"),
        what="发展党员目标(development_targets)",
    ),
    module=__name__,
)
DEVELOPMENT_TARGETS: dict[str, int] = {TargetKind(t.code): t.need for t in _LISTS.development_targets}
# Part 2 §五(六): "年龄在35岁以下" — 以下 includes the number (RULES.md, 民法典 Art. 1259): 35 is allowed.
DEVELOPMENT_MAX_AGE = 35


def age_on(birth_date: date, day: date) -> int:
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def development_person_problems(*, birth_date: date, education: str, on: date) -> list[str]:
    """Part 2 §五(六): 35 or younger and high school or above (HIGH_SCHOOL_OR_ABOVE, the roster's own reading)."""
    found: list[str] = []
    age = age_on(birth_date, on)
    if age > DEVELOPMENT_MAX_AGE:
        found.append(f"年龄{age}岁,超过35岁(第二篇五(六):年龄在35岁以下)")
    if education not in HIGH_SCHOOL_OR_ABOVE:
        found.append("文化程度须为高中以上(第二篇五(六))")
    return found


@dataclass(frozen=True)
class TargetCount:
    kind: TargetKind
    have: int
    need: int

    @property
    def met(self) -> bool:
        return self.have >= self.need


@dataclass(frozen=True)
class DevelopmentPerson:
    """One person counted toward a target: entered in the case's ledger, or read from the development pipeline (one
    row per stage the person reached in the case's year, dated that day)."""

    kind: str
    birth_date: date
    education: str
    since: date


def development_counts(people: Iterable[DevelopmentPerson]) -> dict[str, int]:
    """Part 2 §五(六): how many of each kind count, whichever the source: only those who meet the plan's conditions
    on the day (35 or younger, high school or above: ``development_person_problems``)."""
    counts: dict[str, int] = {}
    for p in people:
        if not development_person_problems(birth_date=p.birth_date, education=p.education, on=p.since):
            counts[p.kind] = counts.get(p.kind, 0) + 1
    return counts


def development_check(counts: Mapping[str, int]) -> list[TargetCount]:
    """Each kind's count against part 2's target, in the order of the plan."""
    return [TargetCount(kind, counts.get(kind, 0), need) for kind, need in DEVELOPMENT_TARGETS.items()]


def development_targets_met(counts: Mapping[str, int]) -> bool:
    return all(t.met for t in development_check(counts))


# --- Money (万元) -------------------------------------------------------------------------------------------

# Part 2 §五(三) budgets in 万元 (3万元, 10万元): two decimals is 100 yuan, enough for a ledger.
MONEY_PLACES = Decimal("0.01")
MONEY_MAX = Decimal("99999999.99")


def money_problems(value: Decimal | None, what: str) -> list[str]:
    if value is None:
        return []
    if value < 0:
        return [f"{what}不能为负数"]
    if value > MONEY_MAX:
        return [f"{what}超出上限"]
    return []
