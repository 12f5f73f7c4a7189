"""The demo district for the tests of this package: built once, committed so that a live server sees it, crawled once.

The crawl (Django's test client, crawler.py) feeds the reachability, phone and language tests; the live server the
phone test and the role journeys. The tests carry ``django_db`` (not transactional: a transactional test would flush
the demo after its first test); the package flushes the database itself when its last test is done.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.browser.crawl.crawler import Crawl, crawl

ARTIFACTS = "test-artifacts"


@pytest.fixture(scope="package")
def demo_db(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    """``load_demo --small`` committed, its documents under a temporary MEDIA_ROOT; the calendar cache is dropped on
    both sides (the demo seeds the holidays that the final flush removes)."""
    from django.core.cache import cache

    from partybuild.workdays import CACHE_KEY

    media = tmp_path_factory.mktemp("crawl-media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock():
        cache.delete(CACHE_KEY)
        out = io.StringIO()
        started = time.perf_counter()
        call_command("load_demo", "--small", stdout=out)
        print(f"\nload_demo --small: {time.perf_counter() - started:.1f} s")
        try:
            yield out.getvalue()
        finally:
            call_command("flush", interactive=False, verbosity=0)
            cache.delete(CACHE_KEY)


@pytest.fixture(scope="package")
def site_crawl(demo_db, django_db_blocker) -> Crawl:
    """Every demo role's crawl from its home (about 300 requests)."""
    with django_db_blocker.unblock():
        result = crawl()
    print(f"\ncrawl: {sum(1 for _ in result.pages())} requests in {result.seconds:.1f} s")
    return result


@pytest.fixture(scope="package")
def demo_server(demo_db, django_db_blocker) -> Iterator[str]:
    """A live server on the demo (pytest-django's own ``live_server`` would make every test transactional)."""
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield server.url
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
