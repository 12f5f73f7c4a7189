"""What the ``chinesecalendar`` package knows of the official holidays (D3 of docs/domain.md): the years it covers
and, for a year, the days that differ from Monday–Friday with their Chinese names. Read by the ``seed_holidays``
command and by ``core.calendar_services.calendar_years_ensure``; writes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

from fixtures import reader

# chinese_calendar.Holiday values (English) → the names used in the State Council's notices: data, in
# fixtures/holiday_names.json.
HOLIDAY_NAMES: dict[str, str] = reader.holiday_names()


def package_years() -> tuple[int, int]:
    """First and last year the installed package knows."""
    years = {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
    return min(years), max(years)


def differing_days(year: int) -> list[tuple[date, bool, str]]:
    """The days of ``year`` that differ from Monday–Friday, with Chinese names (make-up days: "春节调休")."""
    days: list[tuple[date, bool, str]] = []
    day = date(year, 1, 1)
    while day.year == year:
        working = chinese_calendar.is_workday(day)
        if working != (day.weekday() < 5):
            _, english = chinese_calendar.get_holiday_detail(day)
            base = HOLIDAY_NAMES.get(english or "", english or "")
            if working:
                name = f"{base}调休" if base else "调休上班"
            else:
                name = base or "法定节假日"
            days.append((day, working, name))
        day += timedelta(days=1)
    return days
