"""The demo shows what a first-time user should see: an administrator for /admin/, and today's reminders on each
role's 通知 page (sent by the same code as the 08:00 schedule, once)."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from partybuild.models import Notification


@pytest.fixture(scope="module")
def built(demo_small) -> str:
    return demo_small.output


def test_demo_creates_the_administrator(built, db):
    admin = authenticate(RequestFactory().get("/"), username="admin", password="demo12345")
    assert admin is not None and admin.is_superuser and admin.is_staff
    assert "后台管理账号:admin" in built


def test_demo_roles_find_todays_reminders_on_their_notifications_page(built, db):
    have = set(Notification.objects.values_list("recipient__username", flat=True))
    assert "district" in have
    assert any(name.startswith("township") for name in have)
    assert any(name.startswith("branch") for name in have)
    titles = set(Notification.objects.values_list("title", flat=True))
    assert any(t.startswith("【整改措施逾期】") for t in titles)  # rectification's daily run
    assert any(t.startswith("【换届提醒】") for t in titles)  # elections' daily run
    assert "今日提醒:已发送" in built


def test_the_command_reports_what_it_loaded(built):
    assert "演示数据已载入" in built and "79名党员" in built


def test_loading_again_sends_nothing_twice(built, db):
    before = Notification.objects.count()
    out = io.StringIO()
    call_command("load_demo", "--small", stdout=out)
    assert Notification.objects.count() == before
    assert "演示数据已存在" in out.getvalue()
    assert "今日提醒:已发送 0 条通知" in out.getvalue()
