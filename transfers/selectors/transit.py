"""Members in transit on the organization and member pages, and the counts of the home's to-do list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from organizations.models import Member, Organization
from organizations.roles import Perm
from organizations.scope import can, path_q, scope_paths
from transfers.models import OPEN_STATES, TransferRequest, TransferState


def org_in_transit(user: Any, org: Organization) -> tuple[list[TransferRequest], list[TransferRequest]]:
    """(going out, coming in) of ``org`` still open, in one query; the caller has checked ``org`` is visible."""
    if not can(user, Perm.VIEW_RECORDS, org):
        return [], []
    rows = list(
        TransferRequest.objects.filter(Q(from_org=org) | Q(to_org=org), state__in=OPEN_STATES)
        .select_related("from_org", "to_org")
        .order_by("-started_on", "-pk")
    )
    return [r for r in rows if r.from_org_id == org.pk], [r for r in rows if r.to_org_id == org.pk]


def member_transfers(user: Any, member: Member) -> list[TransferRequest]:
    """Every transfer of ``member`` (the caller shows the member's page, so the member is visible)."""
    if not can(user, Perm.VIEW_RECORDS, member.organization):
        return []
    return list(member.transfer_requests.select_related("from_org", "to_org").order_by("-started_on", "-pk"))


@dataclass(frozen=True)
class TodoCounts:
    to_confirm: int
    to_issue: int
    to_receipt: int


def todo_counts(user: Any) -> TodoCounts | None:
    """What waits for this user: incoming transfers to confirm (``edit_roster`` on the receiver), letters to issue
    and receipts to record (``transfer_letter`` on the sender). One aggregate query; none without a roster."""
    roster, letters = scope_paths(user, Perm.EDIT_ROSTER), scope_paths(user, Perm.TRANSFER_LETTER)
    if not roster:
        return None
    to_q, from_q = path_q(roster, "to_org__path"), path_q(letters, "from_org__path")
    found = TransferRequest.objects.filter(state__in=OPEN_STATES).aggregate(
        to_confirm=Count("pk", filter=to_q & Q(state=TransferState.AWAITING)),
        to_issue=Count("pk", filter=from_q & Q(state=TransferState.REVIEW)),
        to_receipt=Count("pk", filter=from_q & Q(state=TransferState.LETTER_OUT)),
    )
    return TodoCounts(**found)
