"""What circulars put on the home of those who answer them (organizations.todo): 未读通知公告 and 待回复 (red when
one is past its deadline), linking to the 通知公告 list. One query, none for a user who answers for no
organization."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from circulars.selectors.circulars import unanswered_counts
from organizations.todo import TodoItem, TodoSection


def circulars_todo(user: Any) -> TodoSection | None:
    counts = unanswered_counts(user, timezone.localdate())
    if not counts["unread"] and not counts["to_reply"]:
        return None
    url = reverse("circulars:home")
    items = (
        TodoItem("未读通知公告", counts["unread"], url, overdue=counts["overdue"] > 0),
        TodoItem("待回复通知公告", counts["to_reply"], url, overdue=counts["overdue"] > 0),
    )
    return TodoSection("通知公告", items, order=5)
