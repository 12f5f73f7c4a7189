"""Reminders before a period closes (issue 16 deliver 2): a week before the end of March, the secretary of a branch
without a 支委会 in March hears it once; the township staff get one line; a branch that held it hears nothing."""

from __future__ import annotations

from datetime import date

import pytest

from core.models import Notification
from meetings.services.meetings import meeting_record
from meetings.services.reminders import reminders_send
from meetings.tasks import REMINDERS_AT
from partybuild.celery import app

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("written_on")]


def test_reminders_before_a_month_closes_once(tree, users, members) -> None:
    meeting_record(
        actor=users.ds,
        organization=tree.community_b1,
        values={"kind": "committee", "held_on": date(2026, 3, 10), "topic": "三月支委会"},
        marks={},
    )
    assert reminders_send(today=date(2026, 3, 23)) == 0  # eight days before the end: not yet
    created = reminders_send(today=date(2026, 3, 25))
    mine = Notification.objects.filter(recipient=users.sec_a1)
    assert mine.filter(title__contains="2026年3月的支部委员会尚未召开").exists()  # A1 has 8 full members: required
    assert not Notification.objects.filter(recipient=users.sec_b1, title__contains="支部委员会").exists()
    assert Notification.objects.filter(recipient=users.ts_a, title="东风镇党委:2026年3月组织生活到期提醒").count() == 1
    assert created > 0
    assert reminders_send(today=date(2026, 3, 26)) == 0  # each once


def test_the_reminders_run_every_morning() -> None:
    entry = app.conf.beat_schedule["meetings-reminders"]
    assert entry["task"] == "meetings.send_reminders" and entry["schedule"] == REMINDERS_AT
