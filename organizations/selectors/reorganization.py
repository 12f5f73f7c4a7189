"""Reads of the reorganization workflow (组织设置调整), each taking the user first and returning only what the user
may see: an organization's requests (its page's panel), a township's open requests, the replies waiting for the user
(the home's to-do count), and one request's page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from core.models import Event
from organizations.models import Organization
from organizations.models.reorganization import OPEN_STATES, Reorganization, ReorgState
from organizations.roles import Perm
from organizations.scope import can, path_q, scope_paths
from organizations.services.reorganization import Action, allowed_actions, members_of, needs_district


def reorganizations_of(user: Any, org: Organization) -> list[Reorganization]:
    """The requests about ``org`` (newest first), for its page."""
    if not can(user, Perm.VIEW_RECORDS, org):
        return []
    return list(org.reorganizations.order_by("-created_at", "-pk"))


def open_reorganizations(user: Any, under: Organization) -> QuerySet[Reorganization]:
    """The open requests of the organizations under ``under`` that the user may see, oldest step first."""
    return (
        Reorganization.objects.filter(path_q(scope_paths(user), "organization__path"))
        .filter(organization__path__startswith=under.path, state__in=OPEN_STATES)
        .select_related("organization")
        .order_by("organization__path", "created_at")
    )


def awaiting_reply(user: Any) -> QuerySet[Reorganization]:
    """Requests sent up (已请示) in the subtrees where the user answers them (``restructure``)."""
    return Reorganization.objects.filter(
        path_q(scope_paths(user, Perm.RESTRUCTURE), "organization__path"), state=ReorgState.REQUESTED
    )


@dataclass(frozen=True)
class ReorganizationPage:
    reorg: Reorganization
    comments: list[Any]
    units: list[Organization]
    actions: list[str]
    members_total: int
    full_members: int
    district_answers: bool
    events: list[Event]
    may_edit_plan: bool
    may_comment: bool


def reorganization_page(user: Any, reorg: Reorganization) -> ReorganizationPage:
    total, full = members_of(reorg.organization)
    actions = allowed_actions(user, reorg)
    editable = reorg.state in (ReorgState.DRAFT, ReorgState.CONSULTING)
    return ReorganizationPage(
        reorg=reorg,
        comments=list(reorg.comments.all()),
        units=list(reorg.created_units.order_by("path")),
        actions=actions,
        members_total=total,
        full_members=full,
        district_answers=needs_district(reorg),
        events=list(
            Event.objects.filter(target_type=reorg._meta.label_lower, target_id=str(reorg.pk)).order_by("at", "pk")
        ),
        may_edit_plan=editable and can(user, Perm.EDIT_ROSTER, reorg.organization),
        may_comment=reorg.state == ReorgState.CONSULTING and can(user, Perm.EDIT_ROSTER, reorg.organization),
    )


def may_start(user: Any, org: Organization, requests: list[Reorganization]) -> bool:
    """Whether the organization page offers 发起组织设置调整: no open request among ``requests`` (the page's list of
    ``reorganizations_of``, so no query of its own)."""
    return (
        can(user, Perm.EDIT_ROSTER, org)
        and org.dissolved_on is None
        and not any(r.state in OPEN_STATES for r in requests)
    )


def adds_units(user: Any, page: ReorganizationPage) -> bool:
    """Whether the page offers the form for one more sub-branch (实施中, and the user carries it out)."""
    return page.reorg.state == ReorgState.IMPLEMENTING and Action.FINISH in page.actions


def paper_ready(user: Any, reorg: Reorganization, paper: str) -> bool:
    """The 请示 exists once sent (a number and date), the 批复 once answered."""
    if not can(user, Perm.VIEW_RECORDS, reorg.organization):
        return False
    return bool(reorg.request_number) if paper == "request" else bool(reorg.reply_number)


def reorganization_todo(user: Any) -> Any:
    """The home's to-do count (``organizations.todo``): the 请示 waiting for this user's 批复, linked to the list of
    the subtree where the user answers them. Two queries at most, whatever the size of the district."""
    from django.urls import reverse

    from organizations.todo import TodoItem, TodoSection

    paths = scope_paths(user, Perm.RESTRUCTURE)
    if not paths:
        return None
    waiting = awaiting_reply(user).count()
    if not waiting:
        return None
    home = Organization.objects.filter(path=min(paths, key=len)).only("pk").first()
    if home is None:
        return None
    url = reverse("organizations:reorganizations", args=[home.pk])
    return TodoSection(area="组织设置", items=(TodoItem("待批复的组织设置调整请示", waiting, url),), order=15)
