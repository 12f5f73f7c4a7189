"""Every organization page × every role × an object inside and outside the role's scope.

Expected answers come from the roles table, not from the code under test: out of scope is 404 (exactly like a
missing object), in scope without the permission 403, allowed 200; anonymous visitors go to the login page.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from organizations.models import Position, RoleAssignment
from organizations.roles import ROLE_PERMISSIONS, Perm, Role

# url name → (kind of object in the URL, permission the page needs)
PAGES = {
    "org_detail": ("org", Perm.VIEW_RECORDS),
    "org_edit": ("org", Perm.RESTRUCTURE),
    "reorganization_start": ("org", Perm.EDIT_ROSTER),
    "member_list": ("org", Perm.VIEW_RECORDS),
    "member_create": ("org", Perm.EDIT_ROSTER),
    "members_move": ("org", Perm.EDIT_ROSTER),
    "term_create": ("org", Perm.EDIT_ROSTER),
    "position_create": ("org", Perm.EDIT_ROSTER),
    "roles": ("org", Perm.GRANT_ROLES),
    "member_detail": ("member", Perm.VIEW_RECORDS),
    "member_edit": ("member", Perm.EDIT_ROSTER),
    "position_end": ("position", Perm.EDIT_ROSTER),
}

# user → (role, the organizations where it was granted)
HOLDINGS = {
    "ds": (Role.DISTRICT_STAFF, ["district"]),
    "ts_a": (Role.TOWNSHIP_STAFF, ["township_a"]),
    "ts_b": (Role.TOWNSHIP_STAFF, ["township_b"]),
    "sec_a1": (Role.BRANCH_SECRETARY, ["village_a1"]),
    "sec_b1": (Role.BRANCH_SECRETARY, ["community_b1"]),
    "liaison": (Role.LIAISON_LEADER, ["branch_a21", "community_b1"]),
    "viewer_a": (Role.VIEWER, ["township_a"]),
    "nobody": (None, []),
}
TARGET_ORGS = ["village_a1", "branch_a21", "community_b1"]


def expected_status(tree, username: str, org_attr: str, perm: Perm) -> int:
    role, anchors = HOLDINGS[username]
    target = getattr(tree, org_attr)
    covering = [a for a in anchors if target.path.startswith(getattr(tree, a).path)]
    if not covering:
        return 404
    return 200 if perm in ROLE_PERMISSIONS[role] else 403


@pytest.fixture
def objects(tree, users, members):
    """One member and one open position in each target organization."""
    from organizations.services.committee import position_assign

    result = {}
    for attr, key in [("village_a1", "a1"), ("branch_a21", "a21"), ("community_b1", "b1")]:
        org = getattr(tree, attr)
        member = members[key][0]
        position = position_assign(
            actor=users.ds, organization=org, member=member, post="secretary", started_on=member.joined_on
        )
        result[attr] = {"org": org.pk, "member": member.pk, "position": position.pk}
    return result


@pytest.mark.parametrize("username", list(HOLDINGS))
def test_page_matrix(client, tree, users, objects, username):
    client.force_login(getattr(users, username))
    failures = []
    for name, (kind, perm) in PAGES.items():
        for org_attr in TARGET_ORGS:
            url = reverse(f"organizations:{name}", args=[objects[org_attr][kind]])
            got = client.get(url).status_code
            want = expected_status(tree, username, org_attr, perm)
            if got != want:
                failures.append(f"{name} {org_attr}: got {got}, want {want}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", list(PAGES))
def test_anonymous_goes_to_login(client, objects, name):
    kind, _ = PAGES[name]
    response = client.get(reverse(f"organizations:{name}", args=[objects["village_a1"][kind]]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_missing_object_and_out_of_scope_look_the_same(client, users, tree):
    client.force_login(users.sec_a1)
    missing = client.get(reverse("organizations:org_detail", args=[999999]))
    other = client.get(reverse("organizations:org_detail", args=[tree.community_b1.pk]))
    assert missing.status_code == other.status_code == 404
    assert missing.content == other.content


def test_secretary_sees_no_data_of_another_organization(client, users, tree, objects):
    client.force_login(users.sec_a1)
    for path in [
        reverse("organizations:org_list"),
        reverse("organizations:setup_findings"),
        reverse("organizations:terms_expiring"),
    ]:
        body = client.get(path).content.decode()
        assert "南门社区" not in body and "东风镇中学" not in body, path


@pytest.mark.parametrize(
    ("username", "township_attr", "status"),
    [
        ("ts_a", "township_a", 200),
        ("ts_a", "township_b", 404),
        ("viewer_a", "township_a", 200),
        ("sec_a1", "township_a", 404),
        ("ds", "township_b", 200),
        ("liaison", "township_a", 404),
    ],
)
def test_township_page_scope(client, users, tree, username, township_attr, status):
    client.force_login(getattr(users, username))
    assert client.get(reverse("organizations:township", args=[getattr(tree, township_attr).pk])).status_code == status


@pytest.mark.parametrize(("username", "status"), [("ds", 200), ("ts_a", 404), ("sec_a1", 404), ("viewer_a", 404)])
def test_district_overview_only_for_district(client, users, username, status):
    client.force_login(getattr(users, username))
    assert client.get(reverse("organizations:district_overview")).status_code == status


@pytest.mark.parametrize(
    ("username", "home"),
    [
        ("ds", "district"),
        ("ts_a", "township"),
        ("viewer_a", "township"),
        ("sec_a1", "secretary"),
        ("liaison", "liaison"),
    ],
)
def test_each_role_lands_on_its_home(client, users, tree, username, home):
    client.force_login(getattr(users, username))
    location = client.get("/")["Location"]
    expected = {
        "district": reverse("organizations:district_overview"),
        "township": reverse("organizations:township", args=[tree.township_a.pk]),
        "secretary": reverse("organizations:org_detail", args=[tree.village_a1.pk]),
        "liaison": reverse("organizations:org_list"),
    }[home]
    assert location == expected


def test_revoke_out_of_scope_is_404_and_changes_nothing(client, users, tree):
    grant = RoleAssignment.objects.get(user=users.sec_b1)
    client.force_login(users.ts_a)
    assert client.post(reverse("organizations:role_revoke", args=[grant.pk])).status_code == 404
    assert RoleAssignment.objects.get(pk=grant.pk).revoked_at is None


def test_position_end_out_of_scope(client, users, objects):
    client.force_login(users.ts_a)
    position = Position.objects.get(pk=objects["community_b1"]["position"])
    assert (
        client.post(reverse("organizations:position_end", args=[position.pk]), {"ended_on": "2026-01-01"}).status_code
        == 404
    )
    position.refresh_from_db()
    assert position.ended_on is None
