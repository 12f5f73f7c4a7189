"""In-app notifications: the reads and the two writes (mark one read, mark all read). Reminders create them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from partybuild.models import Notification


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
