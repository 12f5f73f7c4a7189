"""The demo district: a small build has the seed cases, valid data, working accounts, and is repeatable."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db import transaction
from django.test import RequestFactory

from core.models import Event
from organizations.demo.district import DemoSummary, build_demo, demo_root, reset_demo
from organizations.demo.plan import (
    DEMO_PASSWORD,
    LARGE_VILLAGE_CODE,
    NO_COMMITTEE_CODE,
    REFERENCE_DATE,
    SEED_VILLAGE_CODE,
    TWO_FULL_CODE,
)
from organizations.models import (
    CommitteeTerm,
    Member,
    MemberStatus,
    Organization,
    OrganizationUserObjectPermission,
    OrgKind,
    Position,
    RoleAssignment,
)
from organizations.roles import Perm
from organizations.rules import Severity, id_check_digit, id_number_is_valid, setup_findings
from organizations.scope import can, visible_organizations
from organizations.selectors import facts_of, organization_list_with_counts

SMALL = 0.1


def demo_fingerprint() -> str:
    """Everything a second build must reproduce: the tree, the members and the committees."""
    digest = hashlib.sha256()
    for row in Organization.objects.order_by("path").values_list("path", "code", "name", "kind", "field", "numchild"):
        digest.update(repr(row).encode())
    for row in Member.objects.order_by("id_number").values_list(
        "organization__code",
        "name",
        "gender",
        "birth_date",
        "joined_on",
        "status",
        "id_number",
        "phone",
        "education",
        "occupation",
        "is_migrant",
        "under_party_probation",
    ):
        digest.update(repr(row).encode())
    for row in Position.objects.order_by("organization__path", "post", "member__id_number").values_list(
        "organization__code", "post", "member__id_number", "term__elected_on", "term__ends_on"
    ):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def demo_counts() -> dict[str, int]:
    return {
        "organizations": Organization.objects.count(),
        "members": Member.objects.count(),
        "terms": CommitteeTerm.objects.count(),
        "positions": Position.objects.count(),
        "users": get_user_model().objects.count(),
        "roles": RoleAssignment.objects.count(),
        "permissions": OrganizationUserObjectPermission.objects.count(),
        "events": Event.objects.count(),
    }


def test_id_check_digit_follows_gb11643():
    assert id_check_digit("11010519491231002") == "X"
    assert id_number_is_valid("11010519491231002X")
    assert not id_number_is_valid("110105194912310021")


@pytest.fixture(scope="module")
def small_build(django_db_setup, django_db_blocker) -> Iterator[tuple[DemoSummary, str, dict[str, int]]]:
    """The small district built once for the module, inside a transaction rolled back at the end (each test runs in
    a savepoint of its own within it): its summary, fingerprint and counts."""
    with django_db_blocker.unblock(), transaction.atomic():
        summary = build_demo(scale=SMALL)
        yield summary, demo_fingerprint(), demo_counts()
        transaction.set_rollback(True)


@pytest.fixture
def small(small_build, db) -> DemoSummary:
    return small_build[0]


def test_small_build_has_the_seed_cases_and_plausible_data(small):
    summary = small

    assert summary.created
    assert summary.townships == 12
    assert 60 <= summary.graded <= 160
    assert 1000 <= summary.members <= 4000
    assert summary.accounts == summary.graded + 15  # district, 12 townships, liaison, viewer
    assert Organization.objects.find_problems() == ([], [], [], [], [])

    district = get_user_model().objects.get(username="district")  # the demo's district account reads everything
    graded = organization_list_with_counts(district).filter(is_graded=True)
    assert all(o.depth >= 3 and o.kind != OrgKind.PARTY_GROUP for o in graded)
    assert Organization.objects.filter(kind=OrgKind.PARTY_GROUP, is_graded=True).count() == 0
    assert Organization.objects.filter(kind=OrgKind.PARTY_GROUP).exists()
    assert Organization.objects.filter(kind=OrgKind.GENERAL_BRANCH, numchild__gte=2).exists()
    assert all(2 <= o.units_covered <= 5 for o in Organization.objects.filter(kind=OrgKind.JOINT_BRANCH))

    def rules(code: str) -> set[tuple[str, Severity]]:
        return {(f.rule, f.severity) for f in setup_findings(facts_of(district, graded.get(code=code)))}

    village = graded.get(code=SEED_VILLAGE_CODE)
    assert (village.name, village.depth, village.total_members) == ("洞村党支部", 3, 79)
    assert village.path.startswith(Organization.objects.get(code="T01").path)
    assert ("B4", Severity.ELIGIBLE) in rules(SEED_VILLAGE_CODE)
    assert graded.get(code=LARGE_VILLAGE_CODE).total_members >= 100
    assert graded.get(code=TWO_FULL_CODE).full_members == 2
    assert ("B1", Severity.ERROR) in rules(TWO_FULL_CODE)
    assert graded.get(code=NO_COMMITTEE_CODE).full_members >= 7
    assert ("B3", Severity.WARNING) in rules(NO_COMMITTEE_CODE)
    # the special cases are the only B1/B3 findings: everything else is set up by the rules
    flagged = {o.code for o in graded for f in setup_findings(facts_of(district, o)) if f.rule in {"B1", "B3"}}
    assert flagged == {TWO_FULL_CODE, NO_COMMITTEE_CODE}

    members = list(Member.objects.all())
    assert len({m.id_number for m in members}) == len(members)
    assert all(id_number_is_valid(m.id_number) for m in members)
    assert all(m.id_number[6:14] == f"{m.birth_date:%Y%m%d}" for m in members)
    assert all(len(m.phone) == 11 and m.phone.startswith("1") for m in members)
    assert all(22 <= m.age_on(REFERENCE_DATE) <= 85 for m in members)
    assert all(m.age_on(m.joined_on) >= 18 for m in members)
    probationary = [m for m in members if m.status == MemberStatus.PROBATIONARY]
    assert all(REFERENCE_DATE - m.joined_on <= timedelta(days=365) for m in probationary)
    assert 0.02 <= len(probationary) / len(members) <= 0.08
    assert 0.2 <= sum(m.gender == "female" for m in members) / len(members) <= 0.4
    assert 0.01 <= sum(m.is_migrant for m in members) / len(members) <= 0.08
    assert all(m.migrant_note for m in members if m.is_migrant)
    assert sum(m.under_party_probation for m in members) >= 2

    terms = CommitteeTerm.objects.all()
    assert terms.count() == summary.graded - 1  # the B3 case has no committee
    assert terms.filter(ends_on__lt=REFERENCE_DATE).exists()
    soon = REFERENCE_DATE + timedelta(days=183)
    assert terms.filter(ends_on__gte=REFERENCE_DATE, ends_on__lt=soon).exists()


def test_accounts_log_in_and_see_their_subtree(small):
    user_model = get_user_model()
    request = RequestFactory().post("/accounts/login/")

    assert authenticate(request, username="branch0001", password=DEMO_PASSWORD) is not None
    secretary = user_model.objects.get(username="branch0001")
    # 姓名 as one field, surname first, no space (core.names)
    assert secretary.last_name == "" and re.fullmatch(r"[\u4e00-\u9fff]{2,4}", secretary.first_name)
    assert [o.code for o in visible_organizations(secretary)] == [SEED_VILLAGE_CODE]  # first graded by path

    township01 = user_model.objects.get(username="township01")
    t01, t02 = Organization.objects.get(code="T01"), Organization.objects.get(code="T02")
    visible = visible_organizations(township01)
    assert visible.filter(code=SEED_VILLAGE_CODE).exists()
    assert visible.count() == Organization.objects.filter(path__startswith=t01.path).count()
    assert not visible.filter(path__startswith=t02.path).exists()
    assert can(township01, Perm.RESTRUCTURE, t01) and not can(township01, Perm.VIEW_RECORDS, t02)

    assert visible_organizations(user_model.objects.get(username="district")).count() == Organization.objects.count()
    liaison = visible_organizations(user_model.objects.get(username="liaison01"))
    assert sorted(o.code[:3] for o in liaison if o.is_graded) == ["T02", "T02", "T02", "T05"]
    viewer = user_model.objects.get(username="viewer01")
    assert {o.township_path() for o in visible_organizations(viewer)} == {Organization.objects.get(code="T03").path}
    assert not can(viewer, Perm.EDIT_ROSTER, Organization.objects.get(code="T03"))

    graded = Organization.objects.filter(is_graded=True).order_by("path")
    secretaries = RoleAssignment.objects.filter(role="branch_secretary").select_related("user", "organization")
    assert {a.organization.pk: a.user.username for a in secretaries} == {
        org.pk: f"branch{i:04d}" for i, org in enumerate(graded, start=1)
    }


def test_second_build_changes_nothing(small, small_build):
    again = build_demo(scale=SMALL)

    assert not again.created
    assert demo_counts() == small_build[2]


def test_build_is_deterministic_and_reset_removes_everything(small, small_build):
    first = small_build[1]

    reset_demo()
    assert demo_root() is None
    assert demo_counts() == {
        "organizations": 0,
        "members": 0,
        "terms": 0,
        "positions": 0,
        "users": 0,
        "roles": 0,
        "permissions": 0,
        "events": 0,
    }

    build_demo(scale=SMALL)
    assert demo_fingerprint() == first


def test_full_build_meets_the_targets(small):
    """The full district (about 10 s on SQLite, 10–15 s on PostgreSQL on 2 cores), in place of the small one."""
    reset_demo()
    summary = build_demo()

    assert summary.townships == 12
    assert 380 <= summary.graded <= 420
    assert 9000 <= summary.members <= 11000
    assert summary.accounts == summary.graded + 15
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    assert Member.objects.filter(organization__code=SEED_VILLAGE_CODE, left_on__isnull=True).count() == 79
