"""Celery tasks of the shared infrastructure: thin shells that take ids and call services."""

from __future__ import annotations

from celery import current_app as app
from celery import shared_task

from core import deliveries, jobs

JOBS_SWEEP_EVERY_SECONDS = 300.0
DELIVERIES_SWEEP_EVERY_SECONDS = 900.0


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


@shared_task(bind=True, name=deliveries.DELIVER_TASK, ignore_result=True, max_retries=None)
def deliver_task(self, delivery_id: int) -> str | None:  # noqa: ANN001 (Celery's bound task)
    """Send one delivery; while its gateway is busy or out of reach, try again after the backoff the rules give. The
    number of attempts is the delivery's own (``DELIVERY_MAX_ATTEMPTS``), so Celery's retry count sets no limit.
    Only the worker's path waits for the countdown; the eager path is tested, the worker's in CI's services run."""
    attempted = deliveries.delivery_attempt(delivery_id)
    while attempted is not None and attempted.retry_in is not None:
        if not self.request.is_eager:
            raise self.retry(countdown=attempted.retry_in)
        # Eager (no broker: development, ordinary tests): no worker comes back later, so the next attempt is now.
        attempted = deliveries.delivery_attempt(delivery_id)
    return attempted.status if attempted else None


@shared_task(name="core.deliveries_requeue_stale", ignore_result=True)
def deliveries_requeue_stale() -> int:
    return deliveries.deliveries_requeue_stale()


app.conf.beat_schedule.setdefault(
    "core.deliveries_requeue_stale",
    {"task": "core.deliveries_requeue_stale", "schedule": DELIVERIES_SWEEP_EVERY_SECONDS},
)
