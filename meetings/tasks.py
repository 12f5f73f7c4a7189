"""Celery tasks of organizational life: the daily reminders before a period closes (idempotent: each once)."""

from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab

from partybuild.celery import app

REMINDERS_AT = crontab(hour=8, minute=30)  # 08:30 Asia/Shanghai, after the other apps' runs


@shared_task(name="meetings.send_reminders", ignore_result=True)
def meetings_send_reminders() -> int:
    from meetings.services.reminders import reminders_send

    return reminders_send()


app.conf.beat_schedule.setdefault("meetings-reminders", {"task": "meetings.send_reminders", "schedule": REMINDERS_AT})
