"""The development pipeline's rules (F1–F6 of docs/domain.md), as pure functions: plain values in, plain values out.

A person moves through five stages in order: 入党申请人 → 入党积极分子 → 发展对象 → 预备党员 → 正式党员. Each move has
a date; the dates never go back, and two intervals are standard:

* the 党章 (Art. 1): one may apply at eighteen full years of age (F1);
* 工作细则 (《中国共产党发展党员工作细则》, 2014): an activist is trained and observed for one year or more before
  becoming a development target (F3), with one or two full members as contact persons (培养联系人, F5);
* the 党章 (Art. 7): the probation is one year, counted from the day the branch meeting admits the person (F4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import TextChoices


class Stage(TextChoices):
    APPLICANT = "applicant", "入党申请人"
    ACTIVIST = "activist", "入党积极分子"
    TARGET = "target", "发展对象"
    PROBATIONARY = "probationary", "预备党员"
    FULL = "full", "正式党员"


# F2: the stages in their only order.
STAGE_ORDER: tuple[Stage, ...] = (Stage.APPLICANT, Stage.ACTIVIST, Stage.TARGET, Stage.PROBATIONARY, Stage.FULL)

# F1 党章 Art. 1: 年满十八岁 … 可以申请加入中国共产党.
MIN_AGE = 18
# F3 工作细则: 经过一年以上培养教育和考察 … 可列为发展对象 (以上 includes the number: exactly one year is enough).
ACTIVIST_YEARS = 1
# F4 党章 Art. 7: 预备党员的预备期为一年 … 从支部大会通过他为预备党员之日算起.
PROBATION_YEARS = 1
# F5 工作细则: 党组织应当指定一至两名正式党员作入党积极分子的培养联系人.
CONTACTS_MIN, CONTACTS_MAX = 1, 2
# F6 [L]: remind the secretary and the township 30 days before a probation ends (time to prepare the 转正 meeting).
REMIND_DAYS = 30


@dataclass(frozen=True)
class Move:
    """One allowed move: the words of the button and of the date asked for, and the record's date field."""

    label: str
    date_label: str
    field: str


# F2: the moves allowed, one stage forward at a time (the one transition service looks a move up here).
MOVES: dict[tuple[Stage, Stage], Move] = {
    (Stage.APPLICANT, Stage.ACTIVIST): Move("确定为入党积极分子", "确定为积极分子日期", "activist_on"),
    (Stage.ACTIVIST, Stage.TARGET): Move("列为发展对象", "列为发展对象日期", "target_on"),
    (Stage.TARGET, Stage.PROBATIONARY): Move("接收为预备党员", "支部大会接收日期", "admitted_on"),
    (Stage.PROBATIONARY, Stage.FULL): Move("按期转为正式党员", "转正日期", "full_on"),
}


def next_stage(stage: str) -> Stage | None:
    """The stage after ``stage`` (None after 正式党员)."""
    index = STAGE_ORDER.index(Stage(stage))
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year (a period in years ends on the
    corresponding day, or on the month's last day when there is none: 民法典)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def age_on(birth_date: date, day: date) -> int:
    """Whole years on ``day`` (a birthday counts the new year)."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def application_problems(*, birth_date: date, applied_on: date, today: date) -> list[str]:
    """F1: eighteen full years on the day of the application; no date in the future."""
    found: list[str] = []
    if applied_on > today:
        found.append("申请入党日期不能晚于今天")
    if birth_date >= applied_on:
        found.append("出生日期应早于申请入党日期")
    elif age_on(birth_date, applied_on) < MIN_AGE:
        found.append(f"申请入党时须年满{MIN_AGE}周岁(党章第一条),申请时{age_on(birth_date, applied_on)}岁")
    return found


def probation_ends_on(admitted_on: date) -> date:
    """F4: the last day of the probation, one year after admission (admitted 2025-07-01 → 2026-07-01)."""
    return add_years(admitted_on, PROBATION_YEARS)


def earliest_target_on(activist_on: date) -> date:
    """F3: the first day an activist may be listed as a development target."""
    return add_years(activist_on, ACTIVIST_YEARS)


def latest_admission_ending_by(day: date) -> date:
    """The latest admission date whose probation ends on or before ``day`` (for a query on the roster's 入党日期):
    ``probation_ends_on(a) <= day`` exactly when ``a <= latest_admission_ending_by(day)``."""
    earlier = add_years(day, -PROBATION_YEARS)
    leap_day = date(earlier.year, 2, 28) + timedelta(days=1)
    if (day.month, day.day) == (2, 28) and leap_day.month == 2:
        return leap_day  # admitted on 29 February: the probation ends on 28 February
    return earlier


@dataclass(frozen=True)
class Dates:
    """A person's dates so far (None for a stage not reached)."""

    applied_on: date
    activist_on: date | None = None
    target_on: date | None = None
    admitted_on: date | None = None


def _previous_date(dates: Dates, to: Stage) -> date | None:
    return {
        Stage.ACTIVIST: dates.applied_on,
        Stage.TARGET: dates.activist_on,
        Stage.PROBATIONARY: dates.target_on,
        Stage.FULL: dates.admitted_on,
    }.get(to)


def move_problems(*, stage: str, to: str, dates: Dates, on: date, today: date) -> list[str]:
    """F2–F4: why moving from ``stage`` to ``to`` on ``on`` is refused (empty: allowed)."""
    source, target = Stage(stage), Stage(to)
    if (source, target) not in MOVES:
        return [
            f"不能从“{source.label}”直接转为“{target.label}”(须按申请入党、积极分子、发展对象、预备党员、转正的顺序)"
        ]
    found: list[str] = []
    if on > today:
        found.append("日期不能晚于今天")
    previous = _previous_date(dates, target)
    if previous is not None and on < previous:
        found.append(f"日期不能早于上一阶段的日期({previous:%Y年%m月%d日})")
    if target == Stage.TARGET and dates.activist_on is not None and on < earliest_target_on(dates.activist_on):
        found.append(
            f"入党积极分子须经过{ACTIVIST_YEARS}年以上培养考察才能列为发展对象,"
            f"最早{earliest_target_on(dates.activist_on):%Y年%m月%d日}"
        )
    if target == Stage.FULL and dates.admitted_on is not None and on < probation_ends_on(dates.admitted_on):
        found.append(
            f"预备期为{PROBATION_YEARS}年(党章第七条),{probation_ends_on(dates.admitted_on):%Y年%m月%d日}期满后方可转正"
        )
    return found


def contacts_problems(count: int) -> list[str]:
    """F5: one or two contact persons."""
    if CONTACTS_MIN <= count <= CONTACTS_MAX:
        return []
    return [f"须指定{CONTACTS_MIN}至{CONTACTS_MAX}名正式党员作培养联系人(收到{count}名)"]


def probation_days_left(admitted_on: date, today: date) -> int:
    """Days from ``today`` to the probation's last day: negative once it has passed."""
    return (probation_ends_on(admitted_on) - today).days


def probation_due(admitted_on: date, today: date) -> bool:
    """F6: the probation ends within ``REMIND_DAYS`` days (or has ended) and the member is still probationary."""
    return probation_days_left(admitted_on, today) <= REMIND_DAYS
