"""What rectification puts on each role's home (organizations.todo): cases with overdue measures, cases without
progress for 30 days, missing year-end written reports, and the cases a secretary or liaison reports progress on; each
links to the board (or the 整顿 page) filtered to exactly the cases counted (``selectors.boards.waiting_cases``). A
fixed number of queries whatever the size of the district (counts, and the weak cases' report statuses in three)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from grading.rules.grades import Category
from organizations.roles import Perm
from organizations.scope import scope_paths
from organizations.todo import TodoItem, TodoSection
from rectification.selectors import cases as case_selectors
from rectification.services.yearend import statuses


def rectification_todo(user: Any) -> TodoSection | None:
    if not scope_paths(user):
        return None
    today = timezone.localdate()
    cutoff, cutoff_at = case_selectors._stalled_cutoff(today)
    cases = case_selectors._with_last_note(case_selectors.open_cases_visible_to(user)).annotate(
        late=case_selectors._overdue_measure_exists(today)
    )
    counts = cases.aggregate(
        open=Count("pk"),
        stalled=Count("pk", filter=Q(last_note_at__lt=cutoff_at) | Q(last_note_at__isnull=True, opened_on__lt=cutoff)),
        overdue=Count("pk", filter=Q(late=True)),
    )
    if not counts["open"]:
        return None

    def item(show: str, count: int, overdue: bool = True) -> TodoItem:
        # the board of the user's level (or the cases they follow), filtered to exactly the cases counted
        label = case_selectors.WAITING_LABELS[show]
        return TodoItem(label, count, f"{reverse('rectification:home')}?show={show}", overdue)

    items = [item("overdue", counts["overdue"]), item("stalled", counts["stalled"])]
    weak = list(case_selectors.cases_visible_to(user).filter(category=Category.WEAK))
    if weak:
        missing = sum(s.missing for s in statuses(weak, today).values())
        items.append(item("report", missing))
    if scope_paths(user, Perm.REPORT_PROGRESS) and not scope_paths(user, Perm.MANAGE_CASES):
        # Secretaries and liaison leaders: the open cases whose progress they report.
        items.append(item("open", counts["open"], overdue=False))
    return TodoSection("整顿", tuple(items), order=20)


def rectification_statuses(user: Any, organizations: list[Any]) -> dict[int, str]:
    """Each organization's rectification status for the liaison's list: the open case's phase, else the current
    management category. Two queries."""
    from rectification.models import Case, CategoryAssignment
    from rectification.rules.cases import OPEN_PHASES, Phase

    found: dict[int, str] = {}
    rows = CategoryAssignment.objects.filter(organization__in=organizations).order_by("-year", "-created_at", "-pk")
    for row in rows:
        found.setdefault(row.organization_id, row.get_category_display())
    for case in Case.objects.filter(organization__in=organizations, phase__in=OPEN_PHASES):
        found[case.organization_id] = f"整顿中({Phase(case.phase).label})"
    return found
