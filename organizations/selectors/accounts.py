"""Reads of the roles page: the role grants at an organization and below."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from organizations.models import Organization, RoleAssignment
from organizations.roles import Perm
from organizations.scope import require


def role_assignments_under(user: Any, org: Organization, *, q: str = "") -> QuerySet[RoleAssignment]:
    """Current role grants at ``org`` and below, in tree order; ``q``: a part of the account, the person's name or
    the organization's name (the district's root holds thousands: the page shows them a page at a time)."""
    require(user, Perm.VIEW_RECORDS, org)
    qs = RoleAssignment.objects.filter(organization__path__startswith=org.path, revoked_at__isnull=True)
    if q:
        qs = qs.filter(
            Q(user__username__icontains=q)
            | Q(user__last_name__icontains=q)
            | Q(user__first_name__icontains=q)
            | Q(organization__name__icontains=q)
        )
    return qs.select_related("user", "organization", "granted_by").order_by("organization__path", "role", "pk")
