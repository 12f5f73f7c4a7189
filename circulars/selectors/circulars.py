"""Reads of circulars, each taking the user: the received list (receipts of the organizations the user answers
for), the sent list with its counts (one query whatever the number of recipients), one circular's receipt board
(counts at the top, a row per organization in scope), its attachments and trail, the recipient picker's options."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from circulars.access import SEND, answering_ids, visible_q
from circulars.models import Circular, CircularFile, Receipt
from circulars.rules import receipts as rules
from circulars.rules.receipts import CircularState, ReceiptState
from circulars.services import recipients
from core.audit import events_for
from core.models import Event
from organizations.models import Organization
from organizations.scope import grants_for, path_q, scope_paths

SENDER_DEPTH = 2  # circulars are sent by the district (depth 1) and the townships (depth 2), never below
LIST_LIMIT = 100  # the latest circulars of each list; older ones stay reachable from their notifications


@dataclass(frozen=True)
class Row:
    receipt: Receipt
    state: ReceiptState
    late: bool  # replied after the deadline

    @property
    def files(self) -> list[CircularFile]:
        return list(self.receipt.files.all())


@dataclass(frozen=True)
class Board:
    rows: list[Row]
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def not_replied(self) -> int:
        return self.total - self.counts[ReceiptState.REPLIED]


def _state(receipt: Receipt, circular: Circular, today: date) -> Row:
    state = rules.receipt_state(
        read=receipt.read_at is not None,
        replied=receipt.replied_at is not None,
        reply_required=circular.reply_required,
        deadline=circular.deadline,
        today=today,
    )
    replied_on = timezone.localdate(receipt.replied_at) if receipt.replied_at else None
    return Row(receipt, state, rules.replied_late(replied_on=replied_on, deadline=circular.deadline))


def received_of(user: Any, today: date) -> list[Row]:
    """The sent (or closed) circulars addressed to the organizations the user answers for, newest first (one query)."""
    ids = answering_ids(user)
    qs = (
        Receipt.objects.filter(organization_id__in=ids)
        .exclude(circular__state=CircularState.DRAFT)
        .select_related("circular__sender", "organization")
        .order_by("-circular__sent_at", "-circular_id", "pk")[:LIST_LIMIT]
    )
    return [_state(r, r.circular, today) for r in qs]


def sent_of(user: Any) -> QuerySet[Circular]:
    """Circulars of the senders the user may send for, newest first, with their counts (one query)."""
    paths = [g.path for g in grants_for(user) if SEND in g.perms]
    if not paths:
        return Circular.objects.none()
    return _counted(Circular.objects.filter(sender__path__in=paths)).order_by("-created_at", "-pk")[:LIST_LIMIT]


def below_of(user: Any) -> QuerySet[Circular]:
    """下级发出: the sent (or closed) circulars of the senders in the user's scope that the user does not send for:
    the townships' for the district, its township's for a township viewer; newest first with their counts (one
    query; none for a user whose scope holds no possible sender, a branch or a liaison). Drafts stay the sender's."""
    tops = [p for p in scope_paths(user) if len(p) <= SENDER_DEPTH * Organization.steplen]
    if not tops:
        return Circular.objects.none()
    own = [g.path for g in grants_for(user) if SEND in g.perms]
    return (
        _counted(Circular.objects.filter(path_q(tops, "sender__path")))
        .exclude(sender__path__in=own)
        .exclude(state=CircularState.DRAFT)
        .order_by("-sent_at", "-pk")[:LIST_LIMIT]
    )


def _counted(qs: QuerySet[Circular]) -> QuerySet[Circular]:
    return qs.select_related("sender").annotate(
        n_total=Count("receipts"),
        n_read=Count("receipts", filter=Q(receipts__read_at__isnull=False)),
        n_replied=Count("receipts", filter=Q(receipts__replied_at__isnull=False)),
    )


def board_of(user: Any, circular: Circular, today: date) -> Board:
    """The circular's receipts of the organizations in the user's scope (all of them for the sender's side), in tree
    order, each with its state and files; the counts of each state (two queries)."""
    files = Prefetch("files", queryset=CircularFile.objects.order_by("pk"))
    qs = (
        circular.receipts.filter(path_q(scope_paths(user), "organization__path"))
        .select_related("organization", "read_by", "replied_by")
        .prefetch_related(files)
        .order_by("organization__path", "pk")
    )
    rows = [_state(r, circular, today) for r in qs]
    return Board(rows, rules.state_counts(r.state for r in rows))


def own_rows(user: Any, board: Board) -> list[Row]:
    """The rows of the board the user answers for (a secretary's own organization): no query."""
    ids = answering_ids(user)
    return [r for r in board.rows if r.receipt.organization_id in ids]


def attachments_of(user: Any, circular: Circular) -> QuerySet[CircularFile]:
    return circular.files.filter(receipt__isnull=True).order_by("pk")


def trail_of(user: Any, circular: Circular) -> QuerySet[Event]:
    return events_for(circular).order_by("-at", "-pk")


def pickable_of(user: Any, sender: Organization) -> QuerySet[Organization]:
    return recipients.pickable(sender)


def unanswered_counts(user: Any, today: date) -> dict[str, int]:
    """For the home's to-do: circulars addressed to the user's organizations still unread, and read but not replied
    where a reply is asked (with how many of those are past their deadline), in one aggregate query."""
    ids = answering_ids(user)
    if not ids:
        return {"unread": 0, "to_reply": 0, "overdue": 0}
    waiting = Q(circular__reply_required=True, replied_at__isnull=True)
    return Receipt.objects.filter(organization_id__in=ids, circular__state=CircularState.SENT).aggregate(
        unread=Count("pk", filter=Q(read_at__isnull=True)),
        to_reply=Count("pk", filter=Q(read_at__isnull=False) & waiting),
        overdue=Count("pk", filter=waiting & Q(circular__deadline__lt=today)),
    )


def visible_circulars(user: Any) -> QuerySet[Circular]:
    return Circular.objects.filter(visible_q(user))
