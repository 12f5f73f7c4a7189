"""Celery tasks of operations: the worker's heartbeat (health) and the scheduled backup. Beat runs both."""

from __future__ import annotations

from celery import shared_task

from ops import health
from partybuild.celery import app


@shared_task(name=health.HEARTBEAT_TASK, ignore_result=True, expires=health.HEARTBEAT_EVERY_SECONDS)
def heartbeat() -> None:
    """Run by a worker every minute: /healthz reports the worker stale when it stops (ops/health.py)."""
    health.record_heartbeat()


app.conf.beat_schedule.setdefault(
    health.HEARTBEAT_TASK, {"task": health.HEARTBEAT_TASK, "schedule": health.HEARTBEAT_EVERY_SECONDS}
)
