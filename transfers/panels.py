"""Members in transit on the organization page (going out and coming in, with the button that records a transfer in
from outside the district) and a member's transfers on the member page, through organizations.panels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from organizations.models import Member, Organization
from organizations.roles import Perm
from organizations.scope import can
from transfers.models import TransferRequest
from transfers.selectors import transit


@dataclass(frozen=True)
class OrgPanel:
    org: Organization
    going: list[TransferRequest]
    coming: list[TransferRequest]
    may_receive: bool


def org_panel(user: Any, org: Organization) -> OrgPanel | None:
    """A grassroots organization's page: its members in transit; nothing on a township's or the district's page."""
    if org.depth < 3:
        return None
    going, coming = transit.org_in_transit(user, org)
    may_receive = can(user, Perm.EDIT_ROSTER, org) and org.dissolved_on is None
    if not (going or coming or may_receive):
        return None
    return OrgPanel(org, going, coming, may_receive)


@dataclass(frozen=True)
class MemberPanel:
    member: Member
    transfers: list[TransferRequest]
    may_start: bool

    @property
    def open(self) -> TransferRequest | None:
        return next((t for t in self.transfers if t.is_open), None)


def member_panel(user: Any, member: Member) -> MemberPanel | None:
    rows = transit.member_transfers(user, member)
    may_start = member.left_on is None and can(user, Perm.EDIT_ROSTER, member.organization)
    if not rows and not may_start:
        return None
    return MemberPanel(member, rows, may_start and not any(t.is_open for t in rows))


def own_panel(user: Any, member: Member) -> Any:
    """The member's own home (organizations.panels): their transfer requests and each one's state."""
    from transfers.selectors.own import own_transfers

    return own_transfers(user)
