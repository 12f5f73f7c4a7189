"""The one way in to the elections app's objects, and what a user may do with them.

``<thing>_for(user, pk, *, perm)`` returns the object or raises the scope rules' answers: 404 when it is missing or
outside the user's scope (the same page either way), 403 when it is visible but ``perm`` is not held on its
organization. Every view and every selector that starts from an id comes through here; the services ask the same
questions of their actor (``may_act``, ``require_perm``, ``may_do_step``) so that a page never offers a control its
service would refuse.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from elections.models import (
    BallotRound,
    Candidate,
    ElectionProject,
    Incident,
    Meeting,
    OwnerLevel,
    Sanction,
    Step,
    StepDocument,
    StepTemplate,
    Voter,
)
from organizations.access import is_district_staff
from organizations.models import Member, Organization, OrgLevel
from organizations.roles import Perm
from organizations.scope import can, get_visible_or_404, require

ORG = "organization__path"
NOT_FOUND = "对象不存在或不在您的管辖范围内"

# Who marks a step done: its owner level's permission on the project's organization.
OWNER_PERMS: dict[str, Perm] = {
    OwnerLevel.VILLAGE: Perm.ELECTION_VILLAGE_STEPS,
    OwnerLevel.TOWNSHIP: Perm.ELECTION_MANAGE,
    OwnerLevel.COUNTY: Perm.ELECTION_COUNTY,
}


# --- The objects, by id -------------------------------------------------------------------------------------------


def project_for(user: Any, pk: Any, *, perm: Perm = Perm.VIEW_RECORDS) -> ElectionProject:
    qs = ElectionProject.objects.select_related("organization", "township", "term", "new_term")
    project = get_visible_or_404(qs, user, path_field=ORG, pk=pk)
    require(user, perm, project.organization)
    return project


def step_for(user: Any, pk: Any, *, perm: Perm = Perm.VIEW_RECORDS) -> Step:
    qs = Step.objects.select_related("project__organization", "template")
    step = get_visible_or_404(qs, user, path_field=f"project__{ORG}", pk=pk)
    require(user, perm, step.project.organization)
    return step


def document_for(user: Any, pk: Any, *, perm: Perm = Perm.VIEW_RECORDS) -> StepDocument:
    qs = StepDocument.objects.select_related("step__project__organization")
    document = get_visible_or_404(qs, user, path_field=f"step__project__{ORG}", pk=pk)
    require(user, perm, document.step.project.organization)
    return document


def candidate_for(user: Any, pk: Any, *, perm: Perm = Perm.VIEW_RECORDS) -> Candidate:
    qs = Candidate.objects.select_related("project__organization", "member")
    candidate = get_visible_or_404(qs, user, path_field=f"project__{ORG}", pk=pk)
    require(user, perm, candidate.project.organization)
    return candidate


def round_for(user: Any, pk: Any, *, perm: Perm = Perm.VIEW_RECORDS) -> BallotRound:
    qs = BallotRound.objects.select_related("meeting__project__organization")
    ballot_round = get_visible_or_404(qs, user, path_field=f"meeting__project__{ORG}", pk=pk)
    require(user, perm, ballot_round.meeting.project.organization)
    return ballot_round


def incident_for(user: Any, pk: Any, *, perm: Perm = Perm.VIEW_RECORDS) -> Incident:
    qs = Incident.objects.select_related("project__organization", "project__township", "recorded_by", "closed_by")
    incident = get_visible_or_404(qs, user, path_field=f"project__{ORG}", pk=pk)
    require(user, perm, incident.project.organization)
    return incident


def sanction_for(user: Any, pk: Any, *, perm: Perm = Perm.VIEW_RECORDS) -> Sanction:
    qs = Sanction.objects.select_related("project__organization")
    sanction = get_visible_or_404(qs, user, path_field=f"project__{ORG}", pk=pk)
    require(user, perm, sanction.project.organization)
    return sanction


def organization_for(user: Any, pk: Any, *, perm: Perm = Perm.VIEW_RECORDS, township: bool = False) -> Organization:
    """An organization of the tree (a township only, when ``township``: anything else is 404 like missing).

    Opening projects (``perm`` ELECTION_MANAGE) refuses with a sentence that says what was refused."""
    org = get_visible_or_404(Organization.objects.all(), user, path_field="path", pk=pk)
    if township and org.level != OrgLevel.TOWNSHIP:
        raise Http404(NOT_FOUND)
    if not can(user, perm, org):
        if perm == Perm.ELECTION_MANAGE:
            whose = "该乡镇的党组织" if township else "该党组织"
            raise PermissionDenied(f"您没有为{whose}启动换届选举的权限")
        raise PermissionDenied("您没有执行此操作的权限")
    return org


def step_template_for(user: Any, pk: Any) -> StepTemplate:
    """A step of a year's template: the district's (403 for anyone else), 404 when missing."""
    require_district(user)
    template = StepTemplate.objects.filter(pk=pk).first()
    if template is None:
        raise Http404("对象不存在")
    return template


def voter_for(user: Any, project: ElectionProject, pk: Any) -> Voter | None:
    """A voter of a project the user reached through ``project_for``; None when the id is no voter of it."""
    return project.voters.select_related("member").filter(pk=pk).first()


def member_for(user: Any, project: ElectionProject, pk: Any) -> Member | None:
    """A member of the project's organization (a candidate is one); None when the id is no member of it."""
    return project.organization.members.filter(pk=pk).first()


def round_of_meeting(user: Any, meeting: Meeting, pk: Any) -> BallotRound | None:
    """A round of a meeting the user reached through its project (the round a further ballot follows)."""
    return meeting.rounds.filter(pk=pk).first()


# --- What the user may do -----------------------------------------------------------------------------------------


def is_district(user: Any) -> bool:
    """District staff (区委组织部), asked the one way (``organizations.access.is_district_staff``): the county's
    election permission is held at the root by district staff only."""
    return is_district_staff(user)


def require_district(user: Any) -> None:
    if not is_district(user):
        raise PermissionDenied("只有区委组织部可以修改换届环节模板")


def may_act(user: Any, perm: Perm, project: ElectionProject) -> bool:
    return can(user, perm, project.organization)


def require_perm(user: Any, perm: Perm, project: ElectionProject) -> None:
    if not may_act(user, perm, project):
        raise PermissionDenied("您没有执行此操作的权限")


def may_do_step(user: Any, step: Step) -> bool:
    return may_act(user, OWNER_PERMS[step.template.owner], step.project)


def may_attach(user: Any, step: Step) -> bool:
    """Upload or generate a step's documents: the step's owner, or the township managing the project."""
    return may_do_step(user, step) or may_act(user, Perm.ELECTION_MANAGE, step.project)


def may_open_for(user: Any, organization: Organization) -> bool:
    return can(user, Perm.ELECTION_MANAGE, organization)


def may_view(user: Any, organization: Organization) -> bool:
    return can(user, Perm.VIEW_RECORDS, organization)


def actions_for(user: Any, project: ElectionProject) -> dict[str, bool]:
    """What a project's pages offer: the village's steps (登记, 推荐, 大会, 计票), the township's (审查, 批准, 批复)."""
    return {
        "may_steps": may_act(user, Perm.ELECTION_VILLAGE_STEPS, project),
        "may_manage": may_act(user, Perm.ELECTION_MANAGE, project),
    }
