"""Writes. Each service is the one door for its change: it checks the actor's permission on the organization,
validates, saves in a transaction and writes its audit event beside the change.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from organizations.models import (
    GRADED_KINDS,
    ChangeKind,
    CommitteeTerm,
    Member,
    MemberTransfer,
    Organization,
    OrganizationUserObjectPermission,
    OrgChange,
    OrgKind,
    Position,
    RoleAssignment,
)
from organizations.roles import GRANTABLE_ROLES, ROLE_PERMISSIONS, Perm, Role
from organizations.rules import RuleViolation, check_joint_branch_units, term_end
from organizations.scope import can, forget_grants, grants_for, require
from partybuild import audit
from partybuild.names import account_label

MEMBER_FIELDS = (
    "organization",
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "education",
    "occupation",
    "joined_on",
    "status",
    "full_member_on",
    "is_migrant",
    "migrant_note",
    "under_party_probation",
    "id_number",
    "phone",
    "left_on",
    "left_reason",
)
ORG_FIELDS = ("code", "name", "kind", "field", "units_covered", "established_on", "dissolved_on", "address")


def default_is_graded(*, kind: str, depth: int) -> bool:
    """Graded units sit under a township committee (depth 3 and below) and are not party groups."""
    return depth >= 3 and kind in GRADED_KINDS


def _validate(instance: Any, exclude: Iterable[str] = ()) -> None:
    instance.full_clean(exclude=list(exclude))


# --- Organizations ---------------------------------------------------------------------------------------


@transaction.atomic
def organization_create(
    *,
    actor: Any,
    parent: Organization | None,
    code: str,
    name: str,
    kind: str,
    field: str = "",
    units_covered: int = 1,
    established_on: date | None = None,
    note: str = "",
    check_permission: bool = True,
) -> Organization:
    """Create a node under ``parent`` (a root when ``parent`` is None: only at setup, without permission check)."""
    if parent is not None and check_permission:
        require(actor, Perm.RESTRUCTURE, parent)
    if kind == OrgKind.JOINT_BRANCH:
        _rule_to_validation(check_joint_branch_units, units_covered)
    fields = {
        "code": code,
        "name": name,
        "kind": kind,
        "field": field,
        "units_covered": units_covered,
        "established_on": established_on or timezone.localdate(),
    }
    depth = 1 if parent is None else parent.depth + 1
    probe = Organization(**fields, depth=depth, path="X" * depth * Organization.steplen, numchild=0)
    _validate(probe, exclude=["path"])
    fields["is_graded"] = default_is_graded(kind=kind, depth=depth)
    if parent is None:
        org = Organization.objects.add_root(fields)
    else:
        parent = Organization.objects.select_for_update().get(pk=parent.pk)
        org = Organization.objects.add_child(parent, fields)
    OrgChange.objects.create(
        organization=org,
        kind=ChangeKind.CREATED,
        new_name=name,
        new_kind=kind,
        effective_on=fields["established_on"],
        note=note,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        verb="organization.create",
        summary=f"成立{org.get_kind_display()}:{name}",
        target=org,
        org_path=org.path,
        after=audit.snapshot(org, ORG_FIELDS),
    )
    return org


def _rule_to_validation(check: Any, *args: Any, **kwargs: Any) -> None:
    try:
        check(*args, **kwargs)
    except RuleViolation as exc:
        raise ValidationError(str(exc)) from exc


@transaction.atomic
def organization_update(*, actor: Any, organization: Organization, **changes: Any) -> Organization:
    """Edit an organization's own fields; a new name is kept in the restructuring history."""
    require(actor, Perm.RESTRUCTURE, organization)
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    before = audit.snapshot(org, ORG_FIELDS)
    old_name = org.name
    for name, value in changes.items():
        if name not in ORG_FIELDS:
            raise ValueError(f"unknown field {name}")
        setattr(org, name, value)
    if org.kind == OrgKind.JOINT_BRANCH:
        _rule_to_validation(check_joint_branch_units, org.units_covered)
    _validate(org)
    org.save()
    if org.name != old_name:
        OrgChange.objects.create(
            organization=org,
            kind=ChangeKind.RENAMED,
            old_name=old_name,
            new_name=org.name,
            effective_on=timezone.localdate(),
            actor=actor,
        )
    b, a = audit.changed(before, audit.snapshot(org, ORG_FIELDS))
    audit.record(
        actor=actor,
        verb="organization.update",
        summary=f"修改组织信息:{org.name}",
        target=org,
        org_path=org.path,
        before=b,
        after=a,
    )
    return org


@transaction.atomic
def organization_upgrade(
    *, actor: Any, organization: Organization, new_kind: str, new_name: str, effective_on: date, note: str = ""
) -> Organization:
    """Upgrade (or otherwise re-kind) an organization, e.g. a 79-member village branch to a general branch.

    The old name and kind stay in the history; members stay where they are until moved.
    """
    require(actor, Perm.RESTRUCTURE, organization)
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if new_kind == org.kind and new_name == org.name:
        raise ValidationError("新的组织类别和名称与现在相同,无需变更")
    if new_kind not in OrgKind.values:
        raise ValidationError("组织类别无效")
    change = OrgChange.objects.create(
        organization=org,
        kind=ChangeKind.UPGRADED,
        old_name=org.name,
        new_name=new_name,
        old_kind=org.kind,
        new_kind=new_kind,
        effective_on=effective_on,
        note=note,
        actor=actor,
    )
    before = {"name": org.name, "kind": org.kind}
    org.name, org.kind = new_name, new_kind
    org.is_graded = default_is_graded(kind=new_kind, depth=org.depth)
    _validate(org)
    org.save(update_fields=["name", "kind", "is_graded", "updated_at"])
    audit.record(
        actor=actor,
        verb="organization.upgrade",
        summary=f"{change.old_name}({OrgKind(change.old_kind).label})改设为{new_name}({OrgKind(new_kind).label})",
        target=org,
        org_path=org.path,
        before=before,
        after={"name": new_name, "kind": new_kind},
    )
    return org


@transaction.atomic
def organization_dissolve(*, actor: Any, organization: Organization, on: date, note: str) -> Organization:
    require(actor, Perm.RESTRUCTURE, organization)
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if org.members.filter(left_on__isnull=True).exists():
        raise ValidationError("该组织还有党员,请先将党员调整到其他组织再撤销")
    if Organization.objects.filter(path__startswith=org.path, depth__gt=org.depth, dissolved_on__isnull=True).exists():
        raise ValidationError("该组织还有未撤销的下级组织")
    org.dissolved_on = on
    org.save(update_fields=["dissolved_on", "updated_at"])
    OrgChange.objects.create(
        organization=org, kind=ChangeKind.DISSOLVED, old_name=org.name, effective_on=on, note=note, actor=actor
    )
    audit.record(
        actor=actor,
        verb="organization.dissolve",
        summary=f"撤销{org.name}",
        target=org,
        org_path=org.path,
        after={"dissolved_on": on.isoformat(), "note": note},
    )
    return org


@transaction.atomic
def members_move(
    *,
    actor: Any,
    members: Iterable[Member],
    to_org: Organization,
    moved_on: date,
    reason: str = "",
    change: OrgChange | None = None,
) -> int:
    """Move members between organizations; the actor must be allowed to edit both rosters."""
    require(actor, Perm.EDIT_ROSTER, to_org)
    if to_org.dissolved_on is not None:
        raise ValidationError("不能调入已撤销的组织")
    moved = 0
    for member in members:
        locked = Member.objects.select_for_update().select_related("organization").get(pk=member.pk)
        require(actor, Perm.EDIT_ROSTER, locked.organization)
        if locked.organization_id == to_org.pk:
            continue
        from_org = locked.organization
        MemberTransfer.objects.create(
            member=locked,
            from_org=from_org,
            to_org=to_org,
            moved_on=moved_on,
            reason=reason,
            change=change,
            actor=actor,
        )
        locked.organization = to_org
        locked.save(update_fields=["organization", "updated_at"])
        audit.record(
            actor=actor,
            verb="member.move",
            summary=f"{locked.name}由{from_org.name}调整到{to_org.name}",
            target=locked,
            org_path=to_org.path,
            before={"organization": from_org.name},
            after={"organization": to_org.name},
        )
        moved += 1
    if change is None and moved:
        OrgChange.objects.create(
            organization=to_org,
            kind=ChangeKind.MEMBERS_MOVED,
            new_name=to_org.name,
            effective_on=moved_on,
            note=f"调入党员{moved}名。{reason}".strip(),
            actor=actor,
        )
    return moved


@transaction.atomic
def sub_branch_create(
    *,
    actor: Any,
    parent: Organization,
    code: str,
    name: str,
    kind: str = OrgKind.BRANCH,
    members: Iterable[Member] = (),
    effective_on: date,
    note: str = "",
) -> Organization:
    """Create a sub-branch (by industry, association or place) and move the chosen members into it."""
    if parent.kind not in {OrgKind.GENERAL_BRANCH, OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE}:
        raise ValidationError("只有党总支或党委下可以设立党支部:请先将本组织升格为党总支")
    child = organization_create(
        actor=actor,
        parent=parent,
        code=code,
        name=name,
        kind=kind,
        field=parent.field,
        established_on=effective_on,
        note=note,
    )
    change = OrgChange.objects.create(
        organization=parent,
        kind=ChangeKind.SUB_CREATED,
        new_name=name,
        new_kind=kind,
        effective_on=effective_on,
        note=note,
        actor=actor,
    )
    members_move(actor=actor, members=members, to_org=child, moved_on=effective_on, reason=f"设立{name}", change=change)
    return child


# --- Members ---------------------------------------------------------------------------------------------


# An ID number registered where the actor cannot see: the words say nothing of another organization (issue 12 §5).
ID_NUMBER_NOT_AVAILABLE = "该身份证号无法在此登记:请核对号码;如为组织关系转入,请由上级党组织办理组织关系转接"


def _check_id_number_free(actor: Any, id_number: str, *, member_pk: int | None = None) -> None:
    """Refuse an ID number another member holds before the model's unique check can ("具有 身份证号 的 党员 已存在",
    which tells a township that the person is a member elsewhere): within the actor's scope the message names the
    member, outside it the message is the same whoever holds the number."""
    clash = (
        Member.objects.filter(id_number=id_number).exclude(pk=member_pk).select_related("organization").first()
        if id_number
        else None
    )
    if clash is None:
        return
    if can(actor, Perm.VIEW_RECORDS, clash.organization):
        raise ValidationError(
            {
                "id_number": f"该身份证号已登记为{clash.organization.name}的党员{clash.name}:"
                "请打开该党员的页面修改,不要重复登记"
            }
        )
    raise ValidationError({"id_number": ID_NUMBER_NOT_AVAILABLE})


@transaction.atomic
def member_create(*, actor: Any, organization: Organization, **fields: Any) -> Member:
    require(actor, Perm.EDIT_ROSTER, organization)
    member = Member(organization=organization, **fields)
    _check_id_number_free(actor, member.id_number)
    _validate(member)
    member.save()
    audit.record(
        actor=actor,
        verb="member.create",
        summary=f"新增党员:{member.name}",
        target=member,
        org_path=organization.path,
        after=audit.snapshot(member, MEMBER_FIELDS),
    )
    return member


@transaction.atomic
def member_update(*, actor: Any, member: Member, expected_updated_at: Any = None, **fields: Any) -> Member:
    """Edit a member; ``expected_updated_at`` refuses a stale save (another tab saved in between)."""
    locked = Member.objects.select_for_update().select_related("organization").get(pk=member.pk)
    require(actor, Perm.EDIT_ROSTER, locked.organization)
    if expected_updated_at is not None and locked.updated_at != expected_updated_at:
        raise ValidationError("该党员信息已被他人修改,请刷新页面后重新填写(您的修改未保存)")
    if "organization" in fields and fields["organization"].pk != locked.organization_id:
        raise ValidationError("调整组织关系请使用“党员调整”功能")
    before = audit.snapshot(locked, MEMBER_FIELDS)
    for name, value in fields.items():
        setattr(locked, name, value)
    _check_id_number_free(actor, locked.id_number, member_pk=locked.pk)
    _validate(locked)
    locked.save()
    b, a = audit.changed(before, audit.snapshot(locked, MEMBER_FIELDS))
    audit.record(
        actor=actor,
        verb="member.update",
        summary=f"修改党员信息:{locked.name}",
        target=locked,
        org_path=locked.organization.path,
        before=b,
        after=a,
    )
    return locked


# --- Committee terms and positions -----------------------------------------------------------------------


@transaction.atomic
def term_create(
    *, actor: Any, organization: Organization, elected_on: date, seats: int, note: str = ""
) -> CommitteeTerm:
    require(actor, Perm.EDIT_ROSTER, organization)
    from organizations.rules import check_branch_committee_seats

    if organization.kind in {OrgKind.BRANCH, OrgKind.JOINT_BRANCH}:
        _rule_to_validation(check_branch_committee_seats, seats)
    term = CommitteeTerm(
        organization=organization,
        elected_on=elected_on,
        ends_on=term_end(elected_on=elected_on, kind=organization.kind, field=organization.field),
        seats=seats,
        note=note,
    )
    _validate(term)
    term.save()
    audit.record(
        actor=actor,
        verb="term.create",
        summary=f"登记{elected_on:%Y}年届次,{seats}名委员,届满{term.ends_on}",
        target=organization,
        org_path=organization.path,
        after={"elected_on": elected_on.isoformat(), "seats": seats, "ends_on": term.ends_on.isoformat()},
    )
    return term


@transaction.atomic
def position_assign(
    *,
    actor: Any,
    organization: Organization,
    member: Member,
    post: str,
    started_on: date,
    term: CommitteeTerm | None = None,
) -> Position:
    require(actor, Perm.EDIT_ROSTER, organization)
    if not member.organization.path.startswith(organization.path):
        raise ValidationError("只能任命本组织(含下属组织)的党员")
    if term is not None and term.organization_id != organization.pk:
        raise ValidationError("任期不属于本组织")
    if Position.objects.filter(organization=organization, member=member, post=post, ended_on__isnull=True).exists():
        raise ValidationError(f"{member.name}已担任该职务")
    position = Position(organization=organization, member=member, post=post, started_on=started_on, term=term)
    _validate(position)
    position.save()
    audit.record(
        actor=actor,
        verb="position.assign",
        summary=f"{member.name}任{organization.name}{position.get_post_display()}",
        target=organization,
        org_path=organization.path,
        after={"member": member.name, "post": post, "started_on": started_on.isoformat()},
    )
    return position


@transaction.atomic
def position_end(*, actor: Any, position: Position, ended_on: date) -> Position:
    require(actor, Perm.EDIT_ROSTER, position.organization)
    locked = Position.objects.select_for_update().select_related("member", "organization").get(pk=position.pk)
    if locked.ended_on is not None:
        raise ValidationError("该职务已经离任")
    if ended_on < locked.started_on:
        raise ValidationError("离任日期不能早于任职日期")
    locked.ended_on = ended_on
    locked.save(update_fields=["ended_on"])
    audit.record(
        actor=actor,
        verb="position.end",
        summary=f"{locked.member.name}不再担任{locked.organization.name}{locked.get_post_display()}",
        target=locked.organization,
        org_path=locked.organization.path,
        after={"ended_on": ended_on.isoformat()},
    )
    return locked


# --- Roles -----------------------------------------------------------------------------------------------


def _may_grant(actor: Any, role: Role, organization: Organization) -> bool:
    if actor is None:
        return True  # system setup (load_demo, createsuperuser flows)
    if getattr(actor, "is_superuser", False):
        return True
    if not can(actor, Perm.GRANT_ROLES, organization):
        return False
    held = {
        Role(a.role)
        for a in RoleAssignment.objects.filter(user=actor, revoked_at__isnull=True).select_related("organization")
        if organization.path.startswith(a.organization.path)
    }
    return any(role in GRANTABLE_ROLES.get(h, frozenset()) for h in held)


def _sync_permissions(user: Any, organization: Organization) -> None:
    """Make guardian's rows for (user, organization) equal the union of the active roles held there."""
    wanted: set[str] = set()
    for assignment in RoleAssignment.objects.filter(user=user, organization=organization, revoked_at__isnull=True):
        wanted |= {p.value for p in ROLE_PERMISSIONS[Role(assignment.role)]}
    existing = OrganizationUserObjectPermission.objects.filter(user=user, content_object=organization)
    existing.exclude(permission__codename__in=wanted).delete()
    have = set(existing.values_list("permission__codename", flat=True))
    perms = Permission.objects.filter(content_type__app_label="organizations", codename__in=wanted - have)
    for perm in perms:
        assign_perm(perm, user, organization)
    forget_grants(user)


@transaction.atomic
def role_grant(*, actor: Any, user: Any, organization: Organization, role: str) -> RoleAssignment:
    role = Role(role)
    if actor is not None and not _may_grant(actor, role, organization):
        raise PermissionDenied(f"您不能在{organization.name}授予“{role.label}”角色")
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user,
        organization=organization,
        role=role,
        revoked_at=None,
        defaults={"granted_by": actor if getattr(actor, "is_authenticated", False) else None},
    )
    _sync_permissions(user, organization)
    if created:
        audit.record(
            actor=actor,
            verb="role.grant",
            summary=f"授予{account_label(user)}“{role.label}”角色({organization.name})",
            target=organization,
            org_path=organization.path,
            after={"user": user.get_username(), "role": role.value},
        )
    return assignment


@transaction.atomic
def role_revoke(*, actor: Any, assignment: RoleAssignment) -> RoleAssignment:
    locked = RoleAssignment.objects.select_for_update().select_related("user", "organization").get(pk=assignment.pk)
    if not _may_grant(actor, Role(locked.role), locked.organization):
        raise PermissionDenied("您不能撤销该角色")
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    _sync_permissions(locked.user, locked.organization)
    audit.record(
        actor=actor,
        verb="role.revoke",
        summary=f"撤销{account_label(locked.user)}“{locked.get_role_display()}”角色({locked.organization.name})",
        target=locked.organization,
        org_path=locked.organization.path,
        before={"user": locked.user.get_username(), "role": locked.role},
    )
    return locked


def home_grant(user: Any) -> tuple[Role, Organization] | None:
    """The role and organization whose page the user lands on: the widest role they hold."""
    from organizations.roles import HOME_PRIORITY

    assignments = list(RoleAssignment.objects.filter(user=user, revoked_at__isnull=True).select_related("organization"))
    for role in HOME_PRIORITY:
        for a in sorted(assignments, key=lambda a: a.organization.path):
            if a.role == role:
                return role, a.organization
    grants = grants_for(user)
    if grants:
        return Role.DISTRICT_STAFF, Organization.objects.get(pk=grants[0].org_id)
    return None


@transaction.atomic
def account_create(*, actor: Any, username: str, full_name: str, password: str, organization: Organization) -> Any:
    """Create a login account for a person about to be granted a role at ``organization``."""
    from django.contrib.auth import get_user_model

    require(actor, Perm.GRANT_ROLES, organization)
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise ValidationError("该账号已存在")
    user = user_model(username=username, first_name=full_name[:150])
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(
        actor=actor,
        verb="account.create",
        summary=f"新建账号{username}({full_name})",
        target=organization,
        org_path=organization.path,
        after={"username": username},
    )
    return user


def grantable_roles(actor: Any, organization: Organization) -> list[Role]:
    return [role for role in Role if _may_grant(actor, role, organization)]


def role_permissions_sync_all() -> int:
    """Bring every grant's guardian rows in line with ROLE_PERMISSIONS (after the table gains a permission).

    Runs after every ``migrate`` (post_migrate), so a deployment never needs a manual step. Returns the number of rows
    added or removed.
    """
    wanted: dict[tuple[int, int], set[str]] = {}
    for user_id, org_id, role in RoleAssignment.objects.filter(revoked_at__isnull=True).values_list(
        "user_id", "organization_id", "role"
    ):
        wanted.setdefault((user_id, org_id), set()).update(p.value for p in ROLE_PERMISSIONS[Role(role)])
    perms = dict(
        Permission.objects.filter(
            content_type__app_label="organizations", content_type__model="organization"
        ).values_list("codename", "pk")
    )
    have: dict[tuple[int, int], dict[str, int]] = {}
    for row_id, user_id, org_id, codename in OrganizationUserObjectPermission.objects.values_list(
        "pk", "user_id", "content_object_id", "permission__codename"
    ):
        have.setdefault((user_id, org_id), {})[codename] = row_id
    stale = [
        row_id
        for key, rows in have.items()
        for codename, row_id in rows.items()
        if codename not in wanted.get(key, set())
    ]
    missing = [
        OrganizationUserObjectPermission(user_id=user_id, content_object_id=org_id, permission_id=perms[codename])
        for (user_id, org_id), codenames in wanted.items()
        for codename in codenames
        if codename in perms and codename not in have.get((user_id, org_id), {})
    ]
    with transaction.atomic():
        OrganizationUserObjectPermission.objects.filter(pk__in=stale).delete()
        OrganizationUserObjectPermission.objects.bulk_create(missing, batch_size=1000)
    return len(stale) + len(missing)
