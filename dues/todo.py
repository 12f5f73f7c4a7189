"""What dues put on the home of those who record them (organizations.todo): how many members under them owe dues
for an ended month of this year (P4), linking to their level's dues page. One query, none for a reader who does not
record dues."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from dues.models import DuesMonth
from dues.rules import ledger
from organizations.roles import Perm
from organizations.scope import path_q, scope_paths
from organizations.todo import TodoItem, TodoSection


def dues_todo(user: Any) -> TodoSection | None:
    paths = scope_paths(user, Perm.EDIT_ROSTER)
    today = timezone.localdate()
    closed = ledger.closed_months(today.year, today)
    if not paths or not closed:
        return None
    owing = (
        DuesMonth.objects.filter(
            path_q(paths, "organization__path"), year=today.year, month__lte=closed, paid__lt=F("due")
        )
        .values("member")
        .distinct()
        .count()
    )
    if not owing:
        return None
    return TodoSection("党费", (TodoItem("有欠缴党费的党员", owing, reverse("dues:home"), overdue=True),), order=60)
