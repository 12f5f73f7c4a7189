"""Reads. Every function takes the user and returns only what that user may see; out of scope is 404.

"Overdue" and "stalled" are derived here from dates and ``today`` (Asia/Shanghai), with the thresholds of
``rectification.rules``, so boards, reminders and exports agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Case as CaseWhen
from django.db.models import (
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from organizations.roles import Perm
from organizations.scope import get_visible_or_404, path_q, scope_paths
from partybuild.queries import count_subquery
from rectification import rules
from rectification.models import Case, CategoryAssignment, Measure, ProgressNote
from rectification.rules import MeasureStatus, Phase

_MONEY = DecimalField(max_digits=12, decimal_places=2)


def cases_visible_to(user: Any) -> QuerySet[Case]:
    return Case.objects.filter(path_q(scope_paths(user, Perm.VIEW_RECORDS), "organization__path")).select_related(
        "organization"
    )


def case_get(user: Any, pk: Any) -> Case:
    """One case inside the user's scope; out of scope answers 404 exactly like a missing case."""
    return get_visible_or_404(Case.objects.select_related("organization"), user, path_field="organization__path", pk=pk)


def open_cases_visible_to(user: Any) -> QuerySet[Case]:
    return cases_visible_to(user).exclude(phase=Phase.ACCEPTED)


def _overdue_q(today: date, prefix: str = "") -> Q:
    # rules.is_overdue: today > deadline and not done (deadlines are calendar dates).
    return Q(**{f"{prefix}deadline__lt": today}) & ~Q(**{f"{prefix}status": MeasureStatus.DONE})


def overdue_measures(user: Any, today: date | None = None) -> QuerySet[Measure]:
    today = today or timezone.localdate()
    return (
        Measure.objects.filter(
            path_q(scope_paths(user, Perm.VIEW_RECORDS), "problem__case__organization__path"),
            _overdue_q(today),
        )
        .exclude(problem__case__phase=Phase.ACCEPTED)
        .select_related("problem__case__organization")
        .order_by("deadline", "pk")
    )


def _stalled_cutoff(today: date) -> tuple[date, datetime]:
    cutoff = today - timedelta(days=rules.STALLED_AFTER_DAYS)
    return cutoff, timezone.make_aware(datetime.combine(cutoff, time.min))


def _with_last_note(qs: QuerySet[Case]) -> QuerySet[Case]:
    last = ProgressNote.objects.filter(case=OuterRef("pk")).order_by("-at").values("at")[:1]
    return qs.annotate(last_note_at=Subquery(last))


def stalled_cases(user: Any, today: date | None = None) -> QuerySet[Case]:
    """Open cases with no progress note for more than 30 days (rules.is_stalled), counted from the opening date
    when there has been none."""
    today = today or timezone.localdate()
    cutoff, cutoff_at = _stalled_cutoff(today)
    return (
        _with_last_note(open_cases_visible_to(user))
        .filter(Q(last_note_at__lt=cutoff_at) | Q(last_note_at__isnull=True, opened_on__lt=cutoff))
        .order_by("opened_on", "pk")
    )


def current_categories(user: Any) -> QuerySet[CategoryAssignment]:
    """Each visible organization's current category (its latest assignment row)."""
    latest = (
        CategoryAssignment.objects.filter(organization=OuterRef("organization"))
        .order_by("-year", "-created_at", "-pk")
        .values("pk")[:1]
    )
    return (
        CategoryAssignment.objects.filter(path_q(scope_paths(user), "organization__path"))
        .filter(pk=Subquery(latest))
        .select_related("organization")
        .order_by("organization__path")
    )


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


def board_rows(user: Any, today: date | None = None, *, township_path: str | None = None) -> list[BoardRow]:
    """The district (or township) board: every open case in scope, overdue measures first, then the longest open.

    One query whatever the number of cases: counts and sums are correlated subqueries.
    """
    today = today or timezone.localdate()
    measures = Measure.objects.filter(problem__case=OuterRef("pk"))
    effective = CaseWhen(
        When(status=MeasureStatus.DONE, then=Value(rules.PERCENT_DONE)),
        When(status=MeasureStatus.PLANNED, then=Value(0)),
        default=F("percent"),
        output_field=IntegerField(),
    )

    def total(qs: QuerySet[Any], expression: Any, output: Any) -> Coalesce:
        summed = qs.order_by().values("problem__case").annotate(t=Sum(expression, output_field=output)).values("t")
        return Coalesce(Subquery(summed, output_field=output), Value(0, output_field=output))

    qs = open_cases_visible_to(user)
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


def case_progress(case: Case) -> int:
    """The case's progress rolled up from its measures (rules.case_progress)."""
    return rules.case_progress(Measure.objects.filter(problem__case=case).values_list("status", "percent"))


def development_check(case: Case) -> list[rules.TargetCount]:
    counts: dict[str, int] = {}
    for kind in case.targets.values_list("kind", flat=True):
        counts[kind] = counts.get(kind, 0) + 1
    return rules.development_check(counts)


@dataclass(frozen=True)
class OrgManagement:
    """The records of one organization's differentiated management, for its page."""

    history: list[CategoryAssignment]
    liaisons: list[Any]
    pairings: list[Any]
    helpers: list[Any]
    showcases: list[Any]
    cases: list[Case]
    # Accounts holding the liaison leader role here with no liaison record (granted under 角色管理): the same duty.
    liaison_accounts: list[Any] = field(default_factory=list)


def account_name(user: Any) -> str:
    """A person's name as Chinese writes it (姓名, no space), or the account name when none is recorded."""
    return f"{user.last_name}{user.first_name}".strip() or user.get_username()


def liaison_accounts(org: Any) -> list[Any]:
    """Holders of the liaison leader role at ``org`` without a current liaison record: the role and the record are
    one duty, so the page lists them as liaisons too (one query)."""
    from django.contrib.auth import get_user_model

    from organizations.models import RoleAssignment
    from organizations.roles import Role
    from rectification.models import Liaison

    recorded = Liaison.objects.filter(organization=org, until__isnull=True, user__isnull=False).values("user_id")
    holders = RoleAssignment.objects.filter(organization=org, role=Role.LIAISON_LEADER, revoked_at__isnull=True).values(
        "user_id"
    )
    return list(
        get_user_model().objects.filter(pk__in=holders, is_active=True).exclude(pk__in=recorded).order_by("username")
    )


def liaison_names(org: Any) -> list[str]:
    """Everyone who currently follows ``org`` as its liaison: the records and the role's holders, by name."""
    from rectification.models import Liaison

    names = [x.person_name for x in Liaison.objects.filter(organization=org, until__isnull=True).order_by("since")]
    names += [account_name(u) for u in liaison_accounts(org)]
    return list(dict.fromkeys(names))


def org_management(user: Any, org: Any) -> OrgManagement:
    """Category history, liaisons, pairings, helpers, showcases and cases of ``org``; empty for a user who may not
    see it (callers get ``org`` through organizations.selectors.organization_get, which already answers 404)."""
    from organizations.scope import can
    from rectification.models import Helper, Liaison, Pairing, Showcase

    if not can(user, Perm.VIEW_RECORDS, org):
        return OrgManagement([], [], [], [], [], [])
    return OrgManagement(
        history=list(CategoryAssignment.objects.filter(organization=org).select_related("set_by")[:20]),
        liaisons=list(Liaison.objects.filter(organization=org).order_by("until", "-since")),
        pairings=list(
            Pairing.objects.filter(lagging=org).select_related("red_flag")
            | Pairing.objects.filter(red_flag=org).select_related("lagging")
        ),
        helpers=list(Helper.objects.filter(organization=org)),
        showcases=list(Showcase.objects.filter(organization=org)),
        cases=list(org.rectification_cases.order_by("-opened_on", "-pk")),
        liaison_accounts=liaison_accounts(org),
    )
