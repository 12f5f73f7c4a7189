"""Who a circular goes to: the organizations chosen in the sender's subtree, by one of four ways (the whole
subtree, every organization of a kind, every organization where someone holds a role, or hand-picked), and the
accounts told at each of them. Party groups (党小组) hold members, not records: they receive nothing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import QuerySet

from organizations.models import Organization, OrgKind, RoleAssignment
from organizations.roles import Role


class Mode(models.TextChoices):
    ALL = "all", "全部下级党组织"
    TOWNSHIPS = "townships", "各乡镇(街道)党(工)委"
    KIND = "kind", "某一类党组织"
    ROLE = "role", "设有某类账号的党组织"
    PICKED = "picked", "逐个选择"


KIND_CHOICES = [(k.value, k.label) for k in OrgKind if k != OrgKind.PARTY_GROUP]
ROLE_CHOICES = [(r.value, r.label) for r in (Role.BRANCH_SECRETARY, Role.TOWNSHIP_STAFF, Role.LIAISON_LEADER)]


@dataclass(frozen=True)
class Choice:
    mode: str
    kind: str = ""
    role: str = ""
    picked: frozenset[int] = field(default_factory=frozenset)


def below(sender: Organization) -> QuerySet[Organization]:
    """Every active organization strictly under ``sender`` that may receive a circular."""
    return (
        Organization.objects.filter(path__startswith=sender.path, depth__gt=sender.depth, dissolved_on__isnull=True)
        .exclude(kind=OrgKind.PARTY_GROUP)
        .order_by("path")
    )


def pickable(sender: Organization) -> QuerySet[Organization]:
    """What the sender picks from by hand: a township its organizations; the district its townships (the rest of the
    district by kind or by role, a list of thousands being no picker)."""
    qs = below(sender)
    return qs.filter(depth=2) if sender.depth == 1 else qs


def modes_for(sender: Organization) -> list[tuple[str, str]]:
    return [(m.value, m.label) for m in Mode if m != Mode.TOWNSHIPS or sender.depth == 1]


def resolve(sender: Organization, choice: Choice) -> list[Organization]:
    """The recipient organizations of ``choice`` under ``sender``, in tree order (one query)."""
    qs = below(sender)
    if choice.mode == Mode.ALL:
        pass
    elif choice.mode == Mode.TOWNSHIPS:
        qs = qs.filter(depth=2)
    elif choice.mode == Mode.KIND:
        qs = qs.filter(kind=choice.kind)
    elif choice.mode == Mode.ROLE:
        holders = RoleAssignment.objects.filter(role=choice.role, revoked_at__isnull=True, user__is_active=True)
        qs = qs.filter(pk__in=holders.values("organization_id"))
    elif choice.mode == Mode.PICKED:
        qs = pickable(sender).filter(pk__in=choice.picked)
    else:
        return []
    return list(qs)


def describe(choice: Choice, count: int) -> str:
    """The audience in words, kept with the circular: "全部下级党组织(共12个)"."""
    label = Mode(choice.mode).label if choice.mode in Mode.values else "逐个选择"
    if choice.mode == Mode.KIND:
        label = f"所有{OrgKind(choice.kind).label}" if choice.kind in OrgKind.values else label
    elif choice.mode == Mode.ROLE:
        label = f"设有{Role(choice.role).label}账号的党组织" if choice.role in Role.values else label
    return f"{label}(共{count}个)"


def accounts_at(org_ids: Iterable[int]) -> dict[int, list[Any]]:
    """The active accounts holding a role at each organization (one query): who is told of a circular."""
    found: dict[int, list[Any]] = defaultdict(list)
    rows = RoleAssignment.objects.filter(
        organization_id__in=set(org_ids), revoked_at__isnull=True, user__is_active=True
    ).select_related("user")
    for grant in rows.order_by("organization_id", "user_id", "pk"):
        if grant.user not in found[grant.organization_id]:
            found[grant.organization_id].append(grant.user)
    return found
