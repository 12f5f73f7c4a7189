"""The holiday calendar pages say in words where a year's holidays came from (never a bare package or code name)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from core import calendar_services
from partybuild.views_calendar import source_in_words


class _Null:
    def write(self, *args: object) -> None:
        pass


@pytest.mark.parametrize(
    "source, words",
    [
        ("chinesecalendar", "国务院办公厅公布的节假日安排(由系统内置的 chinesecalendar 日历软件包收录)"),
        ("manual", "区委组织部人工录入"),
        ("chinesecalendar+manual", "区委组织部在此基础上人工修改"),
        ("演示数据(未含节假日)", "演示数据(未含节假日)"),
    ],
)
def test_each_source_in_words(source, words):
    assert words in source_in_words(source)


def test_calendar_pages_name_the_source_in_words(users):
    call_command("seed_holidays", "--years", "2026-2026", stdout=_Null())
    client = Client()
    client.force_login(users.ds)
    for url in (reverse("core:calendar"), reverse("core:calendar_year", args=[2026])):
        page = client.get(url).content.decode()
        assert "来源:国务院办公厅公布的节假日安排" in page, url
        assert "来源:chinesecalendar" not in page


def test_a_year_entered_by_hand_names_the_person(users):
    from datetime import date

    users.ds.first_name = "莫辉峰"
    users.ds.save(update_fields=["first_name"])
    calendar_services.holiday_set(actor=users.ds, day=date(2031, 1, 1), is_workday=False, name="元旦")
    client = Client()
    client.force_login(users.ds)
    page = client.get(reverse("core:calendar_year", args=[2031])).content.decode()
    assert "来源:区委组织部人工录入,莫辉峰" in page
