"""The demo shows what a first-time user should see: an administrator for /admin/, and today's reminders on each
role's 通知 page (sent by the same code as the 08:00 schedule, once)."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from core.models import Notification


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


def test_the_liaison_leader_hears_of_a_followed_village_under_rectification(built, db):
    """liaison01's 通知 page is not empty: it follows a village whose rectification has overdue measures, and the
    daily reminder goes to the village's liaison leaders as to its secretary."""
    from organizations.models import RoleAssignment
    from organizations.roles import Role
    from rectification.models import Case

    followed = RoleAssignment.objects.filter(
        user__username="liaison01", role=Role.LIAISON_LEADER, revoked_at__isnull=True
    ).values_list("organization__name", flat=True)
    under_way = Case.objects.filter(organization__name__in=list(followed), closed_on__isnull=True)
    assert under_way.exists()
    client = Client()
    client.force_login(get_user_model().objects.get(username="liaison01"))
    page = client.get(reverse("core:notifications")).content.decode()
    assert "暂无通知" not in page
    assert any(f"【整改措施逾期】{name}" in page for name in followed), page


def test_a_viewer_is_told_plainly_that_the_role_receives_no_reminders(built, db):
    """viewer01 reads and exports only; reminders ask someone to act, so none are sent to it. Its 通知 page says so
    and where the overdue work can be read, instead of an unexplained '暂无通知'."""
    viewer = get_user_model().objects.get(username="viewer01")
    assert not Notification.objects.filter(recipient=viewer).exists()
    client = Client()
    client.force_login(viewer)
    page = client.get(reverse("core:notifications")).content.decode()
    assert "查阅角色不会收到提醒" in page
    assert f'href="{reverse("home")}"' in page

    township = Client()
    township.force_login(get_user_model().objects.get(username="township03"))
    assert "查阅角色不会收到提醒" not in township.get(reverse("core:notifications")).content.decode()
