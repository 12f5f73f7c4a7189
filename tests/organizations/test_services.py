"""Restructuring, members, terms and roles through their services: permission, validation, history, audit."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import Event
from organizations.models import ChangeKind, Member, MemberTransfer, Organization, OrgChange, OrgKind, RoleAssignment
from organizations.roles import Perm, Role
from organizations.scope import can
from organizations.services.committee import position_assign, term_create
from organizations.services.grants import role_grant, role_permissions_sync_all, role_revoke
from organizations.services.members import member_update
from organizations.services.tree import members_move, organization_upgrade, sub_branch_create
from tests.factories import MemberFactory


def test_upgrade_branch_to_general_branch_keeps_history(users, tree):
    MemberFactory.create_batch(51, organization=tree.village_a1)  # over 50: may become a 党总支 (B4)
    org = organization_upgrade(
        actor=users.ts_a,
        organization=tree.village_a1,
        new_kind=OrgKind.GENERAL_BRANCH,
        new_name="东风村党总支",
        effective_on=date(2026, 5, 1),
        note="镇党委批复",
    )
    assert org.kind == OrgKind.GENERAL_BRANCH and org.name == "东风村党总支"
    change = OrgChange.objects.get(organization=org, kind=ChangeKind.UPGRADED)
    assert (change.old_name, change.old_kind) == ("东风村党支部", OrgKind.BRANCH)
    assert Event.objects.filter(verb="organization.upgrade", org_path=org.path, actor=users.ts_a).exists()


def test_secretary_cannot_restructure(users, tree):
    with pytest.raises(PermissionDenied):
        organization_upgrade(
            actor=users.sec_a1,
            organization=tree.village_a1,
            new_kind=OrgKind.GENERAL_BRANCH,
            new_name="x",
            effective_on=date(2026, 5, 1),
        )


def test_sub_branch_requires_general_branch(users, tree):
    with pytest.raises(ValidationError, match="升格"):
        sub_branch_create(
            actor=users.ts_a, parent=tree.village_a1, code="T01-001-01", name="x", effective_on=date(2026, 5, 1)
        )


def test_split_into_sub_branches_moves_members_with_history(users, tree, members):
    MemberFactory.create_batch(45, organization=tree.village_a1)  # 53 members: may become a 党总支 (B4)
    general = organization_upgrade(
        actor=users.ts_a,
        organization=tree.village_a1,
        new_kind=OrgKind.GENERAL_BRANCH,
        new_name="东风村党总支",
        effective_on=date(2026, 5, 1),
    )
    moving = members["a1"][:3]
    child = sub_branch_create(
        actor=users.ts_a,
        parent=general,
        code="T01-001-01",
        name="松脂协会党支部",
        members=moving,
        effective_on=date(2026, 5, 2),
    )
    assert Organization.objects.get_parent(child).pk == general.pk and child.is_graded
    assert set(Member.objects.filter(organization=child)) == set(moving)
    assert MemberTransfer.objects.filter(from_org=general, to_org=child).count() == 3
    assert OrgChange.objects.filter(organization=general, kind=ChangeKind.SUB_CREATED).exists()
    # the township, and the secretary of the old branch (now general branch), see the new sub-branch
    assert can(users.sec_a1, Perm.VIEW_RECORDS, child)
    assert not can(users.ts_b, Perm.VIEW_RECORDS, child)


def test_move_members_across_scope_refused(users, tree, members):
    with pytest.raises(PermissionDenied):
        members_move(actor=users.ts_a, members=members["b1"][:1], to_org=tree.village_a1, moved_on=date(2026, 5, 1))
    assert Member.objects.filter(organization=tree.community_b1).count() == 4


def test_member_stale_save_refused(users, tree, members):
    member = members["a1"][0]
    seen = member.updated_at
    member_update(actor=users.sec_a1, member=member, expected_updated_at=seen, occupation="教师")
    with pytest.raises(ValidationError, match="已被他人修改"):
        member_update(actor=users.sec_a1, member=member, expected_updated_at=seen, occupation="医生")
    member.refresh_from_db()
    assert member.occupation == "教师"


def test_member_update_event_masks_personal_data(users, members):
    member = members["a1"][0]
    member_update(actor=users.sec_a1, member=member, phone="13800000000")
    event = Event.objects.filter(verb="member.update").latest("pk")
    assert "13800000000" not in str(event.before) + str(event.after)


def test_term_end_by_b6_and_seat_limit(users, tree, members):
    term = term_create(actor=users.sec_a1, organization=tree.village_a1, elected_on=date(2021, 11, 20), seats=3)
    assert term.ends_on == date(2026, 11, 20)
    with pytest.raises(ValidationError, match="最多不超过7人"):
        term_create(actor=users.sec_a1, organization=tree.village_a1, elected_on=date(2021, 11, 20), seats=8)


def test_role_grant_scope(users, tree):
    target = users.nobody
    role_grant(actor=users.ts_a, user=target, organization=tree.village_a1, role=Role.BRANCH_SECRETARY)
    assert can(target, Perm.EDIT_ROSTER, tree.village_a1)
    with pytest.raises(PermissionDenied):  # township staff grant branch secretaries only
        role_grant(actor=users.ts_a, user=target, organization=tree.village_a1, role=Role.TOWNSHIP_STAFF)
    with pytest.raises(PermissionDenied):  # never outside the subtree
        role_grant(actor=users.ts_a, user=target, organization=tree.community_b1, role=Role.BRANCH_SECRETARY)
    with pytest.raises(PermissionDenied):
        role_grant(actor=users.sec_a1, user=target, organization=tree.village_a1, role=Role.VIEWER)


def test_role_revoke_removes_permissions_but_keeps_other_roles(users, tree):
    user = users.nobody
    a = role_grant(actor=users.ds, user=user, organization=tree.township_a, role=Role.VIEWER)
    role_grant(actor=users.ds, user=user, organization=tree.township_a, role=Role.TOWNSHIP_STAFF)
    role_revoke(actor=users.ds, assignment=RoleAssignment.objects.get(user=user, role=Role.TOWNSHIP_STAFF))
    fresh = type(user).objects.get(pk=user.pk)
    assert can(fresh, Perm.VIEW_RECORDS, tree.village_a1) and not can(fresh, Perm.EDIT_ROSTER, tree.village_a1)
    role_revoke(actor=users.ds, assignment=a)
    fresh = type(user).objects.get(pk=user.pk)
    assert not can(fresh, Perm.VIEW_RECORDS, tree.village_a1)


def test_79_member_finding_leads_into_the_reorganization_workflow(client, users, tree):
    """第三篇 五: the page that says "可成立党总支" offers the request (请示/批复), not a one-click upgrade."""
    MemberFactory.create_batch(79, organization=tree.village_a1)
    client.force_login(users.ts_a)
    page = client.get(reverse("organizations:org_detail", args=[tree.village_a1.pk])).content.decode()
    assert "79名党员:可成立党总支" in page and "发起组织设置调整" in page and "升格/改设" not in page
    response = client.post(
        reverse("organizations:reorganization_start", args=[tree.village_a1.pk]),
        {"kind": "upgrade", "new_kind": "general_branch", "new_name": "东风村党总支", "plan": "升格为党总支"},
    )
    assert response.status_code == 302
    page = client.get(reverse("organizations:org_detail", args=[tree.village_a1.pk])).content.decode()
    assert "改设为党总支" in page and "起草方案" in page
    assert Organization.objects.get(pk=tree.village_a1.pk).kind == OrgKind.BRANCH


def test_member_form_keeps_input_on_error(client, users, tree):
    client.force_login(users.sec_a1)
    response = client.post(
        reverse("organizations:member_create", args=[tree.village_a1.pk]),
        {
            "name": "张三",
            "gender": "male",
            "birth_date": "not-a-date",
            "education": "bachelor",
            "joined_on": "2010-07-01",
            "status": "full",
            "id_number": "123",
            "ethnicity": "汉族",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "张三" in body and "身份证号应为18位" in body
    assert not Member.objects.filter(name="张三").exists()


def test_sync_all_adds_new_permissions_and_removes_stale_ones(users, tree):
    from django.contrib.auth.models import Permission

    from organizations.models import OrganizationUserObjectPermission as Row

    Row.objects.filter(user=users.sec_a1, permission__codename="self_assess").delete()
    grant = Permission.objects.get(codename="grant_roles", content_type__app_label="organizations")
    Row.objects.create(user=users.liaison, content_object=tree.branch_a21, permission=grant)

    assert role_permissions_sync_all() == 2
    assert Row.objects.filter(user=users.sec_a1, permission__codename="self_assess").exists()
    assert not Row.objects.filter(user=users.liaison, permission__codename="grant_roles").exists()
    assert role_permissions_sync_all() == 0


def test_b3_a_term_follows_the_branch_rule_zhibu_tiaoli_art20(users, tree, members):
    """《中国共产党支部工作条例(试行)》第二十条: village A1 has 8 full members, so a term of 2 (a secretary and a
    deputy) is refused with the words the organization page shows; branch A2-1 (3 full members) may not register a
    committee."""
    with pytest.raises(ValidationError, match="正式党员8名.*应设立支部委员会"):
        term_create(actor=users.sec_a1, organization=tree.village_a1, elected_on=date(2024, 3, 1), seats=2)
    with pytest.raises(ValidationError, match="不设支部委员会"):
        term_create(actor=users.ts_a, organization=tree.branch_a21, elected_on=date(2024, 3, 1), seats=3)


# B1 and B4 in restructuring ---------------------------------------------------------------------------------


def _upgrade(actor, org, kind, note=""):
    return organization_upgrade(
        actor=actor,
        organization=org,
        new_kind=kind,
        new_name=f"{org.name}(新)",
        effective_on=date(2026, 5, 1),
        note=note,
    )


def test_b4_a_20_member_branch_does_not_become_a_committee_nongcun_tiaoli(users, tree):
    """农村条例: 党员人数100人以上的 …… 经县级地方党委批准,可以成立党委. Issue 14: a 20-member branch became a 党委."""
    MemberFactory.create_batch(20, organization=tree.village_a1)
    for actor in (users.ts_a, users.ds):
        with pytest.raises(ValidationError, match="党员20名,不足100名"):
            _upgrade(actor, tree.village_a1, OrgKind.COMMITTEE, note="批复")
    assert Organization.objects.get(pk=tree.village_a1.pk).kind == OrgKind.BRANCH


def test_b4_a_committee_of_100_needs_the_district_nongcun_tiaoli(users, tree):
    """100 members may become a 党委 only with the county-level committee's approval: the district, naming it."""
    MemberFactory.create_batch(100, organization=tree.village_a1)
    with pytest.raises(ValidationError, match="须经县级党委批准"):
        _upgrade(users.ts_a, tree.village_a1, OrgKind.COMMITTEE, note="镇党委同意")
    with pytest.raises(ValidationError, match="写明批准文件"):
        _upgrade(users.ds, tree.village_a1, OrgKind.COMMITTEE)
    org = _upgrade(users.ds, tree.village_a1, OrgKind.COMMITTEE, note="区委批复〔2026〕3号")
    assert org.kind == OrgKind.COMMITTEE


def test_b4_a_general_branch_of_50_or_fewer_needs_a_reason_the_district_approves_nongcun_tiaoli(users, tree, members):
    """农村条例: 党员人数超过50人的,或者党员人数虽不足50人、确因工作需要的,可以成立党总支. Village A1 has 8 members:
    the township is refused; the district with a written reason does it, and the history says so."""
    with pytest.raises(ValidationError, match="党员8名,未超过50名"):
        _upgrade(users.ts_a, tree.village_a1, OrgKind.GENERAL_BRANCH, note="想升格")
    with pytest.raises(ValidationError, match="写明理由"):
        _upgrade(users.ds, tree.village_a1, OrgKind.GENERAL_BRANCH)
    org = _upgrade(users.ds, tree.village_a1, OrgKind.GENERAL_BRANCH, note="景区和协会党员分散,便于管理")
    change = OrgChange.objects.get(organization=org, kind=ChangeKind.UPGRADED)
    assert change.note == "确因工作需要,经区委组织部审批:景区和协会党员分散,便于管理"
    event = Event.objects.filter(verb="organization.upgrade", org_path=org.path, actor=users.ds).get()
    assert "经区委组织部审批" in event.after["note"]


def test_b1_a_sub_branch_of_two_full_members_is_refused_zhibu_tiaoli(users, tree, members):
    """支部条例 (第四、五条): 有正式党员3人以上的,应当成立党支部; fewer form a joint branch. Issue 14:
    sub_branch_create made a 党支部 of 2 full members."""
    general = _upgrade(users.ds, tree.village_a1, OrgKind.GENERAL_BRANCH, note="试点")
    with pytest.raises(ValidationError, match="正式党员2名,不足3名"):
        sub_branch_create(
            actor=users.ts_a, parent=general, code="T01-001-01", name="小组", members=members["a1"][:2],
            effective_on=date(2026, 5, 2),
        )  # fmt: skip
    assert not Organization.objects.filter(code="T01-001-01").exists()
    joint = sub_branch_create(
        actor=users.ts_a, parent=general, code="T01-001-02", name="联合党支部", kind=OrgKind.JOINT_BRANCH,
        members=members["a1"][:2], effective_on=date(2026, 5, 2),
    )  # fmt: skip
    assert joint.kind == OrgKind.JOINT_BRANCH


def test_b3_a_first_secretary_is_not_a_committee_seat_zhibu_tiaoli_art20(users, tree, members):
    """支部条例 第二十条 counts the members the branch elects; a 第一书记 is sent by the township (第二篇 五(一)), so
    branch A2-1 (3 full members) with a secretary, a deputy and a 第一书记 has no committee and no B3 finding."""
    from organizations import selectors
    from organizations.rules import setup_findings

    org = tree.branch_a21
    for member, post in zip(members["a21"], ["secretary", "deputy_secretary", "first_secretary"], strict=True):
        position_assign(actor=users.ds, organization=org, member=member, post=post, started_on=date(2024, 3, 1))
    facts = selectors.facts_of(users.ds, selectors.organization_get_with_counts(users.ds, org.pk))
    assert facts.committee_seats == 2
    assert facts == selectors.facts_of(users.ds, Organization.objects.get(pk=org.pk))
    assert not [f for f in setup_findings(facts) if f.rule == "B3"]
    assert org.pk not in {o.pk for o in selectors.organizations_with_findings(users.ds) if o.committee_seats > 2}


def test_elected_posts_are_posts():
    from organizations.models import Post
    from organizations.rules import ELECTED_POSTS

    assert set(ELECTED_POSTS) == set(Post.values) - {Post.FIRST_SECRETARY}
