"""Reads of cases: the cases a user sees, overdue measures and stalled cases, one case's page (progress, ledger rows,
development targets, year-end report, timeline).

The functions that take a case take it from ``rectification.access`` (``case_for``), which has checked the user's
scope; they take the user too, as every selector does.

"Overdue" and "stalled" are derived here from dates and ``today`` (Asia/Shanghai), with the thresholds of
``rectification.rules.ledger``, so boards, reminders and exports agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.urls import reverse
from django.utils import timezone

from core.audit import events_for
from core.names import display_name
from grading.models import AssessmentStatus
from grading.rules.grades import Category
from organizations.roles import Perm
from organizations.scope import can, path_q, scope_paths
from rectification.access import allowed_moves, may_report
from rectification.events import case_panels_for, tracker_progress
from rectification.events import development_people as development_records
from rectification.models import (
    Case,
    Measure,
    Problem,
    ProgressNote,
    RegradeStatus,
    YearEndReport,
)
from rectification.rules import ledger as ledger_rules
from rectification.rules.cases import PHASE_MOVES, Phase
from rectification.rules.ledger import MeasureStatus
from rectification.selectors.management import liaison_names
from rectification.services import yearend as yearend_services
from rectification.services.regrade import latest_assessment


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


def case_progress(user: Any, case: Case) -> int:
    """The case's progress rolled up from its measures (ledger_rules.case_progress)."""
    return ledger_rules.case_progress(Measure.objects.filter(problem__case=case).values_list("status", "percent"))


def development_people(user: Any, case: Case) -> tuple[list[ledger_rules.DevelopmentPerson], bool]:
    """The people counted toward the case's 3/2/1 targets, and whether they come from the development pipeline: its
    records of the case's organization in the case's year when there are any, else the targets entered in the case's
    ledger."""
    from_pipeline = development_records(case.organization, case.year)
    if from_pipeline is not None:
        return from_pipeline, True
    rows = case.targets.values_list("kind", "birth_date", "education", "since")
    return [ledger_rules.DevelopmentPerson(*row) for row in rows], False


def development_check(user: Any, case: Case) -> list[ledger_rules.TargetCount]:
    people, _ = development_people(user, case)
    return ledger_rules.development_check(ledger_rules.development_counts(people))


@dataclass(frozen=True)
class LedgerRow:
    problem: Problem
    measure: Measure | None
    overdue: bool


def ledger_rows(user: Any, case: Case, today: date | None = None) -> list[LedgerRow]:
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


def yearend_report_of(user: Any, case: Case, year: int | None = None) -> YearEndReport | None:
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


def timeline(user: Any, case: Case) -> list[TimelineItem]:
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


def case_page(user: Any, case: Case, today: date) -> dict[str, Any]:
    """What the case page shows besides its buttons: the ledger with its totals, the people, acceptances, visits,
    the timeline, the phase moves this user may make and the year-end report's status."""
    org = case.organization
    rows = ledger_rows(user, case, today)
    measures = [r.measure for r in rows if r.measure is not None]
    moves = [(t, PHASE_MOVES[(Phase(case.phase), t)].label) for t in allowed_moves(user, case)]
    people, from_pipeline = development_people(user, case)
    return {
        "case": case,
        "org": org,
        "rows": rows,
        "progress": case_progress(user, case),
        "overdue": sum(r.overdue for r in rows),
        "budget": sum((m.budget or 0) for m in measures),
        "spent": sum(m.spent for m in measures),
        "days_open": ((case.closed_on or today) - case.opened_on).days,
        "projects": case.projects.all(),
        "targets": case.targets.all(),
        "development": ledger_rules.development_check(ledger_rules.development_counts(people)),
        "development_from_pipeline": from_pipeline,
        "work_group": case.work_group.all(),
        # 挂点领导: the header's name and whoever follows the organization now (records and role holders)
        "liaison_leaders": list(dict.fromkeys(n for n in [case.liaison_leader, *liaison_names(user, org)] if n)),
        "acceptances": case.acceptances.select_related("decided_by").prefetch_related("issues"),
        "visits": case.supervision_visits.select_related("by"),
        "timeline": timeline(user, case),
        "moves": moves,
        "phases": list(Phase),
        "regrade_request": case.regrade_request,
        "regrade_page": regrade_link(user, case),
        "yearend": yearend_services.status_of(case, today),
        "case_panels": case_panels_for(user, case),
        # measures tied to records another app keeps (rectification.panels): their progress in words
        "tracked": tracker_progress(org, today.year, sorted({m.tracks for m in measures if m.tracks})),
    }


def regrade_link(user: Any, case: Case) -> str:
    """Grading's page for the re-grade: the district's queue for a filed request; for a request still pending because
    the accepting officer could not file it, the township's own request form once the grade is final."""
    req = case.regrade_request
    if req is not None:
        if not can(user, Perm.REVIEW_GRADES, case.organization):
            return ""
        return reverse("grading:district_regrade", kwargs={"campaign_pk": req.assessment.campaign_id})
    if case.regrade_status != RegradeStatus.PENDING or not can(user, Perm.REQUEST_REGRADE, case.organization):
        return ""
    latest = latest_assessment(case.organization)
    if latest is None or latest.as_of(timezone.localdate()).status != AssessmentStatus.FINAL:
        return ""
    return reverse("grading:regrade_request", args=[latest.pk])


def recent_notes(user: Any, case: Case, limit: int = 5) -> list[ProgressNote]:
    return list(case.notes.select_related("author")[:limit])


def my_cases(user: Any, *, show: str = "", today: date | None = None) -> list[Case]:
    """The cases a secretary or liaison follows (with ``show``, those of that to-do line only), each with
    ``may_report``: the report button only where this user may report (a reader sees the case, not the button)."""
    cases = list(cases_visible_to(user).order_by("phase", "-opened_on").select_related("organization"))
    if show:
        wanted = {c.pk for c in waiting_cases(user, show, today or timezone.localdate())}
        cases = [c for c in cases if c.pk in wanted]
    for case in cases:
        case.may_report = may_report(user, case)  # type: ignore[attr-defined]
    return cases


# The lists the to-do panel links to (``rectification.todo`` counts them; the boards and the 整顿 page filter their rows
# to them with ``?show=<key>``), so that the number on the home is the number of rows on the page it opens.
WAITING_LABELS: dict[str, str] = {
    "overdue": "整改措施逾期的整顿",
    "stalled": f"超过{ledger_rules.STALLED_AFTER_DAYS}天未报告进展的整顿",
    "report": "年底整顿不力书面报告未报送",
    "open": "正在整顿、需报告整改进展",
}


def _overdue_measure_exists(today: date) -> Exists:
    """For a query of cases: the case has a measure past its deadline and not done."""
    return Exists(Measure.objects.filter(_overdue_q(today), problem__case=OuterRef("pk")))


def waiting_cases(user: Any, show: str, today: date) -> list[Case]:
    """The cases behind one to-do line (``WAITING_LABELS``), inside the user's scope."""
    if show == "overdue":
        return list(open_cases_visible_to(user).filter(_overdue_measure_exists(today)))
    if show == "stalled":
        return list(stalled_cases(user, today))
    if show == "open":
        return list(open_cases_visible_to(user))
    if show == "report":  # open at a year-end cut-off, accepted since or not: the report is still owed
        weak = list(cases_visible_to(user).filter(category=Category.WEAK))
        owed = yearend_services.statuses(weak, today)
        return [c for c in weak if owed[c.pk].missing]
    raise ValueError(f"unknown list {show!r}")
