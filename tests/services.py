"""pytest plugin: the services and tools the suite runs against, and how Celery behaves in tests.

* ``PARTYBUILD_REQUIRE_SERVICES=1`` (set by ``.ci/run``): the session aborts at start unless PostgreSQL is the
  database and answers, Redis answers, Debian's Chromium and poppler's ``pdftotext``/``pdffonts`` are installed.
  In CI a missing service must fail the run, never turn into skipped tests.
* Without it (a developer's ``make test``): browser tests skip when Chromium is missing, and tests marked
  ``services`` skip unless a broker is configured.
* Ordinary tests run Celery tasks eagerly even when ``CELERY_BROKER_URL`` is set, because they assert on a job's
  result right after queueing it. Tests marked ``services`` run against the real worker instead (they need
  ``@pytest.mark.django_db(transaction=True)`` so the worker sees committed rows).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
PDF_TOOLS = ("pdftotext", "pdffonts")


def services_required() -> bool:
    return os.environ.get("PARTYBUILD_REQUIRE_SERVICES", "").strip().lower() in {"1", "true", "yes", "on"}


def chromium_available() -> bool:
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


def _check_postgresql() -> str | None:
    from django.conf import settings

    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        return f"the database is {db['ENGINE']} ({db.get('NAME')}), not PostgreSQL: set DATABASE_URL=postgres://..."
    import psycopg

    try:
        # The maintenance database: pytest-django creates test_<NAME> itself, so NAME need not exist yet.
        with psycopg.connect(
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            dbname="postgres",
            connect_timeout=5,
        ) as conn:
            row = conn.execute("SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
            if not row or not row[0]:
                return f"PostgreSQL role {db.get('USER')!r} lacks CREATEDB (pytest-django creates the test database)"
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server is the message
        return f"PostgreSQL at {db.get('HOST')}:{db.get('PORT')} does not answer: {exc}"
    return None


def _check_redis() -> list[str]:
    import redis

    problems = []
    urls = {
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", ""),
    }
    for name, url in urls.items():
        if not url:
            problems.append(f"{name} is not set")
            continue
        try:
            redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
        except Exception as exc:  # noqa: BLE001
            problems.append(f"Redis at {name}={url} does not answer: {exc}")
    return problems


def _check_tools() -> list[str]:
    problems = []
    if not chromium_available():
        problems.append(f"{CHROMIUM} is missing: apt-get install chromium chromium-driver")
    for tool in PDF_TOOLS:
        if shutil.which(tool) is None:
            problems.append(f"{tool} is missing: apt-get install poppler-utils")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        problems.append(f"playwright is not installed in the venv: {exc}")
    return problems


def pytest_sessionstart(session: pytest.Session) -> None:
    if not services_required():
        return
    problems = [p for p in [_check_postgresql()] if p] + _check_redis() + _check_tools()
    if problems:
        lines = "\n".join(f"  - {p}" for p in problems)
        pytest.exit(f"PARTYBUILD_REQUIRE_SERVICES=1 but the test environment is incomplete:\n{lines}", returncode=3)


def _ping_worker(timeout_s: float = 60.0) -> bool:
    from partybuild.celery import app

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if app.control.ping(timeout=2.0):
                return True
        except Exception:  # noqa: BLE001 - broker not ready yet: retry until the deadline
            time.sleep(1.0)
    return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    browser_items = [i for i in items if i.get_closest_marker("browser")]
    services_items = [i for i in items if i.get_closest_marker("services")]
    if services_required():
        # The worker is only needed when a services test is selected; checked here, after collection.
        if services_items and not _ping_worker():
            pytest.exit(
                "PARTYBUILD_REQUIRE_SERVICES=1 and tests marked 'services' were selected, but no Celery worker "
                f"answers on {os.environ.get('CELERY_BROKER_URL')}: start one (.ci/run does)",
                returncode=3,
            )
        return
    if browser_items and not chromium_available():
        skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed (make test installs it)")
        for item in browser_items:
            item.add_marker(skip)
    if services_items and not os.environ.get("CELERY_BROKER_URL"):
        skip = pytest.mark.skip(reason="needs CELERY_BROKER_URL and a running worker (see .ci/run)")
        for item in services_items:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _celery_mode(request: pytest.FixtureRequest) -> Iterator[None]:
    """Eager tasks for ordinary tests, the real worker for tests marked ``services``."""
    from django.conf import settings

    from partybuild.celery import app

    eager = request.node.get_closest_marker("services") is None
    saved = (app.conf.task_always_eager, app.conf.task_eager_propagates, settings.CELERY_TASK_ALWAYS_EAGER)
    app.conf.task_always_eager = eager
    app.conf.task_eager_propagates = True
    # Code that asks Django settings whether jobs run inline sees the same answer as Celery.
    settings.CELERY_TASK_ALWAYS_EAGER = eager
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates, settings.CELERY_TASK_ALWAYS_EAGER = saved


@pytest.fixture(scope="session", autouse=True)
def _flush_by_delete() -> Iterator[None]:
    """On PostgreSQL, empty the tables after a transactional test (a browser journey) with DELETE instead of Django's
    TRUNCATE: TRUNCATE of the project's ~100 tables costs 4–7 s per test on a busy 2-core machine, DELETE of the few
    rows a test writes a fraction of that. Foreign keys are DEFERRABLE INITIALLY DEFERRED, and the flush runs in one
    transaction, so the order of the tables does not matter."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(t))};" for t in tables]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = truncate
