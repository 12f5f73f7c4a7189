"""The one way in to the statistics: the organization whose figures are read, inside the viewer's scope."""

from __future__ import annotations

from typing import Any

from organizations.access import organization_for
from organizations.models import Organization
from organizations.roles import Perm
from organizations.scope import scope_paths


def statistics_of(user: Any, pk: Any) -> Organization:
    """The organization ``pk`` when the user reads records there; out of scope: 404 like a missing one."""
    return organization_for(user, pk, perm=Perm.VIEW_RECORDS)


def home_organization(user: Any) -> Organization | None:
    """Where the menu's 党员统计 opens: the widest organization the user reads (district staff the district, township
    staff their township, a secretary their organization)."""
    roots = scope_paths(user)
    if not roots:
        return None
    return Organization.objects.filter(path=min(roots, key=lambda p: (len(p), p))).first()
