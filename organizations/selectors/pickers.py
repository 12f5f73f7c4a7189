"""Reads behind the search-as-you-type pickers (``core.pickers``): a few matches at a time, inside the user's scope.

The forms keep the whole scoped querysets for validation; these give the options a page or the search endpoint
shows (one query each, ``limit`` + 1 rows: the extra one only says that there are more)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from organizations.models import Member, Organization
from organizations.selectors import member_list_subtree, move_targets


def member_matches(user: Any, org: Organization, query: str, *, limit: int) -> list[Member] | None:
    """Current members of ``org`` and its subtree in the user's scope whose name contains ``query``, by name. With
    nothing typed at the district or a township (thousands of members) there is no useful first page of names,
    and sorting every member by name to show one would cost more than the page: the picker asks for a name
    (None)."""
    if not query and org.depth <= 2:
        return None
    rows = member_list_subtree(user, org, name=query).select_related("organization").order_by("name", "pk")
    return list(rows[: limit + 1])


def members_named(user: Any, org: Organization, pks: list[Any]) -> list[Member]:
    """The members a bound form already names (kept among the options), when they are in the picker's range."""
    wanted = [int(p) for p in pks if str(p).isdigit()]
    if not wanted:
        return []
    return list(member_list_subtree(user, org).filter(pk__in=wanted).select_related("organization"))


def target_matches(user: Any, org: Organization, query: str, *, limit: int) -> list[Organization]:
    """Where members of ``org`` may be moved (``move_targets``) whose name or code contains ``query``."""
    rows = move_targets(user, org)
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(code__icontains=query))
    return list(rows.only("pk", "name", "path")[: limit + 1])


def targets_named(user: Any, org: Organization, pks: list[Any]) -> list[Organization]:
    wanted = [int(p) for p in pks if str(p).isdigit()]
    return list(move_targets(user, org).filter(pk__in=wanted)) if wanted else []
