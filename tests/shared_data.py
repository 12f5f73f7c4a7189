"""pytest plugin: the base data most tests ask for (``tree``, ``users``, ``members``) built once and shared by
consecutive tests, each test rolled back to it.

Building the tree, eight users with their roles and fifteen members costs about half a second; a thousand tests
asked for it. Now the first test that asks for a combination builds it inside a transaction of its own (the
*stack*), and the test's own transaction (pytest-django's, as always) is a savepoint inside it: whatever the test
writes is rolled back, the base data stays for the next test. Each test gets its own copies of the Python objects
(``copy.deepcopy``), so a test that changes ``tree.village_a1`` in memory changes nobody else's.

The stack is rolled back, so that the next test starts from an empty database as before, when the next test

* asks for another combination of the shared fixtures (or none of them);
* is transactional (``transactional_db``, ``live_server``, ``django_db(transaction=True)``): it commits, and other
  connections (the live server's thread, the Celery worker) must not wait on our open transaction;
* has a different set of fixtures wider than a function (a module's demo, the crawl's committed demo, a browser):
  they open and close transactions of their own, which must not straddle the stack.

The rule is decided when a test ends, from the test that comes next (``pytest_runtest_teardown``'s ``nextitem``),
so tests keep pytest's order and ``-p xdist`` workers each keep their own stack.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest

# Fixture name -> the shared fixtures it is built from (built in this order).
SHARED: dict[str, tuple[str, ...]] = {"tree": (), "users": ("tree",), "members": ("tree",)}
ORDER = tuple(SHARED)
TRANSACTIONAL = {"transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}


class _Stack:
    def __init__(self) -> None:
        self.key: frozenset[str] = frozenset()
        self.values: dict[str, Any] = {}
        self.atomic: Any = None
        self.next_item: pytest.Item | None = None
        self.builds = 0

    def open(self, key: frozenset[str], builders: dict[str, Callable[..., Any]], blocker: Any) -> None:
        from django.db import transaction

        with blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            try:
                for name in ORDER:
                    if name in key:
                        self.values[name] = builders[name](*(self.values[d] for d in SHARED[name]))
            except BaseException:
                self.close(blocker)
                raise
        self.key = key
        self.builds += 1

    def close(self, blocker: Any) -> None:
        from django.db import transaction

        if self.atomic is None:
            return
        with blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic, self.key, self.values = None, frozenset(), {}


_STACK = _Stack()
_BUILDERS: dict[str, Callable[..., Any]] = {}


def builder(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the function that builds shared fixture ``name`` from the values of ``SHARED[name]``."""

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        _BUILDERS[name] = function
        return function

    return register


def _wanted(item: pytest.Item) -> frozenset[str]:
    names = set(getattr(item, "fixturenames", ()))
    wanted = {n for n in SHARED if n in names}
    for name in list(wanted):
        wanted |= set(SHARED[name])
    return frozenset(wanted)


def _transactional(item: pytest.Item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    if names & TRANSACTIONAL:
        return True
    marker = item.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback")))


def _wide_fixtures(item: pytest.Item) -> set[int]:
    """The fixture definitions wider than a function in the item's closure (by identity)."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return set()
    return {id(defs[-1]) for defs in info.name2fixturedefs.values() if defs and defs[-1].scope != "function"}


def _keep_for(item: pytest.Item, next_item: pytest.Item | None) -> bool:
    return (
        next_item is not None
        and _wanted(next_item) == _STACK.key
        and not _transactional(next_item)
        and _wide_fixtures(next_item) == _wide_fixtures(item)
    )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    _STACK.next_item = nextitem


@pytest.fixture
def _shared_stack(request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Set up before pytest-django's per-test transaction (see ``_django_db_helper`` in tests/conftest.py), torn down
    after it: opens the stack this test needs, and after the test keeps it or rolls it back for the next."""
    item = request.node
    wanted = _wanted(item)
    if _STACK.key != wanted or _transactional(item):
        _STACK.close(django_db_blocker)
    if wanted and not _transactional(item) and _STACK.atomic is None:
        _STACK.open(wanted, _BUILDERS, django_db_blocker)
    yield
    if not _keep_for(item, _STACK.next_item):
        _STACK.close(django_db_blocker)


def shared_value(name: str, build: Callable[[], Any]) -> Any:
    """The test's own copy of shared fixture ``name``, or ``build()`` when no stack holds it (a transactional test)."""
    if name in _STACK.key:
        return copy.deepcopy(_STACK.values[name])
    return build()
