"""Deadline reminders (idempotent per day, right recipients, mail), the overdue page and the notifications page."""

# ruff: noqa: F811  (the `campaign` fixture is imported from test_workflow and requested by name)

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import Notification
from grading.services import reminders
from grading.services.notices import notice_publish
from grading.services.workflow import Action, catch_up, transition
from grading.tasks import app as celery_app
from grading.tasks import grading_send_reminders
from tests.grading.test_workflow import assessment_of, campaign, fill_and_submit, score  # noqa: F401


def titles(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("title", flat=True))


@pytest.fixture
def emails(users):
    for user in (users.sec_a1, users.ts_a):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return users


def test_nothing_before_the_window(campaign, users):
    assert reminders.reminders_send(today=date(2026, 3, 27)) == 0
    assert not Notification.objects.exists()


def test_secretaries_reminded_three_days_before_once_a_day(
    campaign, emails, mailoutbox, django_capture_on_commit_callbacks
):
    users = emails
    with django_capture_on_commit_callbacks(execute=True):  # the mail is a delivery, sent on commit
        created = reminders.reminders_send(today=date(2026, 3, 28))
    assert titles(users.sec_a1) == ["【即将截止】东风村党支部2026年度自查自评"]
    assert titles(users.sec_b1) == ["【即将截止】南门社区党支部2026年度自查自评"]
    assert titles(users.ts_a) == [] and titles(users.ds) == [] and titles(users.liaison) == []
    assert created == 2
    assert [m.to for m in mailoutbox] == [["sec_a1@example.org"]]  # only users with an address
    assert "还剩3天" in mailoutbox[0].body

    # a second run the same day creates and mails nothing
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.reminders_send(today=date(2026, 3, 28)) == 0
    assert Notification.objects.count() == 2 and len(mailoutbox) == 1

    # the next day (yesterday's notifications are older) they come again
    Notification.objects.update(created_at=Notification.objects.first().created_at - timedelta(days=1))
    assert reminders.reminders_send(today=date(2026, 3, 29)) == 2


def test_overdue_goes_to_secretary_and_township(campaign, users, tree):
    fill_and_submit(users.sec_b1, assessment_of(campaign, tree.community_b1))
    reminders.reminders_send(today=date(2026, 4, 2))
    assert titles(users.sec_a1) == ["【已逾期】东风村党支部2026年度自查自评"]
    assert titles(users.sec_b1) == []  # submitted
    assert titles(users.ts_a) == ["【已逾期】东风镇党委有党组织未提交2026年度自查自评"]
    body = Notification.objects.get(recipient=users.ts_a).body
    assert "3个党组织" in body and "已逾期2天" in body
    # township B: its only organization has submitted and its review deadline (10 April) is 8 days away
    assert titles(users.ts_b) == []


def test_township_and_district_reminders(campaign, users, tree):
    a1 = fill_and_submit(users.sec_a1, assessment_of(campaign, tree.village_a1))  # waits for township A
    b1 = fill_and_submit(users.sec_b1, assessment_of(campaign, tree.community_b1))
    b1 = transition(actor=users.ts_b, assessment=score(users.ts_b, b1, Decimal("0.7")), action=Action.SCORE)
    notice_publish(
        actor=users.ts_b, campaign=campaign, township=tree.township_b, assessments=[b1], published_on=date(2026, 4, 3)
    )
    catch_up(today=date(2026, 4, 8))
    b1 = assessment_of(campaign, tree.community_b1)
    transition(actor=users.ts_b, assessment=b1, action=Action.SUBMIT_TO_DISTRICT)

    reminders.reminders_send(today=date(2026, 4, 8))
    assert "【即将截止】东风镇党委2026年度乡镇初审" in titles(users.ts_a)
    assert not any("乡镇初审" in t for t in titles(users.ts_b))  # township B is done
    assert titles(users.ds) == []  # district reminders start on 17 April

    reminders.reminders_send(today=date(2026, 4, 21))
    assert "【已逾期】2026年度区委组织部审定" in titles(users.ds)
    assert "【已逾期】东风镇党委2026年度乡镇初审" in titles(users.ts_a)
    assert a1.organization == tree.village_a1


def test_beat_task_runs_the_service(campaign, users):
    assert celery_app.conf.beat_schedule["grading-reminders"]["task"] == "grading.send_reminders"
    assert grading_send_reminders() >= 0  # today (real date) is after every 2026 deadline: overdue reminders


@pytest.fixture
def on_april_2(monkeypatch):
    monkeypatch.setattr(reminders.timezone, "localdate", lambda *args: date(2026, 4, 2))


def test_overdue_page_is_scoped(client, campaign, users, tree, on_april_2):
    url = reverse("grading:overdue", args=[campaign.pk])
    client.force_login(users.ts_a)
    page = client.get(url).content.decode()
    assert "东风村党支部" in page and "东风镇中学党总支" in page and "南门社区党支部" not in page
    assert "逾期 2 天" in page

    # The district: the counts per township, and each township's organizations one click further (issue 15).
    client.force_login(users.ds)
    page = client.get(url).content.decode()
    assert "东风镇党委" in page and "城关街道党工委" in page and "东风村党支部" not in page
    assert f'href="?township={tree.township_b.pk}"' in page
    page = client.get(url, {"township": tree.township_b.pk}).content.decode()
    assert "南门社区党支部" in page and "东风村党支部" not in page and "返回各乡镇(街道)进度" in page

    client.force_login(users.sec_b1)
    page = client.get(url).content.decode()
    assert "南门社区党支部" in page and "东风村党支部" not in page

    client.force_login(users.nobody)
    assert client.get(url).status_code == 404
    client.force_login(users.ds)
    assert client.get(reverse("grading:overdue", args=[campaign.pk + 100])).status_code == 404


def test_notifications_page_mark_read_and_menu_count(client, campaign, users):
    reminders.reminders_send(today=date(2026, 3, 30))
    mine = Notification.objects.get(recipient=users.sec_a1)
    other = Notification.objects.get(recipient=users.sec_b1)

    client.force_login(users.sec_a1)
    page = client.get(reverse("core:notifications")).content.decode()
    assert mine.title in page and other.title not in page
    assert "通知(1)" in page  # unread count in the menu

    assert client.post(reverse("core:notification_read", args=[other.pk])).status_code == 404
    response = client.post(reverse("core:notification_read", args=[mine.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == mine.url
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.read_at is not None and other.read_at is None
    assert "通知(1)" not in client.get(reverse("core:notifications")).content.decode()

    client.force_login(users.sec_b1)
    assert client.post(reverse("core:notifications")).status_code == 302
    other.refresh_from_db()
    assert other.read_at is not None


def test_notifications_need_login(client):
    response = client.get(reverse("core:notifications"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
