"""Celery tasks of elections: thin shells. The daily term-expiry reminders (A13), idempotent
(``elections.services.reminders``)."""

from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab

from partybuild.celery import app

REMINDERS_AT = crontab(hour=8, minute=20)  # 08:20 Asia/Shanghai, after grading (08:00) and rectification (08:10)


@shared_task(name="elections.send_reminders", ignore_result=True)
def elections_send_reminders() -> int:
    from elections.services.reminders import reminders_send

    return reminders_send()


app.conf.beat_schedule.setdefault("elections-reminders", {"task": "elections.send_reminders", "schedule": REMINDERS_AT})
