"""The shared base data of tests/shared_data.py: built once for consecutive tests, yet each test starts from it
unchanged. The tests run in this order (one module is one unit of work for pytest-xdist too)."""

from __future__ import annotations

import pytest

from organizations.models import Member, Organization
from tests import shared_data

SEEN: dict[str, int] = {}


def test_a_test_writes_to_the_base_data_and_its_objects(tree, users, members):
    SEEN["builds"] = shared_data._STACK.builds
    Organization.objects.filter(pk=tree.village_a1.pk).update(name="改过的名字")
    tree.village_a1.name = "改过的名字"  # in memory only
    Member.objects.filter(pk=members["a1"][0].pk).delete()
    users.sec_a1.first_name = "张三"
    users.sec_a1.save()


def test_the_next_test_gets_the_same_rows_unchanged_and_its_own_objects(tree, users, members):
    assert shared_data._STACK.builds == SEEN["builds"], "the base data was built again: the stack was not kept"
    assert Organization.objects.get(pk=tree.village_a1.pk).name == "东风村党支部"
    assert tree.village_a1.name == "东风村党支部"
    assert Member.objects.filter(organization=tree.village_a1).count() == len(members["a1"]) == 8
    users.sec_a1.refresh_from_db()
    assert users.sec_a1.first_name != "张三"


def test_a_test_without_the_base_data_sees_an_empty_database(db):
    assert not Organization.objects.exists() and not Member.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_builds_its_own_and_commits_it(tree):
    assert Organization.objects.count() == 7


def test_after_a_transactional_test_the_base_data_is_built_again(tree):
    assert Organization.objects.count() == 7  # the flush emptied the tables, the stack was built anew
