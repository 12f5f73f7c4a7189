"""In-app notifications: the reads and the two writes (mark one read, mark all read). Reminders create them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from core.deliveries import deliveries_create
from core.models import Notification


def notification_list(user: Any) -> QuerySet[Notification]:
    """The user's own notifications, newest first; nobody sees anyone else's."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    return notification_list(user).filter(read_at__isnull=True).count()


def notification_get(user: Any, pk: Any) -> Notification:
    try:
        return notification_list(user).get(pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404("通知不存在") from None


def notification_mark_read(*, user: Any, notification: Notification) -> Notification:
    if notification.recipient_id != user.pk:
        raise Http404("通知不存在")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: Any) -> int:
    return notification_list(user).filter(read_at__isnull=True).update(read_at=timezone.now())


def menu_label(user: Any) -> str:
    """The menu entry with the unread count: 通知 or 通知(3)."""
    count = unread_count(user)
    return f"通知({count})" if count else "通知"


# --- Reminders: what every app's daily task delivers --------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    recipient: Any
    title: str
    body: str
    url: str


def reminders_deliver(reminders: Iterable[Reminder], *, once: str = "per_day") -> int:
    """Create the notifications not delivered before, and their deliveries through the channels each recipient chose
    (``core.deliveries``: e-mail, SMS, a group robot; sent by the task ``core.deliver`` once the transaction commits);
    returns how many notifications were created.

    ``once="per_day"``: a reminder is skipped when its recipient already has a notification with the same title
    created on the real local day (the daily tasks of grading and rectification, repeated while a thing stays due);
    ``once="ever"``: skipped when such a notification exists at all (elections, whose titles carry their stage).
    """
    wanted = list(reminders)
    if not wanted:
        return 0
    sent_rows = Notification.objects.filter(recipient_id__in={r.recipient.pk for r in wanted})
    if once == "per_day":
        start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
        sent_rows = sent_rows.filter(created_at__gte=start, created_at__lt=start + timedelta(days=1))
    elif once == "ever":
        sent_rows = sent_rows.filter(title__in={r.title[:200] for r in wanted})
    else:
        raise ValueError(f"unknown once={once!r}")
    sent = set(sent_rows.values_list("recipient_id", "title"))
    fresh: list[Reminder] = []
    for r in wanted:
        key = (r.recipient.pk, r.title[:200])
        if key not in sent:
            sent.add(key)
            fresh.append(r)
    created = Notification.objects.bulk_create(
        [Notification(recipient=r.recipient, title=r.title[:200], body=r.body, url=r.url) for r in fresh]
    )
    deliveries_create(created)
    return len(fresh)


def scheduled_reminders_send() -> dict[str, int]:
    """Run now every daily reminder task that beat runs at 08:00 (each app's ``<app>.send_reminders``), in schedule
    order, in this process; returns how many notifications each created. Idempotent like the schedule itself (per
    day, or once ever for elections), so the demo can show reminders without waiting for the next morning."""
    from celery import current_app as app

    app.loader.import_default_modules()  # the apps' tasks modules register their beat entries when imported
    names = [
        entry["task"]
        for entry in app.conf.beat_schedule.values()
        if str(entry.get("task", "")).endswith(".send_reminders")
    ]
    return {name: int(app.tasks[name].run() or 0) for name in names}
