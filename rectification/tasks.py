"""Celery tasks of rectification: thin shells. The daily reminders, and the sweep that applies any final grade the
grade subscriber missed (a lost event, a failed handler) and files the re-grades closed cases still wait for: both
idempotent."""

from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab

from partybuild.celery import app

REMINDERS_AT = crontab(hour=8, minute=10)  # 08:10 Asia/Shanghai, after grading's 08:00 run
CATCH_UP_EVERY_SECONDS = 15 * 60


@shared_task(name="rectification.send_reminders", ignore_result=True)
def rectification_send_reminders() -> int:
    from rectification.services.reminders import reminders_send

    return reminders_send()


@shared_task(name="rectification.grades_catch_up", ignore_result=True)
def rectification_grades_catch_up() -> int:
    from rectification.services.regrade import regrade_catch_up
    from rectification.services.subscriber import grades_catch_up

    return grades_catch_up() + regrade_catch_up()


app.conf.beat_schedule.setdefault(
    "rectification-reminders", {"task": "rectification.send_reminders", "schedule": REMINDERS_AT}
)
app.conf.beat_schedule.setdefault(
    "rectification-grades-catch-up", {"task": "rectification.grades_catch_up", "schedule": CATCH_UP_EVERY_SECONDS}
)
