"""Reads for the pages that open projects, list expiring terms, edit the step template, enter ballots and record
pledges. Always through the user's scope: out of scope is the same 404 as missing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from elections.models import Candidate, CandidateStatus, ElectionProject, ListStage, Phase, StepTemplate
from elections.step_templates import FIRST_YEAR, LAST_YEAR, require_district
from organizations.models import CommitteeTerm, Organization, OrgLevel
from organizations.roles import Perm
from organizations.rules import TERM_REMINDER_DAYS  # A13
from organizations.scope import can, path_q, scope_paths
from organizations.selectors import current_secretaries, organization_get, terms_expiring

DEFAULT_LEAD_DAYS = 60  # a new project's election day when the term has already ended: two months to run 32 steps


def running_projects(org_ids: list[int]) -> dict[int, ElectionProject]:
    """The running (not closed) project of each organization; the ids come from a scoped read."""
    rows = ElectionProject.objects.filter(organization_id__in=org_ids).exclude(status=Phase.CLOSED)
    return {p.organization_id: p for p in rows}


def terms_to_renew(user: Any, today: date) -> list[dict[str, Any]]:
    """A13: latest terms in scope ending within six months (or already ended), each with its running project and
    whether the user may open one (three queries whatever the number of rows)."""
    terms = list(terms_expiring(user, until=today + timedelta(days=TERM_REMINDER_DAYS)))
    ids = [t.organization_id for t in terms]
    projects = running_projects(ids)
    secretaries = current_secretaries(ids)
    return [
        {
            "term": t,
            "organization": t.organization,
            "days_left": (t.ends_on - today).days,
            "project": projects.get(t.organization_id),
            "secretary": secretaries.get(t.organization_id, ""),
            "may_open": t.organization_id not in projects and can(user, Perm.ELECTION_MANAGE, t.organization),
        }
        for t in terms
    ]


def organization_to_open(user: Any, pk: int) -> Organization:
    """The organization a project is opened for: visible (else 404), then ELECTION_MANAGE (else 403)."""
    org = organization_get(user, pk)
    if not can(user, Perm.ELECTION_MANAGE, org):
        raise PermissionDenied("您没有为该党组织启动换届选举的权限")
    return org


def open_defaults(org: Organization, today: date) -> dict[str, Any]:
    """The form's first values: seats as the previous term, the election day at the term's end (or in two months)."""
    term = CommitteeTerm.objects.filter(organization=org).order_by("-elected_on").first()
    election_date = today + timedelta(days=DEFAULT_LEAD_DAYS)
    if term is not None and term.ends_on > election_date:
        election_date = term.ends_on
    return {"term": term, "seats": term.seats if term else 3, "election_date": election_date}


def township_to_open(user: Any, pk: int) -> Organization:
    township = organization_get(user, pk)
    if township.level != OrgLevel.TOWNSHIP:
        raise Http404("对象不存在或不在您的管辖范围内")
    if not can(user, Perm.ELECTION_MANAGE, township):
        raise PermissionDenied("您没有为该乡镇的党组织启动换届选举的权限")
    return township


def batch_rows(user: Any, township: Organization, today: date) -> list[dict[str, Any]]:
    """The township's organizations one level down, active and in scope, with their latest term and any running
    project (three queries)."""
    orgs = list(
        Organization.objects.filter(path_q(scope_paths(user, Perm.ELECTION_MANAGE)))
        .filter(path__startswith=township.path, depth=township.depth + 1, dissolved_on__isnull=True)
        .order_by("path")
    )
    ids = [o.pk for o in orgs]
    latest: dict[int, CommitteeTerm] = {}
    for term in CommitteeTerm.objects.filter(organization_id__in=ids).order_by("organization_id", "-elected_on"):
        latest.setdefault(term.organization_id, term)
    projects = running_projects(ids)
    soon = today + timedelta(days=TERM_REMINDER_DAYS)
    return [
        {
            "organization": o,
            "term": latest.get(o.pk),
            "project": projects.get(o.pk),
            "expiring": o.pk in latest and latest[o.pk].ends_on <= soon,
        }
        for o in orgs
    ]


def step_templates_of(user: Any, year: int) -> list[StepTemplate]:
    """A year's 32 steps for the district (403 for anyone else); an impossible year is 404."""
    require_district(user)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404("年度不正确")
    return list(StepTemplate.objects.filter(year=year).order_by("number"))


def step_template_get(user: Any, pk: int) -> StepTemplate:
    require_district(user)
    template = StepTemplate.objects.filter(pk=pk).first()
    if template is None:
        raise Http404("对象不存在")
    return template


def pledge_rows(project: ElectionProject) -> list[Candidate]:
    """The candidates who sign pledges (step 19, step 25): the final list, with their pledges (two queries)."""
    return list(
        project.candidates.filter(stage=ListStage.FINAL)
        .exclude(status__in=[CandidateStatus.REFUSED, CandidateStatus.WITHDRAWN])
        .select_related("member")
        .prefetch_related("pledges")
        .order_by("member__name")
    )


# --- The elections board of the district (or of one township) -----------------------------------------------------

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
    terms = list(terms_expiring(user, until=today + timedelta(days=TERM_REMINDER_DAYS)))
    running = running_projects([t.organization_id for t in terms])
    by_path = {t.path: t for t in townships}
    expiring: dict[int, int] = {}
    for term in terms:
        town = by_path.get(term.organization.path[: 2 * Organization.steplen])
        if town is not None and term.organization_id not in running:
            expiring[town.pk] = expiring.get(town.pk, 0) + 1
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
    widest = max([r.total for r in rows] or [0]) or 1
    for row in rows:
        x = 0.0
        for (_phase, label, n), colour in zip(row.phases, PHASE_COLOURS, strict=True):
            if n:
                width = round(100 * n / widest, 2)
                row.bars.append((x, width, colour, label, n))
                x = round(x + width, 2)
    return rows, total
