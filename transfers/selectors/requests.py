"""The transfer lists and a transfer's page. A transfer is visible to whoever may read either end: the sending
organization's side (its secretary, township, district) and the receiving one, which sees the request's own fields
(the particulars the letter prints) and never the rest of the member's record until the member is on its roster."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from core.audit import events_for
from core.models import Event
from organizations.models import Organization, mask_id_number
from organizations.roles import Perm
from organizations.scope import can, path_q, scope_paths
from transfers.models import OPEN_STATES, TransferRequest, TransferState
from transfers.rules import letters as rules
from transfers.services.workflow import allowed_actions

PAGE_SIZE = 30
SHOWS = {
    "open": ("正在办理", OPEN_STATES),
    "review": ("待转出审核", (TransferState.REVIEW,)),
    "awaiting": ("待接收", (TransferState.AWAITING,)),
    "letter_out": ("待登记回执", (TransferState.LETTER_OUT,)),
    "all": ("全部", tuple(TransferState.values)),
}


def visible_q(user: Any, perm: Perm = Perm.VIEW_RECORDS) -> Q:
    paths = scope_paths(user, perm)
    return path_q(paths, "from_org__path") | path_q(paths, "to_org__path")


def transfer_list(user: Any, *, show: str = "open") -> QuerySet[TransferRequest]:
    states = SHOWS.get(show, SHOWS["open"])[1]
    return (
        TransferRequest.objects.filter(visible_q(user), state__in=states)
        .select_related("from_org", "to_org")
        .order_by("-started_on", "-pk")
    )


def transfer_page(user: Any, *, show: str = "open", number: Any = 1) -> Page:
    """One page of the list: two queries (the count and the rows) whatever the number of rows."""
    return Paginator(transfer_list(user, show=show), PAGE_SIZE).get_page(number)


def destinations(user: Any) -> QuerySet[Organization]:
    """Where a transfer within the district may go: every grassroots organization not dissolved (names only; the
    form answers the same for a missing and an unfit one). Nothing for a user who keeps no roster."""
    if not scope_paths(user, Perm.EDIT_ROSTER):
        return Organization.objects.none()
    return Organization.objects.filter(depth__gte=3, dissolved_on__isnull=True).order_by("path")


def destination_matches(user: Any, query: str, *, limit: int) -> list[Organization] | None:
    """Destinations whose name or code contains ``query``; nothing typed: type to search (None)."""
    if not query:
        return None
    rows = destinations(user).filter(Q(name__icontains=query) | Q(code__icontains=query))
    return list(rows.only("pk", "name", "path")[: limit + 1])


def destinations_named(user: Any, pks: list[Any]) -> list[Organization]:
    wanted = [int(p) for p in pks if str(p).isdigit()]
    return list(destinations(user).filter(pk__in=wanted)) if wanted else []


@dataclass(frozen=True)
class TransferView:
    transfer: TransferRequest
    actions: list[str]
    id_shown: str
    may_open_member: bool
    may_print: bool
    valid_until: Any
    age: int
    events: list[Event]


def transfer_view(user: Any, transfer: TransferRequest) -> TransferView:
    """A transfer's page: what this user may do now and see of the person."""
    ends = [o for o in (transfer.from_org, transfer.to_org) if o is not None]
    personal = any(can(user, Perm.VIEW_PERSONAL_DATA, o) for o in ends)
    member = transfer.member
    day = transfer.letter_issued_on or transfer.started_on
    return TransferView(
        transfer=transfer,
        actions=allowed_actions(user, transfer),
        id_shown=transfer.id_number if personal else mask_id_number(transfer.id_number),
        may_open_member=member is not None and can(user, Perm.VIEW_RECORDS, member.organization),
        may_print=may_print(user, transfer),
        valid_until=rules.valid_until(transfer.letter_issued_on, transfer.valid_days)
        if transfer.letter_issued_on and transfer.valid_days
        else None,
        age=rules.age_on(transfer.birth_date, day),
        events=list(events_for(transfer).select_related("actor").order_by("at", "pk")),
    )


def may_print(user: Any, transfer: TransferRequest) -> bool:
    """The letter prints the ID number: personal data on either end, once the letter is issued."""
    if not transfer.letter_seq:
        return False
    return any(can(user, Perm.VIEW_PERSONAL_DATA, o) for o in (transfer.from_org, transfer.to_org) if o is not None)
