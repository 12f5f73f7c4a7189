"""Celery tasks of the shared infrastructure: thin shells that take ids and call services."""

from __future__ import annotations

from celery import current_app as app
from celery import shared_task

from core import jobs

JOBS_SWEEP_EVERY_SECONDS = 300.0


@shared_task(name=jobs.RUN_TASK, ignore_result=True)
def job_run_task(job_id: int) -> None:
    jobs.job_run(job_id)


@shared_task(name="partybuild.jobs_requeue_stale", ignore_result=True)
def jobs_requeue_stale() -> dict[str, int]:
    return jobs.jobs_requeue_stale()


# Beat runs the sweep every five minutes; django-celery-beat's DatabaseScheduler copies this entry into its table.
app.conf.beat_schedule.setdefault(
    "partybuild.jobs_requeue_stale",
    {"task": "partybuild.jobs_requeue_stale", "schedule": JOBS_SWEEP_EVERY_SECONDS},
)
