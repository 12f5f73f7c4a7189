"""Working-day arithmetic (RULES.md D1–D3): one pure ``Calendar`` plus the DB-backed calendar everyone uses.

D1 (民法典 Art. 201): a window of N days starts the day AFTER the start event; day 1 is the next day.
D2: working days follow China's official calendar: statutory holidays are off, weekend days made working (调休) on.
D3: the official calendar is published yearly (usually in November). A year nobody has entered is refused with
``CalendarMissing`` (never silently treated as "weekends only"); ``provisional_window_end`` gives the weekends-only
estimate *with a flag* so the UI can mark the deadline 暂定.

The pure part (``Calendar``, ``parse_day_lines``) needs no database; ``load_calendar`` reads the ``CalendarYear`` and
``Holiday`` tables once and keeps the result in Django's cache until ``invalidate_calendar_cache`` (called by every
service that edits the tables).

Interpretation of RULES.md D2's "7 working days starting 2026-02-13 → ends 2026-02-28": with the official 2026
calendar (春节 off 02-15..02-23, make-up working Saturdays 02-14 and 02-28) the window whose day 1 is 02-13 runs
02-13, 02-14, 02-24, 02-25, 02-26, 02-27, 02-28. By D1 such a window belongs to a start event on 02-12, so
``window_end(date(2026, 2, 12), 7, working_days=True) == date(2026, 2, 28)``. (Reading "starting" as "start event on
02-13" would give 03-02, which contradicts the stated answer.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, NamedTuple

# Django cache key of the loaded calendar; bump the suffix if the cached shape changes.
CACHE_KEY = "partybuild:workdays:calendar:v1"
# An hour: an edit deletes the key, but a delete that failed while the cache was unreachable (core.safe_cache)
# leaves the old calendar behind until then.
CACHE_SECONDS = 3600

# Longest name a Holiday row may carry (Holiday.name max_length).
NAME_MAX_LENGTH = 40

_ONE_DAY = timedelta(days=1)


class CalendarMissing(Exception):
    """A working-day sum touched a year whose official holidays have not been entered (D3)."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(f"{year}年的法定节假日和调休安排尚未录入,请区委组织部先录入后再按工作日计算期限")


@dataclass(frozen=True)
class Calendar:
    """The official calendar for the ``years`` that have been entered.

    ``overrides`` maps a date to whether it is a working day, for days that differ from Monday–Friday.
    ``assume_weekends`` is only for provisional estimates: uncovered years then follow Monday–Friday instead of raising.
    """

    years: frozenset[int] = frozenset()
    overrides: Mapping[date, bool] = field(default_factory=dict)
    assume_weekends: bool = False

    def covers(self, year: int) -> bool:
        return year in self.years

    def is_workday(self, day: date) -> bool:
        if day.year not in self.years and not self.assume_weekends:
            raise CalendarMissing(day.year)
        return self.overrides.get(day, day.weekday() < 5)

    def add_days(self, start: date, n: int, *, working_days: bool = False) -> date:
        """The n-th day (or working day) after ``start``; ``n == 0`` gives ``start`` itself."""
        _check_count(n)
        if not working_days:
            return start + timedelta(days=n)
        day = start
        remaining = n
        while remaining:
            day += _ONE_DAY
            if self.is_workday(day):
                remaining -= 1
        return day

    def window_end(self, start: date, days: int, *, working_days: bool) -> date:
        """Last day of a window of ``days`` days that begins the day after ``start`` (D1).

        A zero-day window has no days of its own: it ends on ``start`` (it is over when that day is over).
        """
        return self.add_days(start, days, working_days=working_days)

    def window_days(self, start: date, days: int, *, working_days: bool) -> list[date]:
        """The days of the window, in order (only the working days when ``working_days``)."""
        _check_count(days)
        result: list[date] = []
        day = start
        while len(result) < days:
            day += _ONE_DAY
            if not working_days or self.is_workday(day):
                result.append(day)
        return result

    def working_days_between(self, a: date, b: date) -> int:
        """Working days ``d`` with ``a < d <= b``, so ``between(s, window_end(s, n)) == n``; negative if ``b < a``."""
        if b < a:
            return -self.working_days_between(b, a)
        return sum(1 for day in _days_after(a, b) if self.is_workday(day))

    def provisional_window_end(self, start: date, days: int, *, working_days: bool = True) -> tuple[date, bool]:
        """``(end, provisional)``: the real end when every year it touches is entered, otherwise the weekends-only
        estimate with ``provisional=True`` so the page can mark it 暂定 (D3)."""
        try:
            return self.window_end(start, days, working_days=working_days), False
        except CalendarMissing:
            return replace(self, assume_weekends=True).window_end(start, days, working_days=working_days), True

    def missing_years(self, years: Iterable[int]) -> list[int]:
        return sorted({y for y in years if y not in self.years})


def _check_count(n: int) -> None:
    if n < 0:
        raise ValueError(f"天数不能为负数(收到 {n})")


def _days_after(a: date, b: date) -> Iterator[date]:
    day = a + _ONE_DAY
    while day <= b:
        yield day
        day += _ONE_DAY


# --- Parsing the bulk paste form (pure) ---------------------------------------------------------------------

_WORK_WORDS = {"班": True, "上班": True, "工作日": True, "休": False, "休息": False, "放假": False}
_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


class DayLine(NamedTuple):
    day: date
    is_workday: bool
    name: str


def parse_day_lines(text: str, year: int) -> tuple[list[DayLine], list[str]]:
    """Parse one day per line (``2027-01-01 休 元旦`` / ``2027-02-07 班 春节调休``) for ``year``.

    Returns ``(days, errors)``; errors name the line number. Blank lines and lines starting with ``#`` are skipped.
    The caller saves nothing unless ``errors`` is empty.
    """
    days: list[DayLine] = []
    errors: list[str] = []
    seen: dict[date, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.replace("\u3000", " ").strip()
        if not line or line.startswith("#"):
            continue
        parts = re.split(r"[\s,,]+", line, maxsplit=2)
        if len(parts) < 2:
            errors.append(f"第{number}行:格式应为“日期 休/班 名称”,例如“{year}-01-01 休 元旦”")
            continue
        day = _parse_date(parts[0])
        if day is None:
            errors.append(f"第{number}行:日期“{parts[0]}”无效,应写成 {year}-01-01 这样的格式")
            continue
        if day.year != year:
            errors.append(f"第{number}行:日期 {day.isoformat()} 不在{year}年")
            continue
        if parts[1] not in _WORK_WORDS:
            errors.append(f"第{number}行:第二项应为“休”或“班”,收到“{parts[1]}”")
            continue
        name = parts[2].strip() if len(parts) > 2 else ""
        if len(name) > NAME_MAX_LENGTH:
            errors.append(f"第{number}行:名称不能超过{NAME_MAX_LENGTH}个字")
            continue
        if day in seen:
            errors.append(f"第{number}行:日期 {day.isoformat()} 与第{seen[day]}行重复")
            continue
        seen[day] = number
        days.append(DayLine(day, _WORK_WORDS[parts[1]], name))
    if not days and not errors:
        errors.append(f"没有填写任何日期:请每行填写一天,例如“{year}-01-01 休 元旦”")
    return days, errors


def _parse_date(text: str) -> date | None:
    match = _DATE_RE.match(text)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


# --- The DB-backed calendar ---------------------------------------------------------------------------------


def _read_calendar() -> Calendar:
    from core.models import CalendarYear, Holiday

    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    overrides = dict(Holiday.objects.values_list("date", "is_workday"))
    return Calendar(years=years, overrides=overrides)


def load_calendar() -> Calendar:
    """The calendar from the ``CalendarYear`` and ``Holiday`` tables, cached until a service edits them."""
    from core.safe_cache import cache_get, cache_set

    cached: Any = cache_get(CACHE_KEY)
    if isinstance(cached, Calendar):
        return cached
    calendar = _read_calendar()
    cache_set(CACHE_KEY, calendar, CACHE_SECONDS)
    return calendar


def invalidate_calendar_cache() -> None:
    """Forget the cached calendar now and again after the surrounding transaction commits (so a reader cannot
    re-cache the old rows between the edit and the commit)."""
    from django.db import transaction

    from core.safe_cache import cache_delete

    cache_delete(CACHE_KEY)
    transaction.on_commit(lambda: cache_delete(CACHE_KEY))


def add_days(start: date, n: int, *, working_days: bool = False) -> date:
    if not working_days:
        return Calendar().add_days(start, n)
    return load_calendar().add_days(start, n, working_days=True)


def window_end(start: date, days: int, *, working_days: bool) -> date:
    """Last day of the window (D1); raises ``CalendarMissing`` when a working-day window reaches an unentered year.

    Calendar-day windows never read the holiday table."""
    if not working_days:
        return Calendar().window_end(start, days, working_days=False)
    return load_calendar().window_end(start, days, working_days=True)


def window_days(start: date, days: int, *, working_days: bool) -> list[date]:
    calendar = load_calendar() if working_days else Calendar()
    return calendar.window_days(start, days, working_days=working_days)


def working_days_between(a: date, b: date) -> int:
    return load_calendar().working_days_between(a, b)


def is_workday(day: date) -> bool:
    return load_calendar().is_workday(day)


def provisional_window_end(start: date, days: int, *, working_days: bool = True) -> tuple[date, bool]:
    """``(end, provisional)``; see ``Calendar.provisional_window_end``."""
    if not working_days:
        return Calendar().window_end(start, days, working_days=False), False
    return load_calendar().provisional_window_end(start, days, working_days=True)
