"""Reads of incidents and sanctions (第五篇 六), always within the user's scope: the district's list (open or closed),
a project's incidents and sanctions, what the public notice says of disqualified candidates, the organization page's
annulments. An incident or a sanction by id comes through ``elections.access``."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from elections.models import (
    CandidateNotice,
    ElectionProject,
    Incident,
    IncidentState,
    Sanction,
    SanctionKind,
)
from organizations.roles import Perm
from organizations.scope import path_q, scope_paths

ORG = "project__organization__path"


def incident_list(user: Any, state: str = "") -> QuerySet[Incident]:
    """Every incident the user may see, newest first, open or closed when ``state`` says so (one query)."""
    rows = (
        Incident.objects.filter(path_q(scope_paths(user, Perm.VIEW_RECORDS), ORG))
        .select_related("project__organization", "project__township")
        .annotate(follow_up_count=Count("follow_ups"))
        .order_by("state", "-occurred_on", "-pk")
    )
    if state in IncidentState.values:
        rows = rows.filter(state=state)
    return rows


def incidents_of(user: Any, project: ElectionProject) -> list[Incident]:
    """A project's incidents (the user came in through ``access.project_for``), open first."""
    return list(project.incidents.annotate(follow_up_count=Count("follow_ups")).order_by("state", "-occurred_on"))


def follow_ups_of(user: Any, incident: Incident) -> list[Any]:
    return list(incident.follow_ups.select_related("recorded_by").order_by("done_on", "pk"))


def sanctions_of(user: Any, project: ElectionProject) -> list[Sanction]:
    """A project's 取消候选人资格 and 宣布当选无效, in the order decided."""
    return list(project.sanctions.select_related("incident").order_by("decided_on", "pk"))


def sanctions_of_incident(user: Any, incident: Incident) -> list[Sanction]:
    return list(incident.sanctions.order_by("decided_on", "pk"))


def public_disqualified(user: Any, notice: CandidateNotice) -> list[Sanction]:
    """What the public candidate notice says (``user`` may be anonymous): whose candidacy was withdrawn, by whom."""
    return list(Sanction.objects.filter(project=notice.project_id, kind=SanctionKind.DISQUALIFY).order_by("pk"))
