"""The one way in to the development app's objects, and what a user may do with them.

``<thing>_for(user, pk, *, perm)`` returns the object inside the user's scope or raises: out of scope (or missing)
answers 404 exactly like a missing object; visible but ``perm`` not held there answers 403. The pipeline is part of
keeping the roster (党员管理): reading needs ``view_records``, recording and moving ``edit_roster``; the counts of a
subtree are for those who keep many organizations' rosters (``import_roster``: township and district staff).
"""

from __future__ import annotations

from typing import Any

from development.models import Applicant
from organizations.access import organization_for as organization_in_scope
from organizations.models import Organization
from organizations.roles import Perm
from organizations.scope import can, get_visible_or_404, require, scope_paths

VIEW = Perm.VIEW_RECORDS
EDIT = Perm.EDIT_ROSTER
BOARD = Perm.IMPORT_ROSTER


def organization_for(user: Any, pk: Any, *, perm: Perm = VIEW) -> Organization:
    return organization_in_scope(user, pk, perm=perm)


def applicant_for(user: Any, pk: Any, *, perm: Perm = VIEW) -> Applicant:
    qs = Applicant.objects.select_related("organization", "member", "created_by")
    record = get_visible_or_404(qs, user, path_field="organization__path", pk=pk)
    require(user, perm, record.organization)
    return record


def may_edit(user: Any, org: Organization) -> bool:
    return can(user, EDIT, org)


def may_see_board(user: Any, org: Organization) -> bool:
    return can(user, BOARD, org)


def home_organization(user: Any) -> tuple[Organization | None, bool]:
    """Where the menu's 党员发展 opens: the widest organization the user keeps the rosters of (its counts), else the
    widest the user reads (its list). The flag says whether it is the counts."""
    for perm, board in ((BOARD, True), (VIEW, False)):
        roots = scope_paths(user, perm)
        if roots:
            return Organization.objects.filter(path=min(roots, key=lambda p: (len(p), p))).first(), board
    return None, False
