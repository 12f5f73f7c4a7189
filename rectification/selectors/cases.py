"""Reads of cases: the cases a user sees, overdue measures and stalled cases, one case's progress, ledger rows,
development targets, year-end report and timeline.

"Overdue" and "stalled" are derived here from dates and ``today`` (Asia/Shanghai), with the thresholds of
``rectification.rules.ledger``, so boards, reminders and exports agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from organizations.roles import Perm
from organizations.scope import path_q, scope_paths
from partybuild.audit import events_for
from partybuild.names import display_name
from rectification.models import (
    Case,
    Measure,
    Problem,
    ProgressNote,
    YearEndReport,
)
from rectification.rules import ledger as ledger_rules
from rectification.rules.cases import Phase
from rectification.rules.ledger import MeasureStatus


def cases_visible_to(user: Any) -> QuerySet[Case]:
    return Case.objects.filter(path_q(scope_paths(user, Perm.VIEW_RECORDS), "organization__path")).select_related(
        "organization"
    )


def open_cases_visible_to(user: Any) -> QuerySet[Case]:
    return cases_visible_to(user).exclude(phase=Phase.ACCEPTED)


def _overdue_q(today: date, prefix: str = "") -> Q:
    # ledger_rules.is_overdue: today > deadline and not done (deadlines are calendar dates).
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
    cutoff = today - timedelta(days=ledger_rules.STALLED_AFTER_DAYS)
    return cutoff, timezone.make_aware(datetime.combine(cutoff, time.min))


def _with_last_note(qs: QuerySet[Case]) -> QuerySet[Case]:
    last = ProgressNote.objects.filter(case=OuterRef("pk")).order_by("-at").values("at")[:1]
    return qs.annotate(last_note_at=Subquery(last))


def stalled_cases(user: Any, today: date | None = None) -> QuerySet[Case]:
    """Open cases with no progress note for more than 30 days (ledger_rules.is_stalled), counted from the opening date
    when there has been none."""
    today = today or timezone.localdate()
    cutoff, cutoff_at = _stalled_cutoff(today)
    return (
        _with_last_note(open_cases_visible_to(user))
        .filter(Q(last_note_at__lt=cutoff_at) | Q(last_note_at__isnull=True, opened_on__lt=cutoff))
        .order_by("opened_on", "pk")
    )


def case_progress(case: Case) -> int:
    """The case's progress rolled up from its measures (ledger_rules.case_progress)."""
    return ledger_rules.case_progress(Measure.objects.filter(problem__case=case).values_list("status", "percent"))


def development_check(case: Case) -> list[ledger_rules.TargetCount]:
    counts: dict[str, int] = {}
    for kind in case.targets.values_list("kind", flat=True):
        counts[kind] = counts.get(kind, 0) + 1
    return ledger_rules.development_check(counts)


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
            rows.append(LedgerRow(problem, m, ledger_rules.is_overdue(m.deadline, m.status, today)))
    return rows


def yearend_report_of(case: Case, year: int | None = None) -> YearEndReport | None:
    """The case's year-end report (the caller has fetched the case through the user's scope)."""
    reports = YearEndReport.objects.filter(case=case)
    if year is not None:
        reports = reports.filter(year=year)
    return reports.order_by("-year").first()


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
