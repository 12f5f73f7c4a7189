"""Reads for a township's board and a project's page, always within the user's scope (a project itself is reached
through ``elections.access``), the public notice and the organization page's panel."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from elections.models import (
    Candidate,
    CandidateNotice,
    DateChange,
    ElectionProject,
    ListStage,
    Sanction,
    SanctionKind,
    Step,
)
from organizations.models import Organization
from organizations.roles import Perm
from organizations.scope import can, path_q, scope_paths

ORG = "organization__path"


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


def steps_of(user: Any, project: ElectionProject, numbers: Iterable[int] | None = None) -> QuerySet[Step]:
    """A project's steps (the user came in through ``access.project_for``), with their documents; only the
    ``numbers`` given, if any."""
    steps = project.steps.select_related("template", "done_by").prefetch_related("documents")
    return steps if numbers is None else steps.filter(template__number__in=list(numbers))


def public_notice(user: Any, pk: int, today: date) -> tuple[CandidateNotice, list[Candidate]]:
    """An open notice and its list, for anyone (``user`` may be anonymous); not started, ended or missing are the
    same 404."""
    notice = CandidateNotice.objects.select_related("project__organization").filter(pk=pk).first()
    if notice is None or not notice.is_open(today):
        raise Http404
    candidates = list(
        notice.project.candidates.filter(stage=ListStage.FINAL)
        .exclude(status__in=["refused", "withdrawn", "disqualified"])
        .select_related("member")
        .prefetch_related("pledges")
    )
    return notice, candidates


def election_panel(user: Any, organization: Organization) -> dict[str, Any] | None:
    """The organization page's election panel: its projects (latest first) with their phase; None when it has none.

    Two queries: scope comes from the user's cached grants, the new term rides along, the annulments (第五篇 六.2
    宣布当选无效) are prefetched."""
    if not can(user, Perm.VIEW_RECORDS, organization):
        return None
    annulments = Prefetch("sanctions", queryset=Sanction.objects.filter(kind=SanctionKind.ANNUL), to_attr="annulled")
    projects = list(
        ElectionProject.objects.filter(organization=organization)
        .select_related("new_term")
        .prefetch_related(annulments)
        .order_by("-year")[:3]
    )
    if not projects:
        return None
    return {"organization": organization, "projects": projects}


def date_change_of(user: Any, project: ElectionProject) -> DateChange | None:
    """A13: the project's postponement (advancement) request and its approval, if the date needed one."""
    return DateChange.objects.filter(project=project).select_related("requested_by", "decided_by").first()
