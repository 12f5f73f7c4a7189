"""Shared fixtures: a small district tree and one user per role.

district (区委)
├── township A (镇党委)           township_staff: ts_a, viewer: viewer_a
│   ├── village A1 (村党支部, rural)   branch_secretary: sec_a1
│   ├── general branch A2 (党总支)
│   │   └── branch A2-1 (党支部)        liaison_leader: liaison (also at B1)
│   └── ...
└── township B (街道党工委)       township_staff: ts_b
    └── community B1 (社区党支部)     branch_secretary: sec_b1
district_staff: ds at the district.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

pytest.register_assert_rewrite("tests.shared_data")

from tests.calendar_support import written_on  # noqa: E402, F401  (a fixture for every test module)
from tests.shared_data import builder, shared_value  # noqa: E402

pytest_plugins = ["tests.services", "tests.shared_data"]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# The test databases are created from the models (``--nomigrations`` in pyproject.toml): running the migrations took
# about 20 s of CPU in each test process (three per `make test`), most of it Django re-rendering the migration state.
# The models and the migrations are kept equal by tests/partybuild/test_migrations.py (``makemigrations --check``, and
# a fresh database migrated for real); what a migration does beyond the models is done here, and that test lists it.
NOT_IN_THE_MODELS = {"organizations.0007_member_name_trigram": "the trigram index of member names (PostgreSQL)"}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from importlib import import_module

    from django.db import connections

    trigram = import_module("organizations.migrations.0007_member_name_trigram")
    with django_db_blocker.unblock():
        for connection in connections.all():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    for statement in trigram.CREATE:
                        cursor.execute(statement)


@dataclass
class Tree:
    district: object
    township_a: object
    township_b: object
    village_a1: object
    general_a2: object
    branch_a21: object
    community_b1: object


@pytest.fixture
def _django_db_helper(_shared_stack, _django_db_helper):
    """pytest-django's per-test transaction, opened inside the stack of shared base data (tests/shared_data.py)."""
    return _django_db_helper


@pytest.fixture
def tree(db) -> Tree:
    return shared_value("tree", build_tree)


@builder("tree")
def build_tree() -> Tree:
    from organizations.models import OrgField, OrgKind
    from organizations.services import tree as services

    district = services.organization_create(
        actor=None, parent=None, code="D", name="示范区委", kind=OrgKind.COMMITTEE, check_permission=False
    )
    t_a = services.organization_create(
        actor=None, parent=district, code="T01", name="东风镇党委", kind=OrgKind.COMMITTEE, check_permission=False
    )
    t_b = services.organization_create(
        actor=None,
        parent=district,
        code="T02",
        name="城关街道党工委",
        kind=OrgKind.WORKING_COMMITTEE,
        check_permission=False,
    )
    a1 = services.organization_create(
        actor=None,
        parent=t_a,
        code="T01-001",
        name="东风村党支部",
        kind=OrgKind.BRANCH,
        field=OrgField.RURAL,
        check_permission=False,
    )
    a2 = services.organization_create(
        actor=None,
        parent=t_a,
        code="T01-002",
        name="东风镇中学党总支",
        kind=OrgKind.GENERAL_BRANCH,
        field=OrgField.SCHOOL,
        check_permission=False,
    )
    a21 = services.organization_create(
        actor=None,
        parent=a2,
        code="T01-002-01",
        name="东风镇中学第一党支部",
        kind=OrgKind.BRANCH,
        field=OrgField.SCHOOL,
        check_permission=False,
    )
    b1 = services.organization_create(
        actor=None,
        parent=t_b,
        code="T02-001",
        name="南门社区党支部",
        kind=OrgKind.BRANCH,
        field=OrgField.COMMUNITY,
        check_permission=False,
    )
    from organizations.models import Organization

    def fresh(o):
        return Organization.objects.get(pk=o.pk)

    return Tree(*(fresh(o) for o in (district, t_a, t_b, a1, a2, a21, b1)))


@dataclass
class Users:
    ds: object
    ts_a: object
    ts_b: object
    sec_a1: object
    sec_b1: object
    liaison: object
    viewer_a: object
    nobody: object


@pytest.fixture
def users(tree) -> Users:
    return shared_value("users", lambda: build_users(tree))


@builder("users")
def build_users(tree: Tree) -> Users:
    from organizations.roles import Role
    from organizations.services.grants import role_grant
    from tests.factories import UserFactory

    def make(name, role=None, *orgs):
        user = UserFactory(username=name)
        for org in orgs:
            role_grant(actor=None, user=user, organization=org, role=role)
        return user

    return Users(
        ds=make("ds", Role.DISTRICT_STAFF, tree.district),
        ts_a=make("ts_a", Role.TOWNSHIP_STAFF, tree.township_a),
        ts_b=make("ts_b", Role.TOWNSHIP_STAFF, tree.township_b),
        sec_a1=make("sec_a1", Role.BRANCH_SECRETARY, tree.village_a1),
        sec_b1=make("sec_b1", Role.BRANCH_SECRETARY, tree.community_b1),
        liaison=make("liaison", Role.LIAISON_LEADER, tree.branch_a21, tree.community_b1),
        viewer_a=make("viewer_a", Role.VIEWER, tree.township_a),
        nobody=make("nobody"),
    )


@pytest.fixture
def members(tree):
    """A few members in each organization (village A1: 8, B1: 4, A2-1: 3)."""
    return shared_value("members", lambda: build_members(tree))


@builder("members")
def build_members(tree: Tree):
    from tests.factories import MemberFactory

    return {
        "a1": MemberFactory.create_batch(8, organization=tree.village_a1),
        "b1": MemberFactory.create_batch(4, organization=tree.community_b1),
        "a21": MemberFactory.create_batch(3, organization=tree.branch_a21),
    }


# pytest-xdist (`make test` runs two workers): a module is one unit of work (its module fixtures are built once, and
# consecutive tests share the base data of tests/shared_data.py); a package whose fixtures are wider than a module
# goes to one worker whole.
ONE_WORKER_PACKAGES = ("tests/browser/crawl/", "tests/demo/")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class ByModule(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            for package in ONE_WORKER_PACKAGES:
                if nodeid.startswith(package):
                    return package
            return super()._split_scope(nodeid)

    return ByModule(config, log)


# The longest units of work first, so that neither xdist worker is left with one at the end while the other idles
# (the scheduler hands out units in collection order); the order inside a unit is unchanged.
LONGEST_FIRST = ("tests/browser/crawl/", "tests/demo/", "tests/test_scope_enumeration.py", "tests/browser/")


# Tests of the crawl package that change its committed demo (on PostgreSQL the live server's writes are committed):
# after the package's other tests, which read the demo as load_demo built it.
WRITES_LAST = ("tests/browser/crawl/test_circulars_journey.py", "tests/browser/crawl/test_election_demo.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> tuple[int, bool]:
        first = next(
            (n for n, prefix in enumerate(LONGEST_FIRST) if item.nodeid.startswith(prefix)), len(LONGEST_FIRST)
        )
        return first, item.nodeid.startswith(WRITES_LAST)

    items.sort(key=rank)
