"""Login throttling on top of django-axes: the account+address lock, and a lock of the address itself.

axes counts failures per lockout parameter set against one limit. Five failures per account and address is right
for a person who forgot a password, but an attacker trying one password against every account (password spraying)
never reaches five on any of them. So an address is also locked, at a higher limit (an office behind one NAT
address shares it), once its failures over all accounts within the cool-off time reach ``AXES_ADDRESS_FAILURE_LIMIT``.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from core.audit import client_ip


def address_failures(ip: str | None) -> int:
    """Failed logins from ``ip`` within the cool-off time, over every account tried."""
    if not ip:
        return 0
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return total or 0


class AddressLimitHandler(AxesDatabaseHandler):
    """axes' database handler, also refusing an address with too many failures over all accounts."""

    def is_locked(self, request: Any, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        if not settings.AXES_LOCK_OUT_AT_FAILURE:
            return False
        ip = getattr(request, "axes_ip_address", None) or client_ip(request)
        return address_failures(ip) >= settings.AXES_ADDRESS_FAILURE_LIMIT

    def user_login_failed(self, sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
        """After axes counted the failure: lock the address once its failures reach the limit. axes itself only
        flags a lock-out when one parameter set reaches AXES_FAILURE_LIMIT, so a refusal by ``is_locked`` alone
        would read as a wrong password."""
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or not settings.AXES_LOCK_OUT_AT_FAILURE:
            return
        ip = getattr(request, "axes_ip_address", None) or client_ip(request)
        if address_failures(ip) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            request.axes_locked_out = True
            request.axes_credentials = credentials
