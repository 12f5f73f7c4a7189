"""Celery tasks of circulars: the daily reminder of the organizations that have not replied as a reply deadline nears
or after it has passed (idempotent: each organization at most once a day, shared with the 提醒未回复 button)."""

from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab

from partybuild.celery import app

REMINDERS_AT = crontab(hour=8, minute=40)  # 08:40 Asia/Shanghai, after the other apps' runs


@shared_task(name="circulars.send_reminders", ignore_result=True)
def circulars_send_reminders() -> int:
    from circulars.services.receipts import circulars_remind_due

    return circulars_remind_due()


app.conf.beat_schedule.setdefault("circulars-reminders", {"task": "circulars.send_reminders", "schedule": REMINDERS_AT})
