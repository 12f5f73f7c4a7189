"""The idle timeout without a write on every page (issue 15 §5).

A session lasts ``SESSION_COOKIE_AGE`` (8 hours) from its last refresh. Saving it on every request
(``SESSION_SAVE_EVERY_REQUEST``) made every page load a write transaction; instead the session is saved when it
changes (Django's default) and, for a signed-in user, refreshed at most once every ``SESSION_REFRESH_SECONDS``
(``partybuild.middleware.SessionRefreshMiddleware``): an idle user is signed out between 8 hours minus that interval
and 8 hours after their last request. Signing in counts as a refresh.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

REFRESHED_AT = "_refreshed_at"  # session key: when the session's expiry was last pushed back (Unix seconds)


def refresh_interval() -> int:
    return int(getattr(settings, "SESSION_REFRESH_SECONDS", 300))


def stamp(session: Any, now: float | None = None) -> None:
    """Mark the session as refreshed now: it is saved (with a new expiry) at the end of the request."""
    session[REFRESHED_AT] = int(now if now is not None else time.time())


def refresh_due(session: Any, now: float | None = None) -> bool:
    """Whether the session's expiry should be pushed back: never stamped, or stamped at least an interval ago."""
    refreshed = session.get(REFRESHED_AT)
    now = now if now is not None else time.time()
    return not isinstance(refreshed, int) or now - refreshed >= refresh_interval()


@receiver(user_logged_in)
def _stamp_on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        stamp(session)
