"""Seed the holiday table from the ``chinesecalendar`` package (RULES.md D3).

Only days that differ from Monday–Friday are stored: statutory holidays on weekdays (休) and weekend days made
working days (调休, 班). Idempotent; a year entered or edited by hand in the app is left alone.

    python manage.py seed_holidays                # every year the package knows from 2020 on
    python manage.py seed_holidays --years 2024-2026
    python manage.py seed_holidays --years 2025,2026
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import chinese_calendar
from django.core.management.base import BaseCommand, CommandError, CommandParser

from partybuild.calendar_services import calendar_year_import

DEFAULT_FIRST_YEAR = 2020

# chinese_calendar.Holiday values (English) → the names used in the State Council's notices.
HOLIDAY_NAMES: dict[str, str] = {
    chinese_calendar.Holiday.new_years_day.value: "元旦",
    chinese_calendar.Holiday.spring_festival.value: "春节",
    chinese_calendar.Holiday.tomb_sweeping_day.value: "清明节",
    chinese_calendar.Holiday.labour_day.value: "劳动节",
    chinese_calendar.Holiday.dragon_boat_festival.value: "端午节",
    chinese_calendar.Holiday.mid_autumn_festival.value: "中秋节",
    chinese_calendar.Holiday.national_day.value: "国庆节",
    chinese_calendar.Holiday.anti_fascist_70th_day.value: "抗战胜利70周年纪念日",
}


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


def parse_years(text: str | None) -> list[int]:
    first, last = package_years()
    if not text:
        return list(range(max(DEFAULT_FIRST_YEAR, first), last + 1))
    years: set[int] = set()
    try:
        for part in text.split(","):
            part = part.strip()
            if "-" in part:
                low, high = (int(x) for x in part.split("-", 1))
                if low > high:
                    raise CommandError(f"年份范围“{part}”起止颠倒")
                years.update(range(low, high + 1))
            elif part:
                years.add(int(part))
    except ValueError:
        raise CommandError(f"无法识别年份“{text}”,应写成 2024-2026 或 2025,2026") from None
    outside = sorted(y for y in years if not first <= y <= last)
    if outside:
        raise CommandError(
            f"chinesecalendar 只有 {first}–{last} 年的数据,{'、'.join(map(str, outside))}年请由区委组织部在系统中录入"
        )
    return sorted(years)


class Command(BaseCommand):
    help = "从 chinesecalendar 导入法定节假日和调休安排(只保存与周一至周五规则不同的日期;可重复执行)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--years", help="年份,例如 2024-2026 或 2025,2026;默认 2020 年起 chinesecalendar 已知的全部年份"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for year in parse_years(options.get("years")):
            days = differing_days(year)
            changed = calendar_year_import(year=year, days=days)
            status = "已导入" if changed else "无变化或已人工维护,跳过"
            self.stdout.write(f"{year}年:{len(days)}天,{status}")
