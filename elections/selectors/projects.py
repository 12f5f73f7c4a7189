"""Reads for the election pages, always through the user's scope: out of scope is the same 404 as missing."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from elections.models import BallotRound, Candidate, CandidateNotice, ElectionProject, ListStage, Step, StepDocument
from organizations.models import Organization
from organizations.roles import Perm
from organizations.scope import can, get_visible_or_404, path_q, scope_paths
from organizations.selectors import organization_get

ORG = "organization__path"


def project_get(user: Any, pk: int) -> ElectionProject:
    qs = ElectionProject.objects.select_related("organization", "township", "term", "new_term")
    return get_visible_or_404(qs, user, path_field=ORG, pk=pk)


def step_get(user: Any, pk: int) -> Step:
    qs = Step.objects.select_related("project__organization", "template")
    return get_visible_or_404(qs, user, path_field=f"project__{ORG}", pk=pk)


def document_get(user: Any, pk: int) -> StepDocument:
    qs = StepDocument.objects.select_related("step__project__organization")
    return get_visible_or_404(qs, user, path_field=f"step__project__{ORG}", pk=pk)


def candidate_get(user: Any, pk: int) -> Candidate:
    qs = Candidate.objects.select_related("project__organization", "member")
    return get_visible_or_404(qs, user, path_field=f"project__{ORG}", pk=pk)


def round_get(user: Any, pk: int) -> BallotRound:
    qs = BallotRound.objects.select_related("meeting__project__organization")
    return get_visible_or_404(qs, user, path_field=f"meeting__project__{ORG}", pk=pk)


def township_get(user: Any, pk: int) -> Organization:
    return organization_get(user, pk)


def board(user: Any, township: Organization, today: date) -> list[dict[str, Any]]:
    """Every project under the township the user may see, with its phase and overdue steps (two queries)."""
    projects = list(
        ElectionProject.objects.filter(path_q(scope_paths(user, Perm.VIEW_RECORDS), ORG))
        .filter(organization__path__startswith=township.path)
        .select_related("organization")
        .annotate(
            done=Count("steps", filter=Q(steps__done_on__isnull=False)),
            overdue=Count("steps", filter=Q(steps__done_on__isnull=True, steps__due_on__lt=today)),
        )
        .order_by("organization__path", "-year")
    )
    overdue: dict[int, list[Step]] = {}
    for step in Step.objects.filter(project__in=projects, done_on__isnull=True, due_on__lt=today).select_related(
        "template"
    ):
        overdue.setdefault(step.project_id, []).append(step)
    return [{"project": p, "overdue_steps": overdue.get(p.pk, [])} for p in projects]


def steps_of(project: ElectionProject) -> QuerySet[Step]:
    return project.steps.select_related("template", "done_by").prefetch_related("documents")


def public_notice(pk: int, today: date) -> tuple[CandidateNotice, list[Candidate]]:
    """An open notice and its list; not started, ended or missing are the same 404."""
    notice = CandidateNotice.objects.select_related("project__organization").filter(pk=pk).first()
    if notice is None or not notice.is_open(today):
        raise Http404
    candidates = list(
        notice.project.candidates.filter(stage=ListStage.FINAL)
        .exclude(status__in=["refused", "withdrawn"])
        .select_related("member")
        .prefetch_related("pledges")
    )
    return notice, candidates


def public_open_notices(today: date) -> QuerySet[CandidateNotice]:
    return CandidateNotice.objects.filter(starts_on__lte=today, ends_on__gte=today).select_related(
        "project__organization"
    )


def election_panel(user: Any, organization: Organization) -> dict[str, Any] | None:
    """The organization page's election panel: its projects (latest first) with their phase; None when it has none.

    One query: scope comes from the user's cached grants, the new term rides along (the page's budget)."""
    if not can(user, Perm.VIEW_RECORDS, organization):
        return None
    projects = list(
        ElectionProject.objects.filter(organization=organization).select_related("new_term").order_by("-year")[:3]
    )
    if not projects:
        return None
    return {"organization": organization, "projects": projects}
