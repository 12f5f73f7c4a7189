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
    Exists,
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

from grading.rules import Category
from organizations.models import Organization
from organizations.roles import Perm
from organizations.scope import grants_for, scope_paths
from partybuild.queries import count_subquery
from rectification.models import (
    Case,
    Measure,
)
from rectification.rules import ledger as ledger_rules
from rectification.rules.cases import Phase
from rectification.rules.ledger import MeasureStatus
from rectification.selectors.cases import (
    _overdue_q,
    _stalled_cutoff,
    _with_last_note,
    cases_visible_to,
    open_cases_visible_to,
    stalled_cases,
)

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


# The lists the to-do panel links to (``rectification.todo`` counts them; the boards and the 整顿 page filter their rows
# to them with ``?show=<key>``), so that the number on the home is the number of rows on the page it opens.
WAITING_LABELS: dict[str, str] = {
    "overdue": "整改措施逾期的整顿",
    "stalled": f"超过{ledger_rules.STALLED_AFTER_DAYS}天未报告进展的整顿",
    "report": "年底整顿不力书面报告未报送",
    "open": "正在整顿、需报告整改进展",
}


def overdue_measure_exists(today: date) -> Exists:
    """For a query of cases: the case has a measure past its deadline and not done."""
    return Exists(Measure.objects.filter(_overdue_q(today), problem__case=OuterRef("pk")))


def waiting_cases(user: Any, show: str, today: date) -> list[Case]:
    """The cases behind one to-do line (``WAITING_LABELS``), inside the user's scope."""
    if show == "overdue":
        return list(open_cases_visible_to(user).filter(overdue_measure_exists(today)))
    if show == "stalled":
        return list(stalled_cases(user, today))
    if show == "open":
        return list(open_cases_visible_to(user))
    if show == "report":  # open at a year-end cut-off, accepted since or not: the report is still owed
        from rectification.services.yearend import statuses  # services read the selectors: no import at load

        weak = list(cases_visible_to(user).filter(category=Category.WEAK))
        owed = statuses(weak, today)
        return [c for c in weak if owed[c.pk].missing]
    raise ValueError(f"unknown list {show!r}")


def phase_counts(qs: QuerySet[Case]) -> dict[str, int]:
    return dict(qs.order_by().values_list("phase").annotate(n=Count("pk")).values_list("phase", "n"))


def phase_chart(user: Any, *, township_path: str | None = None, year: int | None = None) -> list[Bar]:
    """Bars for the server-drawn SVG: open cases per phase and this year's accepted ones (one query)."""
    qs = cases_visible_to(user)
    if township_path:
        qs = qs.filter(organization__path__startswith=township_path)
    year = year or timezone.localdate().year
    counts = phase_counts(qs.exclude(phase=Phase.ACCEPTED) | qs.filter(phase=Phase.ACCEPTED, closed_on__year=year))
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


def township_names() -> dict[str, str]:
    return dict(Organization.objects.filter(depth=2).values_list("path", "name"))
