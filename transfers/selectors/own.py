"""A member's own transfers on their home (我的): each request's way and state, nothing of anyone else's."""

from __future__ import annotations

from typing import Any

from organizations.access import own_member
from transfers.models import TransferRequest


def own_transfers(user: Any) -> list[TransferRequest] | None:
    """The transfer requests of the member linked to ``user``, newest first (one query; None for anyone else)."""
    member = own_member(user)
    if member is None:
        return None
    return list(TransferRequest.objects.filter(member=member).order_by("-started_on", "-pk"))
