"""The elections board of the district (or of one township): projects by phase per township, overdue steps, terms
coming to an end without a project.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from elections.models import ElectionProject, Phase
from elections.selectors.opening import running_projects
from organizations.models import Organization
from organizations.roles import Perm
from organizations.rules import TERM_REMINDER_DAYS  # A13
from organizations.scope import path_q, scope_paths
from organizations.selectors import terms_expiring

# One colour per phase on the chart (the phases in order, then 已完成).
PHASE_COLOURS = ("#9e9e9e", "#5c6bc0", "#26a69a", "#ffa726", "#e53935", "#8d6e63", "#2e7d32")


@dataclass
class TownshipProgress:
    township: Organization
    phases: list[tuple[str, str, int]]  # (phase, label, projects)
    total: int = 0
    overdue_projects: int = 0
    overdue_steps: int = 0
    expiring: int = 0  # terms ending within six months (or ended) with no project running
    bars: list[tuple[float, float, str, str, int]] = field(default_factory=list)  # (x, width, colour, label, n)
    board: bool = True  # the user may open the township's board (a grant below the township may not: no link)


def _expiring(user: Any, townships: list[Organization], today: date) -> dict[int, int]:
    """Per township: terms in the user's scope ending within six months (or ended) with no project running."""
    terms = list(terms_expiring(user, until=today + timedelta(days=TERM_REMINDER_DAYS)))
    running = running_projects(user, [t.organization_id for t in terms])
    by_path = {t.path: t for t in townships}
    expiring: dict[int, int] = {}
    for term in terms:
        town = by_path.get(term.organization.path[: 2 * Organization.steplen])
        if town is not None and term.organization_id not in running:
            expiring[town.pk] = expiring.get(town.pk, 0) + 1
    return expiring


def _add_bars(rows: list[TownshipProgress]) -> None:
    """The chart: one bar per township, a segment per phase, widths against the township with most projects."""
    widest = max([r.total for r in rows] or [0]) or 1
    for row in rows:
        x = 0.0
        for (_phase, label, n), colour in zip(row.phases, PHASE_COLOURS, strict=True):
            if n:
                width = round(100 * n / widest, 2)
                row.bars.append((x, width, colour, label, n))
                x = round(x + width, 2)


def elections_overview(user: Any, today: date) -> tuple[list[TownshipProgress], TownshipProgress | None]:
    """Per township in the user's scope: projects by phase, projects with overdue steps, terms coming to an end
    without a project; and the total over them (None for a single township). Five queries whatever the size."""
    from django.db.models import Count

    from elections.models import Step

    paths = scope_paths(user, Perm.VIEW_RECORDS)
    townships = list(
        Organization.objects.filter(path_q(paths, "path"), depth=2, dissolved_on__isnull=True).order_by("path")
    )
    board = bool(townships)
    if not townships:  # a grant below the townships: the townships it lies in, read-only rows of its part
        townships = list(
            Organization.objects.filter(path__in={p[: 2 * Organization.steplen] for p in paths}, depth=2).order_by(
                "path"
            )
        )
    scoped = ElectionProject.objects.filter(path_q(paths, "organization__path"))
    counts: dict[tuple[int, str], int] = {
        (r["township_id"], r["status"]): r["n"] for r in scoped.values("township_id", "status").annotate(n=Count("id"))
    }
    late = {
        r["project__township_id"]: (r["projects"], r["steps"])
        for r in Step.objects.filter(project__in=scoped, done_on__isnull=True, due_on__lt=today)
        .values("project__township_id")
        .annotate(projects=Count("project", distinct=True), steps=Count("id"))
    }
    expiring = _expiring(user, townships, today)
    rows = []
    for town in townships:
        phases = [(v, label, counts.get((town.pk, v), 0)) for v, label in Phase.choices]
        late_projects, late_steps = late.get(town.pk, (0, 0))
        rows.append(
            TownshipProgress(
                town,
                phases,
                sum(n for *_, n in phases),
                late_projects,
                late_steps,
                expiring.get(town.pk, 0),
                board=board,
            )
        )
    total = None
    if len(rows) > 1:
        phases = [(v, label, sum(r.phases[i][2] for r in rows)) for i, (v, label) in enumerate(Phase.choices)]
        total = TownshipProgress(
            Organization(name="合计"),
            phases,
            sum(r.total for r in rows),
            sum(r.overdue_projects for r in rows),
            sum(r.overdue_steps for r in rows),
            sum(r.expiring for r in rows),
        )
    _add_bars(rows)
    return rows, total
