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
def demo_media(tmp_path_factory):
    """The demo's MEDIA_ROOT: the documents ``load_demo`` generated (a test that reads or adds files points there)."""
    return tmp_path_factory.mktemp("crawl-media")


@pytest.fixture(scope="package")
def demo_db(django_db_setup, django_db_blocker, demo_media) -> Iterator[str]:
    """``load_demo --small`` committed, its documents under a temporary MEDIA_ROOT; the calendar cache is dropped on
    both sides (the demo seeds the holidays that the final flush removes)."""
    from django.core.cache import cache

    from core.workdays import CACHE_KEY

    with override_settings(MEDIA_ROOT=demo_media), django_db_blocker.unblock():
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


@pytest.fixture
def demo_server(demo_db, db) -> Iterator[str]:
    """A live server on the demo, for one test. Not pytest-django's ``live_server``: that one makes every test
    transactional, and a transactional test flushes the demo. Started inside the test's transaction, so that on
    SQLite's in-memory database it shares the test's connection; and one request at a time (no thread per request),
    since two requests at once on one shared connection would interleave their savepoints."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import WSGIServer
    from django.db import connections
    from django.test.testcases import LiveServerThread
    from django.test.utils import modify_settings

    class OneAtATime(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):  # the thread itself holds the override
            super().__init__(*args, **kwargs)

    class ServerThread(LiveServerThread):
        server_class = OneAtATime

    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    thread = ServerThread("localhost", StaticFilesHandler, connections_override=shared)
    thread.daemon = True
    for conn in shared.values():
        conn.inc_thread_sharing()
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        with modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
            yield f"http://localhost:{thread.port}"
    finally:
        thread.terminate()
        for conn in shared.values():
            conn.dec_thread_sharing()
