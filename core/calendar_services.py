"""Writes to the holiday calendar (RULES.md D3): the one door for ``CalendarYear`` and ``Holiday`` rows.

Every write runs in a transaction, records an audit event against the year's ``CalendarYear`` row (so the year
has a timeline) and invalidates the cached calendar of ``core.workdays``.
Only district staff (区委组织部) may edit the calendar (DESIGN.md roles × actions: "campaign, template, deadlines,
holidays"). The seed command uses ``calendar_year_import`` as the system.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core import access, audit, provisional
from core.holiday_package import differing_days, package_years
from core.models import CalendarYear, Holiday
from core.workdays import NAME_MAX_LENGTH, invalidate_calendar_cache

SOURCE_PACKAGE = "chinesecalendar"
SOURCE_MANUAL = "manual"

DayTuple = tuple[date, bool, str]


def calendar_years_ensure(years: Iterable[int], *, provisional_source: str) -> list[int]:
    """Put every year of ``years`` in the holiday table, leaving a year already there alone: from ``chinesecalendar``
    where the package knows it (as ``seed_holidays`` does), otherwise as plain Monday–Friday weeks under
    ``provisional_source``. For demo and test data only: a real district enters a year the package lacks by hand
    (China publishes each year's holidays around November). Returns the years entered provisionally."""
    first, last = package_years()
    provisional = []
    for year in sorted(set(years)):
        if CalendarYear.objects.filter(year=year).exists():
            continue
        if first <= year <= last:
            calendar_year_import(year=year, days=differing_days(year))
        else:
            calendar_year_import(year=year, days=[], source=provisional_source)
            provisional.append(year)
    return provisional


def _require_district_staff(actor: Any) -> None:
    if not access.is_district_staff(actor):
        raise PermissionDenied("只有区委组织部可以维护法定节假日和调休安排")


def _day_json(day: date, is_workday: bool, name: str) -> dict[str, Any]:
    return {"date": day.isoformat(), "is_workday": is_workday, "name": name}


def _year_rows(year: int) -> list[dict[str, Any]]:
    rows = Holiday.objects.filter(date__year=year).order_by("date").values_list("date", "is_workday", "name")
    return [_day_json(*row) for row in rows]


def _validate_days(year: int, days: Iterable[DayTuple]) -> list[DayTuple]:
    clean: list[DayTuple] = []
    errors: list[str] = []
    seen: set[date] = set()
    for day, is_workday, name in days:
        name = (name or "").strip()
        if day.year != year:
            errors.append(f"{day.isoformat()} 不在{year}年")
        elif day in seen:
            errors.append(f"{day.isoformat()} 重复")
        elif len(name) > NAME_MAX_LENGTH:
            errors.append(f"{day.isoformat()} 的名称超过{NAME_MAX_LENGTH}个字")
        seen.add(day)
        clean.append((day, bool(is_workday), name))
    if errors:
        raise ValidationError(errors)
    return clean


def _replace_year(year: int, days: list[DayTuple]) -> None:
    Holiday.objects.filter(date__year=year).delete()
    Holiday.objects.bulk_create([Holiday(date=d, is_workday=w, name=n) for d, w, n in sorted(days)])


def _mark_manual(calendar_year: CalendarYear) -> None:
    # A seeded year edited by hand is no longer a pure copy of the package: the seed command must leave it alone.
    if SOURCE_MANUAL not in calendar_year.source:
        calendar_year.source = f"{calendar_year.source}+{SOURCE_MANUAL}"[:60]
        calendar_year.save(update_fields=["source"])


@transaction.atomic
def calendar_year_enter(*, actor: Any, year: int, days: Iterable[DayTuple]) -> CalendarYear:
    """Enter (or re-enter) a whole year's official arrangement: replaces every row of that year."""
    _require_district_staff(actor)
    clean = _validate_days(year, days)
    if not clean:
        raise ValidationError(f"没有填写{year}年的任何日期")
    before = _year_rows(year)
    _replace_year(year, clean)
    calendar_year, _ = CalendarYear.objects.update_or_create(
        year=year, defaults={"source": SOURCE_MANUAL, "entered_by": actor}
    )
    audit.record(
        actor=actor,
        verb="calendar.year_enter",
        summary=f"录入{year}年法定节假日和调休安排,共{len(clean)}天",
        target=calendar_year,
        before={"days": before},
        after={"days": _year_rows(year)},
    )
    invalidate_calendar_cache()
    provisional.recompute_all(actor)
    return calendar_year


@transaction.atomic
def calendar_year_import(*, year: int, days: Iterable[DayTuple], source: str = SOURCE_PACKAGE) -> bool:
    """Store a year from a package as the system (seed command). Returns whether anything changed.

    Idempotent: an identical year writes nothing. A year entered or edited by hand is never overwritten.
    """
    clean = _validate_days(year, days)
    existing = CalendarYear.objects.filter(year=year).first()
    if existing is not None and existing.source != source:
        return False
    before = _year_rows(year)
    after = [_day_json(*d) for d in sorted(clean)]
    if existing is not None and before == after:
        return False
    _replace_year(year, clean)
    calendar_year = existing or CalendarYear.objects.create(year=year, source=source)
    audit.record(
        actor=None,
        verb="calendar.year_import",
        summary=f"从 {source} 导入{year}年法定节假日和调休安排,共{len(clean)}天",
        target=calendar_year,
        before={"days": before},
        after={"days": after},
    )
    invalidate_calendar_cache()
    provisional.recompute_all(None)
    return True


@transaction.atomic
def holiday_set(*, actor: Any, day: date, is_workday: bool, name: str) -> Holiday:
    """Add or change one day. The year then counts as entered (a ``CalendarYear`` row is created if missing)."""
    _require_district_staff(actor)
    name = (name or "").strip()
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(f"名称不能超过{NAME_MAX_LENGTH}个字")
    calendar_year, created = CalendarYear.objects.get_or_create(
        year=day.year, defaults={"source": SOURCE_MANUAL, "entered_by": actor}
    )
    if not created:
        _mark_manual(calendar_year)
    holiday = Holiday.objects.select_for_update().filter(date=day).first()
    before = _day_json(holiday.date, holiday.is_workday, holiday.name) if holiday else {}
    if holiday is None:
        holiday = Holiday.objects.create(date=day, is_workday=is_workday, name=name)
    else:
        holiday.is_workday = is_workday
        holiday.name = name
        holiday.save(update_fields=["is_workday", "name"])
    kind = "上班" if is_workday else "休息"
    audit.record(
        actor=actor,
        verb="calendar.holiday_set",
        summary=f"设置 {day.isoformat()} 为{kind}" + (f"({name})" if name else ""),
        target=calendar_year,
        before=before,
        after=_day_json(day, is_workday, name),
    )
    invalidate_calendar_cache()
    provisional.recompute_all(actor)
    return holiday


@transaction.atomic
def holiday_delete(*, actor: Any, day: date) -> None:
    """Remove one day: it follows the Monday–Friday rule again."""
    _require_district_staff(actor)
    holiday = Holiday.objects.select_for_update().filter(date=day).first()
    if holiday is None:
        raise ValidationError(f"{day.isoformat()} 没有录入,无需删除")
    before = _day_json(holiday.date, holiday.is_workday, holiday.name)
    holiday.delete()
    calendar_year = CalendarYear.objects.filter(year=day.year).first()
    if calendar_year is not None:
        _mark_manual(calendar_year)
    audit.record(
        actor=actor,
        verb="calendar.holiday_delete",
        summary=f"删除 {day.isoformat()}" + (f"({before['name']})" if before["name"] else "") + ",恢复按周一至周五计算",
        target=calendar_year,
        before=before,
    )
    invalidate_calendar_cache()
    provisional.recompute_all(actor)


# ----------------------------------------------------------------------------------------------------------- selectors


def calendar_years_list(user: Any) -> list[tuple[CalendarYear, list[Holiday]]]:
    """Every entered year, newest first, with its days (the calendar page): district staff only."""
    _require_district_staff(user)
    years = list(CalendarYear.objects.select_related("entered_by").order_by("-year"))
    by_year: dict[int, list[Holiday]] = {}
    for holiday in Holiday.objects.order_by("date"):
        by_year.setdefault(holiday.date.year, []).append(holiday)
    return [(calendar_year, by_year.get(calendar_year.year, [])) for calendar_year in years]


def calendar_year_get(user: Any, year: int) -> tuple[CalendarYear | None, list[Holiday]]:
    """One year's row (None before it is entered) and its days in date order: district staff only."""
    _require_district_staff(user)
    row = CalendarYear.objects.filter(year=year).select_related("entered_by").first()
    return row, list(Holiday.objects.filter(date__year=year).order_by("date"))
