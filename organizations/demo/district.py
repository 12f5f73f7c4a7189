"""The demo district: a deterministic, realistic organization tree with members, committees and accounts.

``build_demo`` is what ``manage.py load_demo`` runs and what tests call with a small ``scale``. Every random
choice comes from one seeded ``random.Random`` and every date is counted from ``REFERENCE_DATE`` (not today),
so two builds produce the same rows. The tree is written with ``bulk_create``: paths are computed with
treebeard's own ``_get_path`` in code order (``node_order_by = ["code"]``), exactly what ``add_child`` would
produce. Role grants go through ``organizations.services.grants.role_grant`` so guardian's permission rows exist.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Model, ProtectedError, QuerySet, RestrictedError

from core.models import Event
from organizations.demo.plan import (
    DEMO_PASSWORD,
    DEMO_USERNAME_REGEX,
    REFERENCE_DATE,
    ROOT_CODE,
    SEED,
    SEED_VILLAGE_CODE,
    Node,
    _Planner,
)
from organizations.demo.reorganization import build_reorganizations
from organizations.models import (
    ChangeKind,
    CommitteeTerm,
    Member,
    MemberStatus,
    MemberTransfer,
    Organization,
    OrgChange,
    OrgField,
    OrgKind,
    Position,
    Post,
)
from organizations.roles import Role
from organizations.rules import (
    COMMITTEE_REQUIRED_FROM_FULL_MEMBERS,
    term_end,
)
from organizations.services.counts import counts_repair
from organizations.services.grants import role_grant
from organizations.services.tree import default_is_graded


@dataclass
class DemoSummary:
    created: bool
    townships: int = 0
    organizations: int = 0
    graded: int = 0
    party_groups: int = 0
    members: int = 0
    probationary: int = 0
    migrants: int = 0
    on_probation: int = 0
    terms: int = 0
    positions: int = 0
    accounts: int = 0
    seconds: float = 0.0


def demo_root() -> Organization | None:
    return Organization.objects.filter(code=ROOT_CODE, depth=1).first()


def summarize(root: Organization, *, created: bool, seconds: float = 0.0) -> DemoSummary:
    orgs = Organization.objects.filter(path__startswith=root.path)
    members = Member.objects.filter(organization__path__startswith=root.path, left_on__isnull=True)
    return DemoSummary(
        created=created,
        townships=orgs.filter(depth=2).count(),
        organizations=orgs.count(),
        graded=orgs.filter(is_graded=True).count(),
        party_groups=orgs.filter(kind=OrgKind.PARTY_GROUP).count(),
        members=members.count(),
        probationary=members.filter(status=MemberStatus.PROBATIONARY).count(),
        migrants=members.filter(is_migrant=True).count(),
        on_probation=members.filter(under_party_probation=True).count(),
        terms=CommitteeTerm.objects.filter(organization__path__startswith=root.path).count(),
        positions=Position.objects.filter(organization__path__startswith=root.path).count(),
        accounts=get_user_model().objects.filter(username__regex=DEMO_USERNAME_REGEX).count(),
        seconds=seconds,
    )


def build_demo(*, scale: float = 1.0, seed: int = SEED) -> DemoSummary:
    """Build the demo district once; when its root (code "D") exists, change nothing and say so."""
    started = time.perf_counter()
    existing = demo_root()
    if existing is not None:
        return summarize(existing, created=False, seconds=time.perf_counter() - started)
    with transaction.atomic():
        root = _Builder(scale=scale, seed=seed).build()
        counts_repair()  # members and positions went in with bulk_create, past the services
        build_reorganizations(root)  # one request waiting for its 批复, one done (第三篇 五)
    return summarize(root, created=True, seconds=time.perf_counter() - started)


def reset_demo() -> None:
    """Remove the demo tree, its members, terms, positions, the demo accounts and their events and roles."""
    users = get_user_model().objects.filter(username__regex=DEMO_USERNAME_REGEX)
    root = demo_root()
    with transaction.atomic():
        Event.objects.filter(actor__in=users).delete()
        if root is not None:
            in_tree = {"organization__path__startswith": root.path}
            Event.objects.filter(org_path__startswith=root.path).delete()
            Position.objects.filter(**in_tree).delete()
            MemberTransfer.objects.filter(member__organization__path__startswith=root.path).delete()
            _delete_with_dependents(Member.objects.filter(**in_tree))
            _delete_with_dependents(Organization.objects.filter(path__startswith=root.path))
        _delete_with_dependents(users)


def _delete_with_dependents(qs: QuerySet[Any], depth: int = 0) -> None:
    """Delete ``qs``; rows of other apps that protect it (PROTECT/RESTRICT) belong to the demo too and go first."""
    for _ in range(10):
        try:
            qs.delete()
            return
        except (ProtectedError, RestrictedError) as exc:
            if depth > 5:
                raise
            blockers = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", set())
            by_model: dict[type[Model], list[Any]] = defaultdict(list)
            for obj in blockers:
                by_model[type(obj)].append(obj.pk)
            for model, pks in by_model.items():
                _delete_with_dependents(model._default_manager.filter(pk__in=pks), depth + 1)
    qs.delete()


class _Builder(_Planner):
    def build(self) -> Organization:
        plan = self.plan()
        root = Organization.objects.add_root(
            {
                "code": plan.code,
                "name": plan.name,
                "kind": plan.kind,
                "established_on": plan.established_on,
                "is_graded": False,
            }
        )
        plan.org = root
        self.write_tree(plan)
        nodes = list(plan.walk())
        self.write_members(nodes)
        self.write_committees(nodes)
        self.write_accounts(plan, nodes)
        return root

    def write_tree(self, plan: Node) -> None:
        rows: list[Organization] = []

        def place(node: Node, parent_path: str, depth: int) -> None:
            for position, child in enumerate(sorted(node.children, key=lambda c: c.code), start=1):
                path = Organization._get_path(parent_path, depth, position)
                child.org = Organization(
                    path=path,
                    depth=depth,
                    numchild=len(child.children),
                    code=child.code,
                    name=child.name,
                    kind=child.kind,
                    field=child.field,
                    units_covered=child.units_covered,
                    established_on=child.established_on,
                    is_graded=default_is_graded(kind=child.kind, depth=depth),
                )
                rows.append(child.org)
                place(child, path, depth + 1)

        assert plan.org is not None
        place(plan, plan.org.path, plan.org.depth + 1)
        rows.sort(key=lambda o: o.path)
        Organization.objects.bulk_create(rows, batch_size=500)
        Organization.objects.filter(pk=plan.org.pk).update(numchild=len(plan.children))
        OrgChange.objects.bulk_create(
            [
                OrgChange(
                    organization=org,
                    kind=ChangeKind.CREATED,
                    new_name=org.name,
                    new_kind=org.kind,
                    effective_on=org.established_on,
                    note="演示数据",
                )
                for org in [plan.org, *rows]
            ],
            batch_size=500,
        )

    def write_members(self, nodes: list[Node]) -> None:
        members: list[Member] = []
        for node in nodes:
            assert node.org is not None
            for i in range(node.size):
                if node.full_count is not None:
                    probationary = i >= node.full_count
                elif node.all_full:
                    probationary = False
                else:
                    # never push a branch below 3 full members by accident: only the B1 case shows that finding
                    probationary = i >= 3 and self.rng.random() < 0.055
                members.append(self.people.member(node.org, node.field, probationary=probationary))
        # A handful under 留党察看 (one in the seed village, whose election the demo walks through).
        seed_village = [m for m in members if m.organization.code == SEED_VILLAGE_CODE]
        pool = [m for m in members if m.status == MemberStatus.FULL]
        for member in [seed_village[-1], *self.rng.sample(pool, max(2, round(len(pool) / 1800)))]:
            member.under_party_probation = True
        Member.objects.bulk_create(members, batch_size=1000)
        self.members_by_org: dict[int, list[Member]] = defaultdict(list)
        for member in members:
            self.members_by_org[member.organization.pk].append(member)

    def seats_for(self, node: Node, full: int) -> int:
        if node.kind in {OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH}:
            return 7 if node.field == OrgField.COMMUNITY else 5
        if node.field == OrgField.RURAL:
            return 5 if full >= 30 else 3  # B5: 3–5, usually 3
        if node.field == OrgField.COMMUNITY:
            return self.rng.choice([5, 5, 7])  # B5: 5–9, one deputy
        if full >= COMMITTEE_REQUIRED_FROM_FULL_MEMBERS:
            return self.rng.choice([3, 3, 5])  # B3: 3–5
        return 1  # fewer than 7 full members: a secretary only

    def elected_on(self, node: Node) -> date:
        """Spread over 2021–2025 so some terms are overdue on REFERENCE_DATE and some end within 6 months."""
        five_years = node.field in {OrgField.RURAL, OrgField.COMMUNITY} or node.kind == OrgKind.COMMITTEE
        if five_years:
            return self.day(2021, 2022) if self.rng.random() < 0.6 else self.day(2023, 2025)
        return self.day(2023, 2024) if self.rng.random() < 0.45 else self.day(2024, 2025)

    def write_committees(self, nodes: list[Node]) -> None:
        graded = [n for n in nodes if n.org is not None and n.org.is_graded and not n.no_committee]
        terms: list[CommitteeTerm] = []
        crews: list[tuple[CommitteeTerm, list[tuple[Member, str]]]] = []
        for node in graded:
            assert node.org is not None
            pool = [m for sub in node.walk() if sub.org is not None for m in self.members_by_org[sub.org.pk]]
            full_members = [m for m in pool if m.status == MemberStatus.FULL and not m.under_party_probation]
            preferred = [m for m in full_members if not m.is_migrant and 25 <= m.age_on(REFERENCE_DATE) <= 62]
            full = sum(1 for m in pool if m.status == MemberStatus.FULL)
            seats = min(self.seats_for(node, full), len(full_members))
            if seats == 0:
                continue
            elected = max(self.elected_on(node), node.org.established_on or date(2000, 1, 1))
            term = CommitteeTerm(
                organization=node.org,
                elected_on=elected,
                seats=seats,
                ends_on=term_end(elected_on=elected, kind=node.kind, field=node.field),
            )
            # working-age, resident members first; retired or absent ones only when a branch has no one else
            chosen = self.rng.sample(preferred, min(seats, len(preferred)))
            chosen += self.rng.sample([m for m in full_members if m not in chosen], seats - len(chosen))
            posts = [Post.SECRETARY]
            if node.field == OrgField.COMMUNITY or node.kind in {OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH}:
                posts.append(Post.DEPUTY_SECRETARY)
            posts += [Post.COMMITTEE_MEMBER] * seats
            terms.append(term)
            crews.append((term, list(zip(chosen, posts, strict=False))))
        CommitteeTerm.objects.bulk_create(terms, batch_size=500)
        positions = [
            Position(organization=term.organization, member=member, post=post, term=term, started_on=term.elected_on)
            for term, crew in crews
            for member, post in crew
        ]
        Position.objects.bulk_create(positions, batch_size=1000)
        self.secretaries = {p.organization.pk: p.member for p in positions if p.post == Post.SECRETARY}

    def write_accounts(self, plan: Node, nodes: list[Node]) -> None:
        assert plan.org is not None
        user_model = get_user_model()
        password = make_password(DEMO_PASSWORD)  # hashed once: 400 hashes would take most of the run
        grants: list[tuple[Any, Organization, Role]] = []

        def account(
            username: str, grant: tuple[Organization, Role] | None, person: tuple[str, str] | None = None
        ) -> Any:
            surname, given = person or self.people.name()
            user = user_model(username=username, password=password, first_name=f"{surname}{given}")  # 姓名, one field
            if grant is not None:
                grants.append((user, *grant))
            return user

        users = [account("district", (plan.org, Role.DISTRICT_STAFF))]
        townships = [child.org for child in plan.children if child.org is not None]
        users += [account(f"township{i:02d}", (org, Role.TOWNSHIP_STAFF)) for i, org in enumerate(townships, start=1)]
        graded = sorted((n.org for n in nodes if n.org is not None and n.org.is_graded), key=lambda o: o.path)
        for i, org in enumerate(graded, start=1):
            secretary = self.secretaries.get(org.pk)
            person = (secretary.name[0], secretary.name[1:]) if secretary is not None else None
            users.append(account(f"branch{i:04d}", (org, Role.BRANCH_SECRETARY), person))
        # The liaison leader follows three villages of T02 and one of T05, not a whole township.
        liaison = account("liaison01", None)
        villages = [o for o in graded if o.field == OrgField.RURAL and o.kind == OrgKind.BRANCH and o.depth == 3]
        followed = [o for o in villages if o.code.startswith("T02-")][:3]
        followed += [o for o in villages if o.code.startswith("T05-")][:1]
        grants += [(liaison, org, Role.LIAISON_LEADER) for org in followed]
        users += [liaison, account("viewer01", (townships[2], Role.VIEWER))]
        user_model.objects.bulk_create(users, batch_size=500)
        for user, org, role in grants:
            role_grant(actor=None, user=user, organization=org, role=role)
