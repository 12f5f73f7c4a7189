"""Tests: the base settings with a fast password hasher (hashing dominates fixture time otherwise)."""

import os

from partybuild.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_AUTOREFRESH = True
AXES_VERBOSE = False

# pytest-xdist: each worker has its own test database (pytest-django adds the worker's suffix) and its own cache keys
# in the shared Redis (the holiday calendar is cached: one worker's test calendar must not answer another's), and
# its own media directory.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _XDIST_WORKER:
    for _cache in CACHES.values():  # noqa: F405
        _cache["KEY_PREFIX"] = _XDIST_WORKER
    MEDIA_ROOT = MEDIA_ROOT.with_name(f"{MEDIA_ROOT.name}-{_XDIST_WORKER}")  # noqa: F405
