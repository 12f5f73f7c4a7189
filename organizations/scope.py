"""The one place that answers "what may this user see and do, where".

A user's grants are read once per request from guardian's object-permission rows (one query, joined to the
tree) and cached on the user object. A grant at an organization covers the subtree under it: a path-prefix
match, never siblings or ancestors.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from organizations.models import Organization, OrganizationUserObjectPermission, RoleAssignment
from organizations.roles import Perm, Role

_CACHE_ATTR = "_partybuild_grants"


@dataclass(frozen=True)
class Grant:
    org_id: int
    path: str
    perms: frozenset[str]


def grants_for(user: Any) -> tuple[Grant, ...]:
    """Every organization where the user holds object permissions, with those permissions."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    by_org: dict[int, tuple[str, set[str]]] = {}
    rows = OrganizationUserObjectPermission.objects.filter(user_id=user.pk).values_list(
        "content_object_id", "content_object__path", "permission__codename"
    )
    for org_id, path, codename in rows:
        by_org.setdefault(org_id, (path, set()))[1].add(codename)
    if user.is_superuser:
        root = Organization.objects.get_first_root_node()
        if root is not None:
            by_org[root.pk] = (root.path, {p.value for p in Perm})
    grants = tuple(Grant(org_id, path, frozenset(perms)) for org_id, (path, perms) in sorted(by_org.items()))
    setattr(user, _CACHE_ATTR, grants)
    return grants


def forget_grants(user: Any) -> None:
    """Drop the per-request cache after a grant changes."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def scope_paths(user: Any, perm: Perm = Perm.VIEW_RECORDS) -> list[str]:
    """Minimal list of subtree roots where ``perm`` holds (nested grants are folded into their ancestor)."""
    paths = sorted(g.path for g in grants_for(user) if perm in g.perms)
    roots: list[str] = []
    for path in paths:
        if not any(path.startswith(r) for r in roots):
            roots.append(path)
    return roots


def path_q(paths: list[str], field: str = "path") -> Q:
    """A Q matching rows whose ``field`` lies in one of the subtrees; matches nothing when ``paths`` is empty."""
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in paths))


def can(user: Any, perm: Perm, org: Organization) -> bool:
    return any(perm in g.perms and org.path.startswith(g.path) for g in grants_for(user))


def can_path(user: Any, perm: Perm, path: str) -> bool:
    return any(perm in g.perms and path.startswith(g.path) for g in grants_for(user))


def visible_organizations(user: Any, perm: Perm = Perm.VIEW_RECORDS) -> QuerySet[Organization]:
    return Organization.objects.filter(path_q(scope_paths(user, perm)))


def get_visible_or_404(queryset: QuerySet[Any], user: Any, *, path_field: str, **lookup: Any) -> Any:
    """Fetch one object inside the user's scope; out of scope answers 404 exactly like a missing object."""
    qs = queryset.filter(path_q(scope_paths(user), path_field))
    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404("对象不存在或不在您的管辖范围内") from None


def require(user: Any, perm: Perm, org: Organization) -> None:
    """In scope but not allowed: 403 (the caller has already established visibility)."""
    if not can(user, perm, org):
        raise PermissionDenied("您没有执行此操作的权限")


def active_roles(user: Any) -> list[RoleAssignment]:
    if not user.is_authenticated:
        return []
    return list(
        RoleAssignment.objects.filter(user=user, revoked_at__isnull=True)
        .select_related("organization")
        .order_by("organization__path")
    )


def roles_of(user: Any) -> set[Role]:
    return {Role(a.role) for a in active_roles(user)}


def holds_at_root(user: Any, perm: Perm) -> bool:
    """Whether ``perm`` was granted at the district root (district staff for REVIEW_GRADES); from the cached grants,
    so menus can ask it on every page without a query."""
    return any(perm in g.perms and len(g.path) == Organization.steplen for g in grants_for(user))
