"""Reads of differentiated management: current categories, one organization's records (history, liaisons,
pairings, helpers, showcases, cases) and the accounts that may become liaisons."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber

from core.queries import counts_by_prefix
from grading.rules.grades import Category
from organizations.roles import Perm
from organizations.scope import path_q, scope_paths
from rectification.models import (
    Case,
    CategoryAssignment,
    Showcase,
)


def current_categories(user: Any) -> QuerySet[CategoryAssignment]:
    """Each visible organization's current category (its latest assignment row: latest year, then latest record).

    One window over the assignments in scope (``ROW_NUMBER`` per organization in the order of the index
    ``rect_category_current_idx``), not a correlated "latest row" subquery per organization: filters on the result
    (a category) apply to the current rows only."""
    in_scope = CategoryAssignment.objects.filter(path_q(scope_paths(user), "organization__path"))
    latest = in_scope.annotate(
        _rank=Window(
            RowNumber(),
            partition_by=[F("organization_id")],
            order_by=[F("year").desc(), F("created_at").desc(), F("pk").desc()],
        )
    ).filter(_rank=1)
    return (
        CategoryAssignment.objects.filter(pk__in=latest.values("pk"))
        .select_related("organization")
        .order_by("organization__path")
    )


@dataclass(frozen=True)
class OrgManagement:
    """The records of one organization's differentiated management, for its page."""

    history: list[CategoryAssignment]
    liaisons: list[Any]
    pairings: list[Any]
    helpers: list[Any]
    showcases: list[Any]
    cases: list[Case]
    # Accounts holding the liaison leader role here with no liaison record (granted under 角色管理): the same duty.
    liaison_accounts: list[Any] = field(default_factory=list)


def account_name(user: Any) -> str:
    """A person's name as Chinese writes it (姓名, no space), or the account name when none is recorded."""
    return f"{user.last_name}{user.first_name}".strip() or user.get_username()


def liaison_accounts(user: Any, org: Any) -> list[Any]:
    """Holders of the liaison leader role at ``org`` without a current liaison record: the role and the record are
    one duty, so the page lists them as liaisons too (one query)."""
    from django.contrib.auth import get_user_model

    from organizations.models import RoleAssignment
    from organizations.roles import Role
    from rectification.models import Liaison

    recorded = Liaison.objects.filter(organization=org, until__isnull=True, user__isnull=False).values("user_id")
    holders = RoleAssignment.objects.filter(organization=org, role=Role.LIAISON_LEADER, revoked_at__isnull=True).values(
        "user_id"
    )
    return list(
        get_user_model().objects.filter(pk__in=holders, is_active=True).exclude(pk__in=recorded).order_by("username")
    )


def liaison_names(user: Any, org: Any) -> list[str]:
    """Everyone who currently follows ``org`` as its liaison: the records and the role's holders, by name."""
    from rectification.models import Liaison

    names = [x.person_name for x in Liaison.objects.filter(organization=org, until__isnull=True).order_by("since")]
    names += [account_name(u) for u in liaison_accounts(user, org)]
    return list(dict.fromkeys(names))


def org_management(user: Any, org: Any) -> OrgManagement:
    """Category history, liaisons, pairings, helpers, showcases and cases of ``org``; empty for a user who may not
    see it (callers get ``org`` through organizations.access.organization_for, which already answers 404)."""
    from organizations.scope import can
    from rectification.models import Helper, Liaison, Pairing, Showcase

    if not can(user, Perm.VIEW_RECORDS, org):
        return OrgManagement([], [], [], [], [], [])
    return OrgManagement(
        history=list(CategoryAssignment.objects.filter(organization=org).select_related("set_by")[:20]),
        liaisons=list(Liaison.objects.filter(organization=org).order_by("until", "-since")),
        pairings=list(
            Pairing.objects.filter(lagging=org).select_related("red_flag")
            | Pairing.objects.filter(red_flag=org).select_related("lagging")
        ),
        helpers=list(Helper.objects.filter(organization=org)),
        showcases=list(Showcase.objects.filter(organization=org)),
        cases=list(org.rectification_cases.order_by("-opened_on", "-pk")),
        liaison_accounts=liaison_accounts(user, org),
    )


# Enough for a township's cadres; the datalist is a convenience, the typed account is checked in full anyway.
LIAISON_CANDIDATES_MAX = 300


def liaison_candidates(user: Any) -> QuerySet[Any]:
    """Active accounts holding a role inside the subtrees where ``user`` manages cases (never beyond them)."""
    from django.contrib.auth import get_user_model

    from organizations.models import RoleAssignment

    holders = RoleAssignment.objects.filter(
        path_q(scope_paths(user, Perm.MANAGE_CASES), "organization__path"), revoked_at__isnull=True
    ).values("user_id")
    return get_user_model().objects.filter(is_active=True, pk__in=holders).order_by("username")[:LIAISON_CANDIDATES_MAX]


def current_categories_of(user: Any, category: str = "", *, township: Any = None) -> QuerySet[CategoryAssignment]:
    """``current_categories``, only those of ``category`` when one is given and below ``township`` (from
    ``access.township_for``) when one is given: the categories page's filters."""
    rows = current_categories(user)
    if township is not None:
        rows = rows.filter(organization__path__startswith=township.path)
    return rows.filter(category=category) if category else rows


@dataclass(frozen=True)
class TownshipCategories:
    """One township's row of the categories page: how many of its organizations are in each category."""

    township: Any
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


def category_counts(user: Any) -> tuple[list[tuple[str, str, int]], list[TownshipCategories]]:
    """(value, label, how many) of each category among the organizations the user sees, and per township in
    scope (tree order, townships with none left out) how many are in each category (``Category`` order): one
    GROUP BY on the township's path prefix and the category, the totals summed from it."""
    from organizations.models import Organization

    width = 2 * Organization.steplen
    counts = counts_by_prefix(current_categories(user), "organization__path", width, "category")
    totals = {c: 0 for c in Category.values}
    for (_prefix, category), n in counts.items():
        totals[category] += n
    townships = Organization.objects.filter(depth=2).filter(path_q(scope_paths(user))).order_by("path")
    rows = [TownshipCategories(t, [counts.get((t.path, c.value), 0) for c in Category]) for t in townships]
    return [(c.value, c.label, totals[c.value]) for c in Category], [r for r in rows if r.total]


def showcase_ids(user: Any, year: int) -> set[int]:
    """The organizations the user sees that are showcases (示范点) of ``year``."""
    return set(
        Showcase.objects.filter(year=year)
        .filter(path_q(scope_paths(user), "organization__path"))
        .values_list("organization_id", flat=True)
    )


def pairing_partners(user: Any) -> QuerySet[Any]:
    """The 红旗支部 the user sees: the partners a 后进支部 may be paired with."""
    from organizations.models import Organization

    partners = current_categories(user).filter(category=Category.RED_FLAG).values_list("organization_id", flat=True)
    return Organization.objects.filter(pk__in=list(partners))


def org_page(user: Any, org: Any) -> dict[str, Any]:
    """One organization's differentiated management page: its category and history, liaisons, pairings, helpers,
    showcases and cases, with the actions the user may take (``org`` comes from ``access.organization_for``)."""
    from rectification.access import org_actions
    from rectification.services.cases import open_case_of
    from rectification.services.categories import current_assignment

    current = current_assignment(org)
    category = Category(current.category) if current else None
    open_case = open_case_of(org)
    records = org_management(user, org)
    return {
        "org": org,
        "current": current,
        "history": records.history,
        "liaisons": records.liaisons,
        "liaison_accounts": [(u, account_name(u)) for u in records.liaison_accounts],
        "pairings": records.pairings,
        "helpers": records.helpers,
        "showcases": records.showcases,
        "cases": records.cases,
        "open_case": open_case,
        **org_actions(user, org, category, open_case),
    }
