"""Reads. Every function takes the user first and returns only what that user may see.

Views never filter by hand: they call these. A read that starts from an id goes through ``organizations.access``
(out of scope is Http404, the same as not found; in scope without the permission, 403).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Case,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Concat, RowNumber

from core.models import Event
from core.queries import count_subquery
from organizations import rules
from organizations.access import organization_for
from organizations.models import (
    CommitteeTerm,
    Member,
    MemberStatus,
    MemberTransfer,
    Organization,
    OrgChange,
    Position,
    RoleAssignment,
)
from organizations.roles import HOME_PRIORITY, Perm, Role
from organizations.rules import ELECTED_POSTS, Finding, OrgFacts, setup_findings
from organizations.scope import can, grants_for, path_q, scope_paths


def organization_list(user: Any, *, perm: Perm = Perm.VIEW_RECORDS) -> QuerySet[Organization]:
    return Organization.objects.filter(path_q(scope_paths(user, perm)))


def organization_get_with_counts(user: Any, pk: Any, *, perm: Perm = Perm.VIEW_RECORDS) -> Organization:
    """The organization with the member counts and committee seats annotated (one query for the page's facts)."""
    return organization_for(user, pk, perm=perm, queryset=_with_counts(Organization.objects.all()))


def _subtree_of_outer(*, itself: bool) -> Q:
    """The organizations at or below (``itself``) or strictly below the outer query's row. Their paths lie between
    the row's path and that path followed by the alphabet's last character (as treebeard's own intervals): a range
    the path index answers for each row, where a prefix compared as a substring or a LIKE on the outer column reads
    every organization once per row."""
    top = Value(Organization.alphabet[-1] * Organization._meta.get_field("path").max_length)
    low = Q(path__gte=OuterRef("path")) if itself else Q(path__gt=OuterRef("path"))
    return low & Q(path__lte=Concat(OuterRef("path"), top))


def _sum_subquery(qs: QuerySet[Organization], field: str) -> Coalesce:
    total = qs.order_by().annotate(_sum=Func(F(field), function="SUM")).values("_sum")
    return Coalesce(Subquery(total, output_field=IntegerField()), 0)


def _members_below() -> Case:
    """The current members of the organizations below each row: the sum of its descendants' kept counts, a
    subquery over organizations, not over every member of the subtree (the district's root: 150,000). A row without
    children (``numchild`` = 0: every branch) answers 0 without running the subquery."""
    below = Organization.objects.filter(_subtree_of_outer(itself=False))
    return Case(
        When(numchild=0, then=0),
        default=_sum_subquery(below, "member_count"),
        output_field=IntegerField(),
    )


def _with_counts(qs: QuerySet[Organization]) -> QuerySet[Organization]:
    """Annotate current member counts and committee seats from the counts kept on each organization
    (``organizations.services.counts``), and the members below it (``_members_below``)."""
    return qs.annotate(
        total_members=F("member_count"),
        full_members=F("full_member_count"),
        committee_seats=F("seat_count"),
        members_below=_members_below(),
    )


def _findings_q() -> Q:
    """The organizations ``rules.setup_findings`` finds something in, as a filter over the kept counts of a queryset
    annotated by ``_with_counts`` (B1–B4 with the rules' own numbers). tests/organizations/test_findings_sql.py checks
    that it selects exactly the organizations whose pure findings are not empty."""
    branch = Q(kind__in=rules.BRANCH_KINDS)
    b1 = Q(kind="branch", full_member_count__lt=rules.MIN_FULL_MEMBERS_FOR_BRANCH) | Q(
        kind="joint_branch", units_covered__gt=rules.MAX_JOINT_BRANCH_UNITS
    )
    # B3 as rules.branch_committee_violation: 7 or more full members → 3 to 7 seats, fewer → at most 2.
    committee = Q(full_member_count__gte=rules.COMMITTEE_REQUIRED_FROM_FULL_MEMBERS)
    b3 = branch & (
        (committee & (Q(seat_count__lt=rules.COMMITTEE_USUAL_SEATS[0]) | Q(seat_count__gt=rules.COMMITTEE_MAX_SEATS)))
        | (~committee & Q(seat_count__gt=rules.SECRETARY_ONLY_MAX_SEATS))
    )
    b4 = ((branch | Q(kind="general_branch")) & Q(_members__gte=rules.COMMITTEE_FROM_MEMBERS)) | (
        branch & Q(_members__gt=rules.GENERAL_BRANCH_ABOVE_MEMBERS)
    )
    b2 = branch & Q(member_count__gt=rules.BRANCH_NORMAL_MAX_MEMBERS)
    return b1 | b3 | b4 | b2


def organizations_with_findings(user: Any, *, under: Organization | None = None) -> QuerySet[Organization]:
    """The organizations below the townships, in scope, not dissolved, with at least one setup finding, in tree
    order and annotated with the counts the rules read: selected in SQL (``_findings_q``), so a page works out the
    findings of its own rows only (``with_findings``)."""
    qs = organization_list(user).filter(depth__gte=3, dissolved_on__isnull=True)
    if under is not None:
        qs = qs.filter(path__startswith=under.path)
    qs = _with_counts(qs.only(*_FINDINGS_FIELDS)).annotate(_members=F("member_count") + F("members_below"))
    return qs.filter(_findings_q()).order_by("path")


def townships_with_totals(user: Any) -> list[Organization]:
    """The townships in scope, in tree order, each with ``graded_count`` (organizations at or below it that are
    graded and not dissolved) and ``member_count`` replaced by the current members at or below it: one query, two
    subqueries per township over the kept counts of its subtree (a range of the path index), no row per
    organization."""
    subtree = Organization.objects.filter(_subtree_of_outer(itself=True))
    graded = subtree.filter(is_graded=True, dissolved_on__isnull=True)
    return list(
        organization_list(user)
        .filter(depth=2)
        .annotate(graded_count=count_subquery(graded))
        .annotate(member_count_total=_sum_subquery(subtree, "member_count"))
        .order_by("path")
    )


def organization_list_with_counts(
    user: Any, *, under: Organization | None = None, q: str = "", kind: str = "", field: str = ""
) -> QuerySet[Organization]:
    """The organizations in scope (below ``under`` when given) with their counts, filtered by name or code (``q``),
    kind and field, in tree order."""
    qs = organization_list(user)
    if under is not None:
        qs = qs.filter(path__startswith=under.path, depth__gt=under.depth)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if field:
        qs = qs.filter(field=field)
    return _with_counts(qs).order_by("path")


def facts_of(user: Any, org: Organization) -> OrgFacts:
    """Facts for the setup rules of an organization the user reached through ``access`` or a scoped list; uses the
    annotations when the queryset provided them."""
    return _facts_of(org)


def with_findings(user: Any, orgs: Iterable[Organization]) -> list[tuple[Organization, list[Finding]]]:
    """Each organization of a scoped list (annotated with counts) with its setup findings."""
    return [(o, setup_findings(_facts_of(o))) for o in orgs]


def _facts_of(org: Organization) -> OrgFacts:
    if hasattr(org, "total_members"):
        total, full, seats = org.total_members, org.full_members, org.committee_seats
        below = getattr(org, "members_below", 0)
    else:
        current = org.members.filter(left_on__isnull=True)
        total = current.count()
        full = current.filter(status=MemberStatus.FULL).count()
        seats = org.positions.filter(ended_on__isnull=True, post__in=ELECTED_POSTS).values("member").distinct().count()
        below = Member.objects.filter(
            organization__path__startswith=org.path, organization__depth__gt=org.depth, left_on__isnull=True
        ).count()
    return OrgFacts(
        kind=org.kind,
        field=org.field,
        total_members=total,
        full_members=full,
        units_covered=org.units_covered,
        committee_seats=seats,
        members_below=below,
    )


@dataclass(frozen=True)
class OrgFindings:
    organization: Organization
    findings: list[Finding]


# The columns the setup rules, the findings lists and the district overview's township table read.
_FINDINGS_FIELDS = (
    *("path", "depth", "code", "name", "kind", "field", "units_covered", "is_graded", "dissolved_on"),
    *("member_count", "full_member_count", "seat_count"),
)


def member_list(
    user: Any, *, organization: Organization | None = None, include_left: bool = False, name: str = ""
) -> QuerySet[Member]:
    qs = Member.objects.filter(path_q(scope_paths(user), "organization__path")).select_related("organization")
    if organization is not None:
        qs = qs.filter(organization=organization)
    if not include_left:
        qs = qs.filter(left_on__isnull=True)
    if name:
        qs = qs.filter(name__icontains=name)
    return qs


def member_list_subtree(user: Any, organization: Organization, *, name: str = "") -> QuerySet[Member]:
    """Current members of the organization and everything under it (a general branch's roster)."""
    return member_list(user, name=name).filter(organization__path__startswith=organization.path)


# --- What an organization's and a member's pages show (the organization or member came through ``access``) -----


def positions_of(user: Any, org: Organization, *, current_only: bool = False) -> QuerySet[Position]:
    qs = org.positions.select_related("member", "term")
    return qs.filter(ended_on__isnull=True) if current_only else qs


def past_positions_of(user: Any, org: Organization, *, limit: int = 20) -> QuerySet[Position]:
    return positions_of(user, org).filter(ended_on__isnull=False)[:limit]


def terms_of(user: Any, org: Organization) -> QuerySet[CommitteeTerm]:
    return org.terms.all()


def history_of(user: Any, org: Organization) -> QuerySet[OrgChange]:
    return org.changes.select_related("actor").prefetch_related(
        Prefetch("transfers", queryset=MemberTransfer.objects.select_related("member", "from_org", "to_org"))
    )


def transfers_of(user: Any, org: Organization, *, limit: int = 20) -> list[MemberTransfer]:
    return list(
        MemberTransfer.objects.filter(Q(from_org=org) | Q(to_org=org)).select_related(
            "member", "from_org", "to_org", "actor"
        )[:limit]
    )


def member_transfers(user: Any, member: Member) -> QuerySet[MemberTransfer]:
    return member.transfers.select_related("from_org", "to_org")


def member_positions(user: Any, member: Member) -> QuerySet[Position]:
    return member.positions.select_related("organization")


def events_of_org(user: Any, org: Organization, *, limit: int = 50) -> list[Event]:
    """Timeline of an organization (its own events, not its subtree's)."""
    if not can(user, Perm.VIEW_RECORDS, org):
        return []
    return list(Event.objects.filter(org_path=org.path).order_by("-at", "-pk")[:limit])


def event_search(user: Any, *, text: str = "", verb: str = "") -> QuerySet[Event]:
    """The audit log for those who may read it, limited to their subtrees."""
    qs = Event.objects.filter(path_q(scope_paths(user, Perm.READ_AUDIT), "org_path"))
    if text:
        qs = qs.filter(Q(summary__icontains=text) | Q(actor_name__icontains=text) | Q(target_label__icontains=text))
    if verb:
        qs = qs.filter(verb__startswith=verb)
    return qs.order_by("-at", "-pk")


def children_of(user: Any, org: Organization) -> QuerySet[Organization]:
    return _with_counts(organization_list(user).filter(path__startswith=org.path, depth=org.depth + 1))


def terms_expiring(user: Any, *, until: date) -> QuerySet[CommitteeTerm]:
    """Latest terms in scope ending on or before ``until`` (A13: remind about six months ahead), oldest first.
    The latest term of each organization by one window over the terms in scope (latest election, then latest
    record), not a correlated subquery per organization (issue 15)."""
    ranked = (
        CommitteeTerm.objects.filter(path_q(scope_paths(user), "organization__path"))
        .annotate(
            _rank=Window(
                RowNumber(), partition_by=[F("organization_id")], order_by=[F("elected_on").desc(), F("pk").desc()]
            )
        )
        .filter(_rank=1)
    )
    return (
        CommitteeTerm.objects.filter(pk__in=ranked.values("pk"), ends_on__lte=until)
        .filter(organization__dissolved_on__isnull=True)
        .select_related("organization")
        .order_by("ends_on", "organization__path", "pk")
    )


def current_secretaries(user: Any, org_ids: list[int]) -> dict[int, str]:
    """Name of the current secretary of each organization of a scoped list (others are left out)."""
    rows = Position.objects.filter(
        path_q(scope_paths(user), "organization__path"),
        organization_id__in=org_ids,
        post="secretary",
        ended_on__isnull=True,
    ).values_list("organization_id", "member__name")
    return dict(rows)


def visible_ancestors(user: Any, org: Organization) -> list[Organization]:
    """Breadcrumbs: the ancestors the user may open (a branch secretary sees none)."""
    step = org.steplen
    paths = [org.path[: step * d] for d in range(1, org.depth)]
    return list(organization_list(user).filter(path__in=paths).order_by("depth"))


def next_child_code(user: Any, org: Organization) -> str:
    """A free code for a new child: parent code plus a two-digit sequence."""
    taken = set(Organization.objects.filter(code__startswith=f"{org.code}-").values_list("code", flat=True))
    n = 1
    while f"{org.code}-{n:02d}" in taken:
        n += 1
    return f"{org.code}-{n:02d}"


def move_targets(user: Any, org: Organization) -> QuerySet[Organization]:
    """Where members of ``org`` may be moved: active organizations in the user's roster-editing scope,
    within the same township (moves across townships are a transfer of membership, not restructuring)."""
    return (
        organization_list(user, perm=Perm.EDIT_ROSTER)
        .filter(
            path__startswith=org.township_path() if org.depth >= 2 else org.path,
            depth__gte=3,
            dissolved_on__isnull=True,
        )
        .exclude(pk=org.pk)
        .order_by("path")
    )


def members_movable(user: Any, org: Organization, facts: OrgFacts) -> bool:
    """Whether the page offers moving members out of ``org``: it has members, the user edits its roster, and there
    is somewhere to move them to."""
    return facts.total_members > 0 and can(user, Perm.EDIT_ROSTER, org) and move_targets(user, org).exists()


def events_of_member(user: Any, member: Member, *, limit: int = 30) -> list[Event]:
    if not can(user, Perm.VIEW_RECORDS, member.organization):
        return []
    return list(Event.objects.filter(target_type="organizations.member", target_id=str(member.pk))[:limit])


def is_home_of(user: Any, page: str, org: Organization | None = None) -> bool:
    """Whether this page is where the user lands from / (architecture.md, Home): the district overview, a township's
    page (township staff, viewers), the secretary's organization, the liaison's list. That page shows the user's to-do
    panel; the same page opened by someone passing through does not."""
    grants = grants_for(user)  # cached: someone passing through another's home costs no query
    if org is not None and not any(g.org_id == org.pk for g in grants):
        return False
    if page == "organization" and not any(g.org_id == org.pk and Perm.SELF_ASSESS in g.perms for g in grants):
        return False  # a secretary's own organization (township staff on their township's page: not their home)
    if page == "district" and not any(len(g.path) == Organization.steplen for g in grants):
        return False
    home = home_grant(user)
    if home is None:
        return False
    role, at = home
    if page == "district":
        return role == Role.DISTRICT_STAFF
    if page == "township":
        return role in (Role.TOWNSHIP_STAFF, Role.VIEWER) and org is not None and at.pk == org.pk
    if page == "organization":
        return role == Role.BRANCH_SECRETARY and org is not None and at.pk == org.pk
    if page == "list":
        return role == Role.LIAISON_LEADER
    return False


def home_grant(user: Any) -> tuple[Role, Organization] | None:
    """The role and organization whose page the user lands on: the widest role they hold."""
    assignments = list(RoleAssignment.objects.filter(user=user, revoked_at__isnull=True).select_related("organization"))
    for role in HOME_PRIORITY:
        for a in sorted(assignments, key=lambda a: a.organization.path):
            if a.role == role:
                return role, a.organization
    grants = grants_for(user)
    if grants:
        return Role.DISTRICT_STAFF, Organization.objects.get(pk=grants[0].org_id)
    return None
