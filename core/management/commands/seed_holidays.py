"""Seed the holiday table from the ``chinesecalendar`` package (RULES.md D3).

Only days that differ from Monday–Friday are stored: statutory holidays on weekdays (休) and weekend days made
working days (调休, 班). Idempotent; a year entered or edited by hand in the app is left alone.

    python manage.py seed_holidays                # every year the package knows from 2020 on
    python manage.py seed_holidays --years 2024-2026
    python manage.py seed_holidays --years 2025,2026
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.calendar_services import calendar_year_import
from core.holiday_package import differing_days, package_years
from core.management.years import parse_year_list

DEFAULT_FIRST_YEAR = 2020


def parse_years(text: str | None) -> list[int]:
    first, last = package_years()
    if not text:
        return list(range(max(DEFAULT_FIRST_YEAR, first), last + 1))
    years = parse_year_list(text, "2024-2026 或 2025,2026")
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
