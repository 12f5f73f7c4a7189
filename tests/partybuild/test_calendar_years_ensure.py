"""calendar_years_ensure: the demo and the tests get the years they need, from the package where it knows them, as
plain weeks (under a source that says so) where it does not; a year already in the table is never touched."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.calendar_services import calendar_years_ensure, holiday_set
from core.management.commands.seed_holidays import package_years
from core.models import CalendarYear, Holiday
from core.workdays import load_calendar

pytestmark = pytest.mark.django_db


def test_known_years_from_the_package_later_ones_as_plain_weeks():
    last = package_years()[1]
    provisional = calendar_years_ensure([last, last + 1], provisional_source="test")
    assert provisional == [last + 1]
    assert CalendarYear.objects.get(year=last).source == "chinesecalendar"
    assert Holiday.objects.filter(date__year=last).exists()
    assert CalendarYear.objects.get(year=last + 1).source == "test"
    assert not Holiday.objects.filter(date__year=last + 1).exists()
    # plain weeks: 1 January of the provisional year is a working day if it is a weekday
    first_day = date(last + 1, 1, 1)
    assert load_calendar().is_workday(first_day) == (first_day.weekday() < 5)
    # idempotent
    assert calendar_years_ensure([last, last + 1], provisional_source="test") == []


def test_a_year_entered_by_hand_is_left_alone(users):
    later = package_years()[1] + 1
    holiday_set(actor=users.ds, day=date(later, 1, 1), is_workday=False, name="元旦")
    assert calendar_years_ensure([later], provisional_source="test") == []
    assert Holiday.objects.get(date=date(later, 1, 1)).name == "元旦"
    assert "manual" in CalendarYear.objects.get(year=later).source


def test_load_demo_on_a_day_the_package_does_not_cover_says_so(monkeypatch, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    beyond = package_years()[1] + 1
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(beyond, 1, 15))
    out = io.StringIO()
    call_command("load_demo", "--small", stdout=out)
    text = out.getvalue()
    assert f"注意:{beyond}年法定节假日和调休安排尚未收录" in text
    assert "换届选举演示数据已载入" in text
    assert CalendarYear.objects.get(year=beyond).source == "演示数据(未含节假日)"
