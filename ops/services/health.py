"""What /healthz reports, for the reverse proxy and the orchestrator, and what the district's system page shows.

Checks, each ``ok`` or not with a short note (no personal data, no row of any table):

- ``database``: a ``SELECT 1`` on the default database;
- ``cache``: a write and read of one key in the shared cache (Redis in production);
- ``broker``: a connection to Celery's broker (``CELERY_BROKER_URL``; without one tasks run in-process: ok);
- ``worker``: the heartbeat a worker records when it runs the beat entry ``ops.heartbeat`` (every
  minute) is younger than ``HEALTH_HEARTBEAT_MAX_AGE`` seconds (default 300): a stopped worker, or a stopped beat,
  turns it stale;
- ``disk``: the media and backup folders each have ``HEALTH_MIN_FREE_MB`` free (default 1024).

``beat`` (the last time beat dispatched the heartbeat, from django-celery-beat's table) is asked for by beat's own
container healthcheck (``manage.py health --check beat``) and shown on the system page. /healthz answers 200 when
every check asked for passes, else 503; ``?check=database&check=cache`` asks for some only (the web container's
healthcheck, which must not fail because the worker is down).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HEARTBEAT_KEY = "partybuild:ops:worker-heartbeat"
HEARTBEAT_TASK = "ops.heartbeat"
# How often beat sends the heartbeat (HEALTH_HEARTBEAT_EVERY seconds; make prod-check shortens it).
HEARTBEAT_EVERY_SECONDS = float(os.environ.get("HEALTH_HEARTBEAT_EVERY", "60"))
DEFAULT_CHECKS = ("database", "cache", "broker", "worker", "disk")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    note: str = ""


def heartbeat_verdict(last: float | None, now: float, max_age: float) -> Check:
    """Pure: the worker check from the last heartbeat's time (seconds since the epoch) or None."""
    if last is None:
        return Check("worker", False, "no heartbeat recorded")
    age = now - last
    if age > max_age:
        return Check("worker", False, f"last heartbeat {int(age)} s ago (limit {int(max_age)} s)")
    return Check("worker", True, f"last heartbeat {int(max(age, 0))} s ago")


def disk_verdict(free_bytes: dict[str, int], min_free_mb: int) -> Check:
    """Pure: the disk check from each folder's free bytes."""
    low = {name: free // 2**20 for name, free in free_bytes.items() if free < min_free_mb * 2**20}
    notes = ", ".join(f"{name} {free // 2**20} MB free" for name, free in free_bytes.items())
    if low:
        return Check("disk", False, f"below {min_free_mb} MB: {notes}")
    return Check("disk", True, notes)


def _check_database() -> Check:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return Check("database", True, connection.vendor)


def _check_cache() -> Check:
    from django.core.cache import cache

    token = f"{time.time():.6f}"
    cache.set("partybuild:ops:health-probe", token, 30)
    if cache.get("partybuild:ops:health-probe") != token:
        return Check("cache", False, "wrote a key and could not read it back")
    return Check("cache", True, cache.__class__.__name__)


def _check_broker() -> Check:
    from django.conf import settings

    if not settings.CELERY_BROKER_URL:
        return Check("broker", True, "none: tasks run in-process")
    from partybuild.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return Check("broker", True, "connected")


def last_heartbeat() -> float | None:
    from django.core.cache import cache

    value = cache.get(HEARTBEAT_KEY)
    return float(value) if value is not None else None


def record_heartbeat(now: float | None = None) -> None:
    from django.core.cache import cache

    cache.set(HEARTBEAT_KEY, time.time() if now is None else now, None)


def _check_worker() -> Check:
    from django.conf import settings

    if not settings.CELERY_BROKER_URL:
        return Check("worker", True, "none: tasks run in-process")
    return heartbeat_verdict(last_heartbeat(), time.time(), settings.HEALTH_HEARTBEAT_MAX_AGE)


def _check_disk() -> Check:
    from django.conf import settings

    free = {}
    for name, folder in (("media", Path(settings.MEDIA_ROOT)), ("backups", Path(settings.BACKUP_DIR))):
        existing = next((p for p in (folder, *folder.parents) if p.exists()), Path("/"))
        free[name] = shutil.disk_usage(existing).free
    return disk_verdict(free, settings.HEALTH_MIN_FREE_MB)


def last_beat_run() -> float | None:
    """When beat last dispatched the heartbeat entry (django-celery-beat records it; it writes every few minutes)."""
    from django_celery_beat.models import PeriodicTask

    entry = PeriodicTask.objects.filter(task=HEARTBEAT_TASK).exclude(last_run_at=None).order_by("-last_run_at").first()
    return entry.last_run_at.timestamp() if entry else None


def _check_beat() -> Check:
    from django.conf import settings

    if not settings.CELERY_BROKER_URL:
        return Check("beat", True, "none: tasks run in-process")
    last = last_beat_run()
    # Beat saves last_run_at every few minutes (its sync interval), so allow that on top of the heartbeat's limit.
    verdict = heartbeat_verdict(last, time.time(), settings.HEALTH_HEARTBEAT_MAX_AGE + 180)
    return Check("beat", verdict.ok, verdict.note.replace("heartbeat", "dispatch by beat"))


CHECKS: dict[str, Callable[[], Check]] = {
    "database": _check_database,
    "cache": _check_cache,
    "broker": _check_broker,
    "worker": _check_worker,
    "disk": _check_disk,
    "beat": _check_beat,
}


def run_checks(names: tuple[str, ...] | list[str] = DEFAULT_CHECKS) -> list[Check]:
    results = []
    for name in names:
        try:
            results.append(CHECKS[name]())
        except Exception as exc:  # noqa: BLE001 (a failing dependency is the answer, not an error of ours)
            results.append(Check(name, False, f"{exc.__class__.__name__}: {str(exc)[:200]}"))
    return results


def report(names: tuple[str, ...] | list[str] = DEFAULT_CHECKS) -> tuple[bool, dict[str, Any]]:
    checks = run_checks(names)
    healthy = all(c.ok for c in checks)
    body = {"status": "ok" if healthy else "fail", "checks": {c.name: {"ok": c.ok, "note": c.note} for c in checks}}
    return healthy, body


class HealthzMiddleware:
    """Answers ``GET /healthz`` before anything else: no login, no host check (the orchestrator asks by address),
    no HTTPS redirect (the proxy asks over plain HTTP), no session, no database write."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        if request.path != "/healthz" or request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        from django.http import HttpResponse

        asked = [n for n in request.GET.getlist("check") if n in CHECKS] or list(DEFAULT_CHECKS)
        healthy, body = report(asked)
        response = HttpResponse(
            json.dumps(body, ensure_ascii=False), content_type="application/json", status=200 if healthy else 503
        )
        response["Cache-Control"] = "no-store"
        return response
