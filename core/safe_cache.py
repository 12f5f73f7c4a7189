"""The one door to the shared cache: the cache is an optimisation, so an unreachable one is a miss, never an error.

With Redis down (or its address wrong) ``cache.get`` raises ``redis.ConnectionError``; called unguarded from a page
or a service that turned a slower page into a 500 (issue 12 §3). Every cache call of the project goes through these
three functions (``tests/trust/test_cache_down.py`` checks that no module imports ``django.core.cache`` itself): a
failed read answers ``default`` (the caller computes the value), a failed write or delete is logged and dropped.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache import cache

log = logging.getLogger(__name__)


def cache_get(key: str, default: Any = None) -> Any:
    """The cached value, or ``default`` when it is missing or the cache cannot be reached."""
    try:
        return cache.get(key, default)
    except Exception as exc:  # any backend's connection error: the caller reads the database instead
        log.warning("cache unavailable, reading %s without it: %s", key, exc.__class__.__name__)
        return default


def cache_set(key: str, value: Any, timeout: float | None) -> bool:
    """Store ``value``; False (logged) when the cache cannot be reached."""
    try:
        cache.set(key, value, timeout)
    except Exception as exc:
        log.warning("cache unavailable, %s not stored: %s", key, exc.__class__.__name__)
        return False
    return True


def cache_delete(key: str) -> bool:
    """Forget ``key``; False (logged) when the cache cannot be reached.

    A delete that fails leaves an old value behind until its timeout: callers caching data that people edit keep
    that timeout short (``workdays.CACHE_SECONDS``)."""
    try:
        cache.delete(key)
    except Exception as exc:
        log.warning("cache unavailable, %s not deleted: %s", key, exc.__class__.__name__)
        return False
    return True
