"""The DB-backed calendar: seed command, services, cache, and the district staff's editing pages."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from core import calendar_services, workdays
from core.models import CalendarYear, Event, Holiday
from core.workdays import CalendarMissing


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.delete(workdays.CACHE_KEY)
    yield
    cache.delete(workdays.CACHE_KEY)


@pytest.fixture
def seeded(db) -> None:
    call_command("seed_holidays", "--years", "2025-2026", stdout=_Null())


class _Null:
    def write(self, *args: object) -> None:
        pass


# --- seed command --------------------------------------------------------------------------------------------


def test_seed_is_idempotent_and_stores_only_differing_days(db) -> None:
    # given / when
    call_command("seed_holidays", "--years", "2024-2026", stdout=_Null())
    rows = list(Holiday.objects.values_list("date", "is_workday", "name"))
    events = Event.objects.filter(verb="calendar.year_import").count()
    call_command("seed_holidays", "--years", "2024-2026", stdout=_Null())
    # then
    assert list(Holiday.objects.values_list("date", "is_workday", "name")) == rows
    assert Event.objects.filter(verb="calendar.year_import").count() == events == 3
    assert sorted(CalendarYear.objects.values_list("year", "source")) == [
        (2024, "chinesecalendar"),
        (2025, "chinesecalendar"),
        (2026, "chinesecalendar"),
    ]
    assert Holiday.objects.get(date=date(2026, 2, 14)).is_workday is True
    assert Holiday.objects.get(date=date(2026, 2, 14)).name == "春节调休"
    assert Holiday.objects.get(date=date(2026, 10, 1)).name == "国庆节"
    assert Holiday.objects.get(date=date(2026, 9, 25)).name == "中秋节"
    # a holiday Saturday is already off: not stored
    assert not Holiday.objects.filter(date=date(2026, 2, 21)).exists()
    for day, is_workday, _ in rows:
        assert is_workday == (day.weekday() >= 5)


def test_seed_refuses_years_the_package_does_not_know(db) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2027"):
        call_command("seed_holidays", "--years", "2026-2027", stdout=_Null())
    assert not CalendarYear.objects.exists()


def test_seed_leaves_a_hand_edited_year_alone(seeded, users) -> None:
    calendar_services.holiday_delete(actor=users.ds, day=date(2026, 10, 10))
    call_command("seed_holidays", "--years", "2026", stdout=_Null())
    assert not Holiday.objects.filter(date=date(2026, 10, 10)).exists()
    assert CalendarYear.objects.get(year=2026).source == "chinesecalendar+manual"


# --- the DB-backed calendar ----------------------------------------------------------------------------------


def test_module_functions_use_the_table(seeded) -> None:
    assert workdays.window_end(date(2026, 9, 28), 7, working_days=True) == date(2026, 10, 13)
    assert workdays.window_end(date(2026, 2, 12), 7, working_days=True) == date(2026, 2, 28)
    assert workdays.provisional_window_end(date(2026, 12, 28), 7) == (date(2027, 1, 6), True)
    with pytest.raises(CalendarMissing, match="2027年"):
        workdays.window_end(date(2026, 12, 28), 7, working_days=True)


def test_calendar_day_windows_do_not_read_the_table(db, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        assert workdays.window_end(date(2027, 4, 5), 3, working_days=False) == date(2027, 4, 8)


def test_calendar_is_cached(seeded, django_assert_num_queries) -> None:
    workdays.load_calendar()
    with django_assert_num_queries(0):
        workdays.window_end(date(2026, 9, 28), 7, working_days=True)


def test_cache_invalidated_after_edit(seeded, users) -> None:
    # given: the cached calendar knows 2026-10-10 as a make-up Saturday
    assert workdays.window_end(date(2026, 9, 28), 7, working_days=True) == date(2026, 10, 13)
    # when
    calendar_services.holiday_delete(actor=users.ds, day=date(2026, 10, 10))
    # then
    assert workdays.window_end(date(2026, 9, 28), 7, working_days=True) == date(2026, 10, 14)
    calendar_services.holiday_set(actor=users.ds, day=date(2026, 10, 12), is_workday=False, name="测试")
    assert workdays.window_end(date(2026, 9, 28), 7, working_days=True) == date(2026, 10, 15)


# --- services ------------------------------------------------------------------------------------------------


def test_services_refuse_anyone_but_district_staff(users) -> None:
    for user in (users.ts_a, users.sec_a1, users.nobody):
        with pytest.raises(PermissionDenied):
            calendar_services.holiday_set(actor=user, day=date(2027, 1, 1), is_workday=False, name="元旦")
        with pytest.raises(PermissionDenied):
            calendar_services.calendar_year_enter(actor=user, year=2027, days=[(date(2027, 1, 1), False, "元旦")])
    assert not Holiday.objects.exists() and not CalendarYear.objects.exists()


def test_calendar_year_enter_validates_and_replaces(users) -> None:
    with pytest.raises(ValidationError):
        calendar_services.calendar_year_enter(actor=users.ds, year=2027, days=[(date(2028, 1, 1), False, "元旦")])
    calendar_services.holiday_set(actor=users.ds, day=date(2027, 3, 3), is_workday=False, name="旧")
    calendar_services.calendar_year_enter(
        actor=users.ds, year=2027, days=[(date(2027, 1, 1), False, "元旦"), (date(2027, 2, 7), True, "春节调休")]
    )
    assert list(Holiday.objects.values_list("date", flat=True)) == [date(2027, 1, 1), date(2027, 2, 7)]
    year = CalendarYear.objects.get(year=2027)
    assert (year.source, year.entered_by) == ("manual", users.ds)
    event = Event.objects.get(verb="calendar.year_enter")
    assert event.actor == users.ds and len(event.after["days"]) == 2 and len(event.before["days"]) == 1


def test_holiday_set_and_delete_write_audit_events(users) -> None:
    calendar_services.holiday_set(actor=users.ds, day=date(2027, 1, 1), is_workday=False, name="元旦")
    calendar_services.holiday_set(actor=users.ds, day=date(2027, 1, 1), is_workday=False, name="元旦节")
    calendar_services.holiday_delete(actor=users.ds, day=date(2027, 1, 1))
    verbs = list(Event.objects.filter(verb__startswith="calendar.").order_by("pk").values_list("verb", flat=True))
    assert verbs == ["calendar.holiday_set", "calendar.holiday_set", "calendar.holiday_delete"]
    second = Event.objects.filter(verb="calendar.holiday_set").order_by("pk").last()
    assert second.before["name"] == "元旦" and second.after["name"] == "元旦节"
    with pytest.raises(ValidationError):
        calendar_services.holiday_delete(actor=users.ds, day=date(2027, 1, 1))


# --- views ---------------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, db) -> None:
    for url in (reverse("core:calendar"), reverse("core:calendar_year", args=[2027])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("who", ["ts_a", "sec_a1", "nobody"])
def test_everyone_but_district_staff_gets_403(client, users, who) -> None:
    client.force_login(getattr(users, who))
    assert client.get(reverse("core:calendar")).status_code == 403
    assert client.get(reverse("core:calendar_year", args=[2027])).status_code == 403
    response = client.post(
        reverse("core:calendar_year", args=[2027]),
        {"action": "add", "day-date": "2027-01-01", "day-is_workday": "0", "day-name": "元旦"},
    )
    assert response.status_code == 403
    assert not Holiday.objects.exists()


def test_list_warns_about_missing_years(client, users, seeded, settings) -> None:
    client.force_login(users.ds)
    response = client.get(reverse("core:calendar"))
    body = response.content.decode()
    assert response.status_code == 200
    this_year = date.today().year
    for year in (this_year, this_year + 1):
        assert (f"{year}年的法定节假日和调休安排尚未录入" in body) == (year not in (2025, 2026))
    assert "春节调休" in body and "国庆节" in body


def test_district_staff_adds_a_2027_holiday_then_window_end_works(client, users) -> None:
    # given
    client.force_login(users.ds)
    with pytest.raises(CalendarMissing):
        workdays.window_end(date(2027, 1, 1), 3, working_days=True)
    page = client.get(reverse("core:calendar_year", args=[2027]))
    assert "2027年的法定节假日和调休安排尚未录入" in page.content.decode()
    # when
    response = client.post(
        reverse("core:calendar_year", args=[2027]),
        {"action": "add", "day-date": "2027-02-08", "day-is_workday": "0", "day-name": "春节"},
    )
    # then
    assert response.status_code == 302
    assert Holiday.objects.get(date=date(2027, 2, 8)).name == "春节"
    # 2027-02-05 is a Friday; Monday 02-08 is now off
    assert workdays.window_end(date(2027, 2, 5), 1, working_days=True) == date(2027, 2, 9)
    body = client.get(reverse("core:calendar_year", args=[2027])).content.decode()
    assert "尚未录入" not in body and 'data-confirm="确定删除 2027-02-08' in body


def test_delete_through_the_page(client, users) -> None:
    calendar_services.holiday_set(actor=users.ds, day=date(2027, 1, 1), is_workday=False, name="元旦")
    client.force_login(users.ds)
    response = client.post(reverse("core:calendar_year", args=[2027]), {"action": "delete", "date": "2027-01-01"})
    assert response.status_code == 302
    assert not Holiday.objects.exists()


def test_add_refuses_a_date_of_another_year(client, users) -> None:
    client.force_login(users.ds)
    response = client.post(
        reverse("core:calendar_year", args=[2027]),
        {"action": "add", "day-date": "2028-01-01", "day-is_workday": "0", "day-name": "元旦"},
    )
    assert response.status_code == 200 and "日期应在2027年内" in response.content.decode()
    assert not Holiday.objects.exists()


def test_bulk_paste_with_one_bad_line_saves_nothing_and_names_the_line(client, users) -> None:
    client.force_login(users.ds)
    text = "2027-01-01 休 元旦\n2027-02-07 班 春节调休\n2027-02-30 休 春节\n"
    response = client.post(reverse("core:calendar_year", args=[2027]), {"action": "paste", "paste-text": text})
    body = response.content.decode()
    assert response.status_code == 200
    assert "第3行" in body and "没有保存任何日期" in body
    assert not Holiday.objects.exists() and not CalendarYear.objects.exists()


def test_bulk_paste_saves_the_year(client, users) -> None:
    client.force_login(users.ds)
    text = "2027-01-01 休 元旦\n2027-02-07 班 春节调休\n"
    response = client.post(reverse("core:calendar_year", args=[2027]), {"action": "paste", "paste-text": text})
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).source == "manual"
    assert workdays.window_end(date(2027, 2, 5), 1, working_days=True) == date(2027, 2, 7)
