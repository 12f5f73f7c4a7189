"""Tests: the base settings with a fast password hasher (hashing dominates fixture time otherwise)."""

from partybuild.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_AUTOREFRESH = True
AXES_VERBOSE = False
