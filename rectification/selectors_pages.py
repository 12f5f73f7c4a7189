"""Reads of the rectification pages: one object in the user's scope (out of scope → 404, the same as missing), the
case's timeline, the chart of cases per phase and the ledger rows the documents share.

Every getter goes through ``organizations.scope.get_visible_or_404`` on the path of the object's organization.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from organizations.models import Organization
from organizations.roles import Perm
from organizations.scope import get_visible_or_404, grants_for, path_q, scope_paths
from partybuild.audit import events_for
from partybuild.names import display_name
from rectification import rules
from rectification.models import (
    Acceptance,
    Case,
    DevelopmentTarget,
    Evidence,
    Liaison,
    Measure,
    Problem,
    Project,
    WorkGroupMember,
    YearEndReport,
)
from rectification.rules import Phase
from rectification.selectors import cases_visible_to

CASE_PATH = "case__organization__path"


def problem_get(user: Any, pk: Any) -> Problem:
    return get_visible_or_404(Problem.objects.select_related("case__organization"), user, path_field=CASE_PATH, pk=pk)


def measure_get(user: Any, pk: Any) -> Measure:
    return get_visible_or_404(
        Measure.objects.select_related("problem__case__organization"),
        user,
        path_field="problem__case__organization__path",
        pk=pk,
    )


def project_get(user: Any, pk: Any) -> Project:
    return get_visible_or_404(Project.objects.select_related("case__organization"), user, path_field=CASE_PATH, pk=pk)


def target_get(user: Any, pk: Any) -> DevelopmentTarget:
    return get_visible_or_404(
        DevelopmentTarget.objects.select_related("case__organization"), user, path_field=CASE_PATH, pk=pk
    )


def workgroup_member_get(user: Any, pk: Any) -> WorkGroupMember:
    return get_visible_or_404(
        WorkGroupMember.objects.select_related("case__organization"), user, path_field=CASE_PATH, pk=pk
    )


def evidence_get(user: Any, pk: Any) -> Evidence:
    return get_visible_or_404(Evidence.objects.select_related("case__organization"), user, path_field=CASE_PATH, pk=pk)


def yearend_report_of(case: Case, year: int | None = None) -> YearEndReport | None:
    """The case's year-end report (the caller has fetched the case through the user's scope)."""
    reports = YearEndReport.objects.filter(case=case)
    if year is not None:
        reports = reports.filter(year=year)
    return reports.order_by("-year").first()


# Enough for a township's cadres; the datalist is a convenience, the typed account is checked in full anyway.
LIAISON_CANDIDATES_MAX = 300


def liaison_candidates(user: Any) -> QuerySet[Any]:
    """Active accounts holding a role inside the subtrees where ``user`` manages cases (never beyond them)."""
    from django.contrib.auth import get_user_model

    from organizations.models import RoleAssignment

    holders = RoleAssignment.objects.filter(
        path_q(scope_paths(user, Perm.MANAGE_CASES), "organization__path"), revoked_at__isnull=True
    ).values("user_id")
    return get_user_model().objects.filter(is_active=True, pk__in=holders).order_by("username")[:LIAISON_CANDIDATES_MAX]


def acceptance_get(user: Any, pk: Any) -> Acceptance:
    return get_visible_or_404(
        Acceptance.objects.select_related("case__organization", "decided_by").prefetch_related("issues"),
        user,
        path_field=CASE_PATH,
        pk=pk,
    )


def liaison_get(user: Any, pk: Any) -> Liaison:
    return get_visible_or_404(
        Liaison.objects.select_related("organization"), user, path_field="organization__path", pk=pk
    )


def township_get(user: Any, pk: Any) -> Organization:
    """A township-level committee in scope (anything else, or out of scope: 404)."""
    org = get_visible_or_404(Organization.objects.all(), user, path_field="path", pk=pk)
    if org.depth != 2:
        raise Http404("对象不存在或不在您的管辖范围内")
    return org


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


# --- The case's timeline -----------------------------------------------------------------------------------------

# Events that a richer row of the timeline shows already (the note's text, the file's download link).
SHOWN_AS_ROWS = frozenset({"rectification.progress_note", "rectification.evidence_upload"})


@dataclass
class TimelineItem:
    at: datetime
    kind: str  # "event", "note", "evidence"
    who: str
    summary: str
    obj: Any = None
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)


def timeline(case: Case) -> list[TimelineItem]:
    """Everything that happened to the case, newest first: its events (opening, ledger edits, phase moves,
    acceptances, supervision, exports), its progress notes and its evidence files. Three queries."""
    items: list[TimelineItem] = []
    for event in events_for(case).exclude(verb__in=SHOWN_AS_ROWS).select_related("actor"):
        items.append(
            TimelineItem(event.at, "event", _who(event.actor, event.actor_name), event.summary, event, event.changes)
        )
    for note in case.notes.select_related("author", "measure"):
        items.append(TimelineItem(note.at, "note", _who(note.author, ""), note.text, note))
    for ev in case.evidence.select_related("uploaded_by", "measure"):
        items.append(TimelineItem(ev.at, "evidence", _who(ev.uploaded_by, ""), ev.original_name, ev))
    items.sort(key=lambda i: i.at, reverse=True)
    return items


def _who(user: Any, fallback: str) -> str:
    if user is None:
        return fallback or "系统"
    return display_name(user)


# --- The chart of cases per phase -------------------------------------------------------------------------------


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


# --- Ledger rows (pages and documents) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    problem: Problem
    measure: Measure | None
    overdue: bool


def ledger_rows(case: Case, today: date | None = None) -> list[LedgerRow]:
    """One row per measure (a problem without measures gets one empty row), in problem order. Two queries."""
    today = today or timezone.localdate()
    rows: list[LedgerRow] = []
    for problem in case.problems.prefetch_related("measures"):
        measures = list(problem.measures.all())
        if not measures:
            rows.append(LedgerRow(problem, None, False))
        for m in measures:
            rows.append(LedgerRow(problem, m, rules.is_overdue(m.deadline, m.status, today)))
    return rows


def district_measures(user: Any) -> QuerySet[Measure]:
    """Every measure of the open cases in scope, by township and organization (for the district ledger)."""
    return (
        Measure.objects.filter(problem__case__in=cases_visible_to(user).exclude(phase=Phase.ACCEPTED))
        .select_related("problem__case__organization")
        .order_by("problem__case__organization__path", "problem_id", "deadline", "pk")
    )


def township_names() -> dict[str, str]:
    return dict(Organization.objects.filter(depth=2).values_list("path", "name"))
