"""Deliveries (发送记录, issue 17): created with the reminders for the channels each recipient chose, sent one by one
by the task ``core.deliver`` (tried again with a backoff while the other side is busy or out of reach), listed for
the district with a 重发 for the failed ones.

The in-app notification is the ``Notification`` row itself and has no delivery of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from celery import current_app as app
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from core import access, audit
from core.channels import Message, absolute, backend_for
from core.models import ChannelChoice, Delivery, Notification
from core.rules.delivery import DeliveryStatus, chosen_addresses, next_status, retry_countdown

logger = logging.getLogger(__name__)

DELIVER_TASK = "core.deliver"  # core.tasks.deliver_task
OPEN = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)
# A delivery still open this long after its last change was dropped by a lost worker (or a broker that was down):
# the sweep queues it again. Longer than the longest backoff.
STALE_AFTER = timedelta(hours=2)
PER_PAGE = 50
# The 发送记录 page's filter: (value, label), all first.
STATUS_FILTERS = [("", "全部"), *DeliveryStatus.choices]


# --- Writes -----------------------------------------------------------------------------------------------------


def deliveries_create(notifications: Sequence[Notification]) -> list[int]:
    """One delivery per outside channel each notification's recipient chose (one query for the choices, one
    insert), queued once the surrounding transaction commits; returns their ids."""
    if not notifications:
        return []
    choices: dict[int, dict[str, tuple[bool, str]]] = {}
    for row in ChannelChoice.objects.filter(user_id__in={n.recipient_id for n in notifications}):
        choices.setdefault(row.user_id, {})[row.channel] = (row.enabled, row.address)
    rows = [
        Delivery(notification=n, channel=channel, address=address)
        for n in notifications
        for channel, address in chosen_addresses(n.recipient.email or "", choices.get(n.recipient_id, {}))
    ]
    created = Delivery.objects.bulk_create(rows)
    ids = [d.pk for d in created]
    deliveries_queue(ids)
    return ids


def deliveries_queue(ids: Sequence[int]) -> None:
    """Queue ``core.deliver`` for each id once the transaction commits (eagerly, in-process, without a broker)."""
    if ids:
        wanted = list(ids)
        transaction.on_commit(lambda: _send(wanted))


def _send(ids: list[int]) -> None:
    for delivery_id in ids:
        try:
            app.tasks[DELIVER_TASK].delay(delivery_id)
        except Exception:  # a broker that is down: the delivery stays open and the sweep queues it again
            logger.warning("delivery %s: broker unreachable, left for the sweep", delivery_id, exc_info=True)


@dataclass(frozen=True)
class Attempted:
    status: str
    retry_in: int | None  # seconds before the next attempt, when there is one


def delivery_attempt(delivery_id: int) -> Attempted | None:
    """One attempt at an open delivery through its channel's backend; None when there is nothing to do (sent,
    failed, gone, or another worker holds it). Idempotent: a repeated task finds the delivery closed."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("notification")
            .filter(pk=delivery_id, status__in=OPEN)
            .first()
        )
        if delivery is None:
            return None
        note = delivery.notification
        message = Message(note.title, note.body, absolute(note.url))
        outcome = backend_for(delivery.channel).send(delivery.address, message)
        delivery.attempts += 1
        delivery.status = next_status(outcome, attempts=delivery.attempts, max_attempts=settings.DELIVERY_MAX_ATTEMPTS)
        delivery.last_error = outcome.error[:300]
        delivery.sent_at = timezone.now() if outcome.ok else None
        delivery.save(update_fields=["attempts", "status", "last_error", "sent_at", "updated_at"])
    logger.info(
        "delivery %s (%s): %s after %s attempt(s)",
        delivery.pk,
        delivery.channel,
        delivery.status,
        delivery.attempts,
    )
    if delivery.status == DeliveryStatus.RETRYING:
        return Attempted(delivery.status, retry_countdown(delivery.attempts, base=settings.DELIVERY_RETRY_BASE_SECONDS))
    return Attempted(delivery.status, None)


def delivery_resend(*, actor: Any, delivery: Delivery) -> Delivery:
    """重发: a failed delivery goes back to 待发送 with its attempts counted afresh (district staff)."""
    if not access.is_district_staff(actor):
        raise PermissionDenied("只有区委组织部可以重发消息")
    with transaction.atomic():
        locked = Delivery.objects.select_for_update().select_related("notification").get(pk=delivery.pk)
        if locked.status != DeliveryStatus.FAILED:
            raise ValidationError(f"这条消息{locked.get_status_display()},只有发送失败的消息可以重发")
        locked.status, locked.attempts, locked.last_error = DeliveryStatus.PENDING, 0, ""
        locked.save(update_fields=["status", "attempts", "last_error", "updated_at"])
        audit.record(
            actor=actor,
            verb="delivery.resend",
            summary=f"重发{locked.get_channel_display()}消息:{locked.notification.title}",
            target=locked,
            before={"status": str(DeliveryStatus.FAILED)},
            after={"status": str(DeliveryStatus.PENDING)},
        )
        deliveries_queue([locked.pk])
    return locked


def deliveries_requeue_stale() -> int:
    """Queue again the open deliveries nobody has touched for ``STALE_AFTER`` (the periodic sweep)."""
    ids = list(
        Delivery.objects.filter(status__in=OPEN, updated_at__lt=timezone.now() - STALE_AFTER)
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )
    _send(ids)
    return len(ids)


# --- Reads (district staff) -------------------------------------------------------------------------------------


def _require_staff(user: Any) -> None:
    if not access.is_district_staff(user):
        raise PermissionDenied("只有区委组织部可以查看发送记录")


@dataclass(frozen=True)
class DeliveryPage:
    rows: list[Delivery]
    status: str
    older: int | None  # ``before=`` for the next (older) page, None on the last one


def delivery_list(user: Any, *, status: str = "", before: Any = None) -> DeliveryPage:
    """The newest deliveries first, of one status or all, ``PER_PAGE`` at a time older than the id ``before``: one
    query whatever the number of rows."""
    _require_staff(user)
    qs = Delivery.objects.select_related("notification__recipient").order_by("-pk")
    status = status if status in DeliveryStatus.values else ""
    if status:
        qs = qs.filter(status=status)
    try:
        qs = qs.filter(pk__lt=int(before)) if before else qs
    except (TypeError, ValueError):
        pass
    rows = list(qs[: PER_PAGE + 1])
    older = rows[PER_PAGE - 1].pk if len(rows) > PER_PAGE else None
    return DeliveryPage(rows[:PER_PAGE], status, older)


def delivery_for(user: Any, pk: Any) -> Delivery:
    _require_staff(user)
    try:
        return Delivery.objects.select_related("notification").get(pk=pk)
    except (Delivery.DoesNotExist, ValueError, TypeError):
        raise Http404("发送记录不存在") from None
