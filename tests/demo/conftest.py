"""The small demo district (``load_demo --small``: organizations, grading, rectification and elections, with today's
reminders) built once for this package, inside a transaction rolled back at its end; each test runs in a savepoint
of its own within it. Its modules only read the demo, or change it inside their own test (a second run, a reset).
Under pytest-xdist the package runs on one worker (``ONE_WORKER_PACKAGES`` in tests/conftest.py)."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="package")
def demo_small(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[SimpleNamespace]:
    """``output``: what the command printed; ``seconds``: how long it took; ``media``: where its uploads went."""
    from django.core.cache import cache

    from core.workdays import CACHE_KEY

    media = tmp_path_factory.mktemp("demo-media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        cache.delete(CACHE_KEY)
        out = io.StringIO()
        started = time.perf_counter()
        call_command("load_demo", "--small", stdout=out)
        yield SimpleNamespace(output=out.getvalue(), seconds=time.perf_counter() - started, media=Path(media))
        transaction.set_rollback(True)
    cache.delete(CACHE_KEY)  # the holidays seeded here are rolled back: so must be the cached calendar
