"""What elections put on each role's home (organizations.todo): committees whose term ends within six months with no
election under way (A13), and overdue steps of running projects: per township the projects with an overdue step for
those who read whole townships, per project the overdue steps for a secretary. Each count links to the list filtered
to exactly what it counts. A fixed number of queries whatever the size of the district."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from elections.models import ElectionProject, Phase, Step
from elections.selectors.opening import running_projects
from organizations.models import Organization
from organizations.rules import TERM_REMINDER_DAYS
from organizations.scope import path_q, scope_paths
from organizations.selectors import terms_expiring
from organizations.todo import TodoItem, TodoSection


def elections_todo(user: Any) -> TodoSection | None:
    paths = scope_paths(user)
    if not paths:
        return None
    today = timezone.localdate()
    items: list[TodoItem] = []
    terms = list(terms_expiring(user, until=today + timedelta(days=TERM_REMINDER_DAYS)))
    running = running_projects(user, [t.organization_id for t in terms])
    waiting = [t for t in terms if t.organization_id not in running]
    if waiting:  # the terms list filtered to these (``?show=``): the same rows as counted here
        ended = sum(1 for t in waiting if t.ends_on < today)
        terms_url = reverse("elections:terms")
        items.append(TodoItem("半年内届满、尚未启动换届的班子", len(waiting) - ended, f"{terms_url}?show=soon"))
        items.append(TodoItem("已届满、尚未启动换届的班子", ended, f"{terms_url}?show=ended", True))
    late = Step.objects.filter(
        path_q(paths, "project__organization__path"), done_on__isnull=True, due_on__lt=today
    ).exclude(project__status=Phase.CLOSED)
    width = 2 * Organization.steplen
    whole = [p for p in paths if len(p) <= width]  # the user reads whole townships: one line per township's board
    if whole:
        # the township's board lists projects: count the projects with an overdue step, as its filter shows them
        per_town = dict(late.values_list("project__township_id").annotate(n=Count("project", distinct=True)).order_by())
        towns = Organization.objects.filter(pk__in=list(per_town)).order_by("path").only("pk", "name")
        for town in towns:
            board = f"{reverse('elections:board', args=[town.pk])}?overdue=1"
            items.append(TodoItem(f"{town.name}有环节逾期的换届项目", per_town[town.pk], board, True))
    else:
        per_project = dict(late.values_list("project_id").annotate(n=Count("pk")).order_by())
        for project in ElectionProject.objects.filter(pk__in=list(per_project)).select_related("organization"):
            items.append(
                TodoItem(
                    f"{project.organization.name}逾期的换届环节",
                    per_project[project.pk],
                    f"{reverse('elections:project', args=[project.pk])}?overdue=1",  # only the overdue steps
                    True,
                )
            )
    if not items:
        return None
    return TodoSection("换届选举", tuple(items), order=30)
