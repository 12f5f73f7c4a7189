"""Celery tasks of grading: thin shells. The database decides when notices and objection windows end; this sweep only
applies those clock moves promptly (with their events and the grade-finalized hook) when nobody opened a page."""

from __future__ import annotations

from celery import shared_task

from partybuild.celery import app

CATCH_UP_EVERY_SECONDS = 15 * 60


@shared_task(name="grading.catch_up", ignore_result=True)
def grading_catch_up() -> int:
    from grading.services.workflow import catch_up

    return catch_up()


app.conf.beat_schedule.setdefault("grading-catch-up", {"task": "grading.catch_up", "schedule": CATCH_UP_EVERY_SECONDS})


# --- Deadline reminders (issue 3 item 8): daily, idempotent per day (grading.services.reminders) ---
from celery.schedules import crontab  # noqa: E402

REMINDERS_AT = crontab(hour=8, minute=0)  # 08:00 Asia/Shanghai (CELERY_TIMEZONE)


@shared_task(name="grading.send_reminders", ignore_result=True)
def grading_send_reminders() -> int:
    from grading.services.reminders import reminders_send

    return reminders_send()


app.conf.beat_schedule.setdefault("grading-reminders", {"task": "grading.send_reminders", "schedule": REMINDERS_AT})
