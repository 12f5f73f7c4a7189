"""What transfers put on the home of those who keep a roster (organizations.todo): "待接收的组织关系 N" for the
receiving side, and for the committee over the sender the letters to issue and the receipts to record. One query."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from organizations.todo import TodoItem, TodoSection
from transfers.selectors.transit import todo_counts


def transfers_todo(user: Any) -> TodoSection | None:
    counts = todo_counts(user)
    if counts is None:
        return None
    home = reverse("transfers:home")
    items = (
        TodoItem("待接收的组织关系", counts.to_confirm, f"{home}?show=awaiting"),
        TodoItem("待开具的组织关系介绍信", counts.to_issue, f"{home}?show=review"),
        TodoItem("待登记回执的介绍信", counts.to_receipt, f"{home}?show=letter_out"),
    )
    items = tuple(i for i in items if i.count)
    return TodoSection("组织关系转接", items, order=55) if items else None
