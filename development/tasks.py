"""Celery tasks of the pipeline: the daily reminders before a probation ends (idempotent: each once)."""

from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab

from partybuild.celery import app

REMINDERS_AT = crontab(hour=8, minute=40)  # 08:40 Asia/Shanghai, after the other apps' runs


@shared_task(name="development.send_reminders", ignore_result=True)
def development_send_reminders() -> int:
    from development.services.reminders import reminders_send

    return reminders_send()


app.conf.beat_schedule.setdefault(
    "development-reminders", {"task": "development.send_reminders", "schedule": REMINDERS_AT}
)
