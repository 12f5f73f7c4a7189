"""Reads of the boards (district, township): who lands on which board, the rows of open cases, the chart of cases per
phase and the district's ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Case as CaseWhen
from django.db.models import (
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.queries import count_subquery
from organizations.models import Organization
from organizations.roles import Perm
from organizations.scope import grants_for, path_q, scope_paths
from rectification.models import (
    Case,
    Measure,
)
from rectification.rules import ledger as ledger_rules
from rectification.rules.cases import Phase
from rectification.rules.ledger import MeasureStatus
from rectification.selectors.cases import (
    WAITING_LABELS,
    _overdue_q,
    _stalled_cutoff,
    _with_last_note,
    cases_visible_to,
    open_cases_visible_to,
    waiting_cases,
)
from rectification.services import yearend as yearend_services

_MONEY = DecimalField(max_digits=12, decimal_places=2)


def manages_cases(user: Any) -> bool:
    return bool(scope_paths(user, Perm.MANAGE_CASES))


def supervises(user: Any) -> bool:
    return bool(scope_paths(user, Perm.SUPERVISE))


def home_township_pk(user: Any) -> int | None:
    """The township whose board a township cadre lands on: the first township-level grant with MANAGE_CASES; for a
    reader of a whole township (a viewer), the first township-level grant with VIEW_RECORDS (the board, read-only)."""
    for perm in (Perm.MANAGE_CASES, Perm.VIEW_RECORDS):
        roots = set(scope_paths(user, perm))
        for grant in grants_for(user):
            if grant.path in roots and len(grant.path) == 2 * Organization.steplen:
                return grant.org_id
    return None


@dataclass(frozen=True)
class BoardRow:
    case: Case
    phase_label: str
    overdue: int
    measures: int
    progress: int
    budget_planned: Decimal
    budget_spent: Decimal
    days_open: int
    stalled: bool


def board_rows(
    user: Any, today: date | None = None, *, township_path: str | None = None, include_accepted: bool = False
) -> list[BoardRow]:
    """The district (or township) board: every open case in scope (with ``include_accepted``, the accepted ones too),
    overdue measures first, then the longest open.

    One query whatever the number of cases: counts and sums are correlated subqueries.
    """
    today = today or timezone.localdate()
    measures = Measure.objects.filter(problem__case=OuterRef("pk"))
    effective = CaseWhen(
        When(status=MeasureStatus.DONE, then=Value(ledger_rules.PERCENT_DONE)),
        When(status=MeasureStatus.PLANNED, then=Value(0)),
        default=F("percent"),
        output_field=IntegerField(),
    )

    def total(qs: QuerySet[Any], expression: Any, output: Any) -> Coalesce:
        summed = qs.order_by().values("problem__case").annotate(t=Sum(expression, output_field=output)).values("t")
        return Coalesce(Subquery(summed, output_field=output), Value(0, output_field=output))

    qs = cases_visible_to(user) if include_accepted else open_cases_visible_to(user)
    if township_path:
        qs = qs.filter(organization__path__startswith=township_path)
    qs = _with_last_note(qs).annotate(
        overdue=count_subquery(measures.filter(_overdue_q(today))),
        measure_count=count_subquery(measures),
        percent_sum=total(measures, effective, IntegerField()),
        budget_planned=total(measures, F("budget"), _MONEY),
        budget_spent=total(measures, F("spent"), _MONEY),
    )
    rows: list[BoardRow] = []
    cutoff, cutoff_at = _stalled_cutoff(today)
    for case in qs.order_by("-overdue", "opened_on", "pk"):
        n = case.measure_count
        stalled = (case.last_note_at < cutoff_at) if case.last_note_at else case.opened_on < cutoff
        rows.append(
            BoardRow(
                case=case,
                phase_label=case.get_phase_display(),
                overdue=case.overdue,
                measures=n,
                progress=(case.percent_sum // n) if n else 0,
                budget_planned=case.budget_planned,
                budget_spent=case.budget_spent,
                days_open=(today - case.opened_on).days,
                stalled=stalled,
            )
        )
    return rows


@dataclass(frozen=True)
class Bar:
    phase: str
    label: str
    count: int
    x: int
    y: int
    height: int
    top: int


CHART_BASE = 170  # y of the axis in the 420×200 viewBox


CHART_MAX_HEIGHT = 140


def _phase_counts(qs: QuerySet[Case]) -> dict[str, int]:
    return dict(qs.order_by().values_list("phase").annotate(n=Count("pk")).values_list("phase", "n"))


def phase_chart(user: Any, *, township_path: str | None = None, year: int | None = None) -> list[Bar]:
    """Bars for the server-drawn SVG: open cases per phase and this year's accepted ones (one query)."""
    qs = cases_visible_to(user)
    if township_path:
        qs = qs.filter(organization__path__startswith=township_path)
    year = year or timezone.localdate().year
    counts = _phase_counts(qs.exclude(phase=Phase.ACCEPTED) | qs.filter(phase=Phase.ACCEPTED, closed_on__year=year))
    top = max([*counts.values(), 1])
    bars = []
    for i, phase in enumerate(Phase):
        n = counts.get(phase.value, 0)
        height = round(CHART_MAX_HEIGHT * n / top)
        bars.append(Bar(phase.value, phase.label, n, 30 + i * 98, CHART_BASE - height, height, CHART_BASE - height - 6))
    return bars


def district_measures(user: Any) -> QuerySet[Measure]:
    """Every measure of the open cases in scope, by township and organization (for the district ledger)."""
    return (
        Measure.objects.filter(problem__case__in=cases_visible_to(user).exclude(phase=Phase.ACCEPTED))
        .select_related("problem__case__organization")
        .order_by("problem__case__organization__path", "problem_id", "deadline", "pk")
    )


def township_names(user: Any) -> dict[str, str]:
    """The names of the townships the user sees, by path (to label rows of cases already scoped)."""
    return dict(Organization.objects.filter(depth=2).filter(path_q(scope_paths(user))).values_list("path", "name"))


def board(user: Any, today: date, *, township: Organization | None = None, show: str = "") -> dict[str, Any]:
    """The district's board, or one township's (``township`` from ``access.township_for``): the open cases in scope
    with their township and year-end report status, the counts and the chart. With ``show`` (a key of
    ``WAITING_LABELS``) the rows are the cases of that to-do line only; the counts stay the board's (all open cases)."""
    township_path = township.path if township is not None else None
    rows = board_rows(user, today, township_path=township_path, include_accepted=show == "report")
    open_rows = [r for r in rows if r.case.phase != Phase.ACCEPTED]
    shown = open_rows
    if show:
        wanted = {c.pk for c in waiting_cases(user, show, today)}
        shown = [r for r in rows if r.case.pk in wanted]
    reports = yearend_services.statuses([r.case for r in rows], today)
    towns = {township.path: township.name} if township is not None else township_names(user)
    return {
        "rows": [(r, towns.get(r.case.organization.township_path(), ""), reports[r.case.pk]) for r in shown],
        "show": show,
        "show_label": WAITING_LABELS.get(show, ""),
        "open_count": len(open_rows),
        "report_missing_count": sum(reports[r.case.pk].missing for r in open_rows),
        "bars": phase_chart(user, township_path=township_path, year=today.year),
        "today": today,
        "stalled_count": sum(r.stalled for r in open_rows),
        "overdue_count": sum(r.overdue for r in open_rows),
    }
