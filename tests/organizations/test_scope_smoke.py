from organizations.roles import Perm
from organizations.scope import can, visible_organizations


def test_grant_covers_subtree_not_siblings_or_ancestors(users, tree):
    assert can(users.ts_a, Perm.VIEW_RECORDS, tree.branch_a21)
    assert not can(users.ts_a, Perm.VIEW_RECORDS, tree.community_b1)
    assert not can(users.ts_a, Perm.VIEW_RECORDS, tree.district)
    assert set(visible_organizations(users.sec_a1)) == {tree.village_a1}
    assert visible_organizations(users.ds).count() == 7
    assert not can(users.liaison, Perm.EDIT_ROSTER, tree.branch_a21)
    assert visible_organizations(users.nobody).count() == 0
