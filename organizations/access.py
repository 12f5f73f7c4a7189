"""The one way in to the tree's objects: ``<thing>_for(user, pk, *, perm)`` returns the object or raises.

Out of the user's scope (or missing) is ``Http404``, exactly like a missing object; visible but without ``perm`` there
is ``PermissionDenied`` (403). Every view and every selector that starts from an id comes through here; the rules
themselves are ``organizations.scope``'s (grants read once per request, a grant covers its subtree).

Also here: which actions the user may take on a page (so that the page shows only live buttons), and the one answer
to "is this user district staff?".
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from organizations.models import Member, Organization, Position, RoleAssignment
from organizations.roles import GRANTABLE_ROLES, Perm, Role
from organizations.scope import can, get_visible_or_404, grants_for, holds_at_root, require


def organization_for(user: Any, pk: Any, *, perm: Perm = Perm.VIEW_RECORDS, queryset: Any = None) -> Organization:
    """The organization ``pk`` (from ``queryset`` when given, e.g. annotated with counts)."""
    qs = Organization.objects.all() if queryset is None else queryset
    org = get_visible_or_404(qs, user, path_field="path", pk=pk)
    require(user, perm, org)
    return org


def district_for(user: Any) -> Organization:
    """The district (the tree's root), for those who see it; anyone else gets the 404 of an object out of scope."""
    # The root is found among the user's grants (read once per request), not by a query of its own: someone with no
    # grant at the root gets the 404 that reading it out of scope would give.
    at_root = sorted((g.path, g.org_id) for g in grants_for(user) if len(g.path) == Organization.steplen)
    if not at_root:
        raise Http404("尚未建立组织")
    return organization_for(user, at_root[0][1])


def member_for(user: Any, pk: Any, *, perm: Perm = Perm.VIEW_RECORDS) -> Member:
    member = get_visible_or_404(
        Member.objects.select_related("organization", "user"), user, path_field="organization__path", pk=pk
    )
    require(user, perm, member.organization)
    return member


def position_for(user: Any, pk: Any, *, perm: Perm = Perm.EDIT_ROSTER) -> Position:
    position = get_visible_or_404(
        Position.objects.select_related("organization", "member"), user, path_field="organization__path", pk=pk
    )
    require(user, perm, position.organization)
    return position


def role_assignment_for(user: Any, pk: Any, *, perm: Perm = Perm.GRANT_ROLES) -> RoleAssignment:
    """An active (not revoked) role assignment; a revoked one answers 404 like a missing one."""
    assignment = get_visible_or_404(
        RoleAssignment.objects.select_related("organization", "user"),
        user,
        path_field="organization__path",
        pk=pk,
        revoked_at__isnull=True,
    )
    require(user, perm, assignment.organization)
    return assignment


# --- What the user may do here ---------------------------------------------------------------------------------


def actions_for(user: Any, org: Organization) -> dict[str, bool]:
    """Which actions a page about ``org`` offers, by permission name in lower case (``edit_roster``, ``restructure``,
    …): no dead buttons, only what the user may do."""
    return {p.name.lower(): can(user, p, org) for p in Perm}


def may_see_personal_data(user: Any, org: Organization) -> bool:
    return can(user, Perm.VIEW_PERSONAL_DATA, org)


def may_grant(actor: Any, role: Role, organization: Organization) -> bool:
    """Whether ``actor`` may grant (or revoke) ``role`` at ``organization``: GRANT_ROLES there and a role held at or
    above it that hands out ``role`` (``GRANTABLE_ROLES``)."""
    if actor is None:
        return True  # system setup (load_demo, createsuperuser flows)
    if getattr(actor, "is_superuser", False):
        return True
    if not can(actor, Perm.GRANT_ROLES, organization):
        return False
    held = {
        Role(a.role)
        for a in RoleAssignment.objects.filter(user=actor, revoked_at__isnull=True).select_related("organization")
        if organization.path.startswith(a.organization.path)
    }
    return any(role in GRANTABLE_ROLES.get(h, frozenset()) for h in held)


def grantable_roles(user: Any, org: Organization) -> list[Role]:
    """The roles the user may grant at ``org``; none is 403 (the roles page is for those who may grant)."""
    roles = [role for role in Role if may_grant(user, role, org)]
    if not roles:
        raise PermissionDenied("您不能在此授予角色")
    return roles


def is_district_staff(user: Any) -> bool:
    """District staff (区委组织部): a district_staff role held at the district root, or a superuser. Read from the
    grants cached for the request (no query after the first): REVIEW_GRADES granted at the root is held by
    district staff only (``ROLE_PERMISSIONS``)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return holds_at_root(user, Perm.REVIEW_GRADES)


def is_viewer_only(user: Any) -> bool:
    """Holds only the 查阅 role: reminders ask someone to act, and this role acts on nothing, so it receives none."""
    roles = set(RoleAssignment.objects.filter(user=user, revoked_at__isnull=True).values_list("role", flat=True))
    return roles == {Role.VIEWER.value}


def reorganization_for(user: Any, pk: Any, *, perm: Perm = Perm.VIEW_RECORDS) -> Any:
    """A reorganization request (组织设置调整), scoped through its organization."""
    from organizations.models.reorganization import Reorganization

    reorg = get_visible_or_404(
        Reorganization.objects.select_related("organization"), user, path_field="organization__path", pk=pk
    )
    require(user, perm, reorg.organization)
    return reorg


# --- A member's own account (党员账号, issue 17 deliver 6) ---------------------------------------------------------

_OWN_CACHE = "_partybuild_own_member"


def own_member(user: Any) -> Member | None:
    """The current member an account is linked to (``Member.user``), with the organization; None for anyone else.
    The account holds no grant, so every scoped page answers it 404; its home shows this member's own records (the
    apps' parts through ``organizations.panels.register_own_panel``). One query, cached on the user for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if hasattr(user, _OWN_CACHE):
        return getattr(user, _OWN_CACHE)
    member = Member.objects.select_related("organization").filter(user_id=user.pk, left_on__isnull=True).first()
    setattr(user, _OWN_CACHE, member)
    return member
