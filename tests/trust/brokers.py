"""Helpers for the fault tests: point Celery at a dead broker, and a job kind slow enough to kill a worker under.

``dead_broker()`` switches the running process's Celery app to a port nothing listens on and drops the cached
connection pools (the same reset Celery does after a fork), so the next ``delay()`` really tries that port.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from core import jobs
from core.models import Job
from partybuild.celery import app

DEAD_BROKER = "redis://127.0.0.1:1/0"  # port 1: connection refused at once
SLOW_KIND = "trust_slow"
SLOW_SECONDS = 120.0


def _reset_pools() -> None:
    app._pool = None
    try:
        app.__dict__["amqp"]._producer_pool = None
    except (AttributeError, KeyError):
        pass


@contextmanager
def broker(url: str, *, eager: bool) -> Iterator[None]:
    # Celery prefers the CELERY_BROKER_URL environment variable over its settings; sending uses the write URL.
    saved = (app.conf.get("broker_write_url"), app.conf.task_always_eager)
    app.conf.broker_write_url = url
    app.conf.task_always_eager = eager
    _reset_pools()
    try:
        yield
    finally:
        app.conf.broker_write_url, app.conf.task_always_eager = saved
        _reset_pools()


@contextmanager
def dead_broker() -> Iterator[None]:
    with broker(DEAD_BROKER, eager=False):
        yield


def _slow(job: Job, report_progress: jobs.ReportProgress) -> tuple[str, bytes]:
    """First attempt: hang (the test kills the worker meanwhile). A retry finishes at once."""
    if job.attempts < 2:
        report_progress(10)
        time.sleep(SLOW_SECONDS)
    return "重试结果.txt", f"attempt {job.attempts}".encode()


jobs.register(SLOW_KIND, _slow)
