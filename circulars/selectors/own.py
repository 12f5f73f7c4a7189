"""A member's own circulars on their home (我的): those sent to their organization, newest first, to read only (签收
and 回复 stay the secretary's)."""

from __future__ import annotations

from typing import Any

from circulars.models import Circular, CircularFile
from circulars.rules.receipts import CircularState
from organizations.access import own_member

OWN_LIMIT = 20  # the latest ones: a member's home is read on a phone


def own_circulars(user: Any) -> list[Circular] | None:
    """The latest circulars addressed to the organization of the member linked to ``user`` (one query; None for
    anyone else)."""
    member = own_member(user)
    if member is None:
        return None
    return list(
        Circular.objects.filter(receipts__organization_id=member.organization_id)
        .exclude(state=CircularState.DRAFT)
        .select_related("sender")
        .order_by("-sent_at", "-pk")[:OWN_LIMIT]
    )


def own_attachments(user: Any, circular: Circular) -> list[CircularFile]:
    """The attachments of a circular the member reads (reached through ``circulars.access.own_circular_for``); the
    organizations' replies are not theirs."""
    return list(circular.files.filter(receipt__isnull=True).order_by("pk"))
