"""What the pipeline puts on the home of those who keep rosters (organizations.todo): probationary members whose
probation ends within 30 days (F6) and those whose probation has ended without 转正, linking to 党员发展. One
query, none for a reader who keeps no roster."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from development.rules import pipeline as rules
from organizations.models import Member, MemberStatus
from organizations.roles import Perm
from organizations.scope import path_q, scope_paths
from organizations.todo import TodoItem, TodoSection


def development_todo(user: Any) -> TodoSection | None:
    paths = scope_paths(user, Perm.EDIT_ROSTER)
    if not paths:
        return None
    today = timezone.localdate()
    ended = rules.latest_admission_ending_by(today - timedelta(days=1))
    soon = rules.latest_admission_ending_by(today + timedelta(days=rules.REMIND_DAYS))
    counts = Member.objects.filter(
        path_q(paths, "organization__path"),
        status=MemberStatus.PROBATIONARY,
        left_on__isnull=True,
        joined_on__lte=soon,
    ).aggregate(ended=Count("pk", filter=Q(joined_on__lte=ended)), soon=Count("pk", filter=Q(joined_on__gt=ended)))
    if not counts["ended"] and not counts["soon"]:
        return None
    url = reverse("development:home")
    return TodoSection(
        "党员发展",
        (
            TodoItem(f"{rules.REMIND_DAYS}日内预备期满的预备党员", counts["soon"], url),
            TodoItem("预备期已满尚未转正的预备党员", counts["ended"], url, overdue=True),
        ),
        order=62,
    )
