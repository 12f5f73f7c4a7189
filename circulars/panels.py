"""The member's own home (organizations.panels): the circulars sent to their organization, to open and read."""

from __future__ import annotations

from typing import Any

from organizations.models import Member


def own_panel(user: Any, member: Member) -> Any:
    from circulars.selectors.own import own_circulars

    return own_circulars(user)
