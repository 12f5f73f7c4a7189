"""Writes to the tree: creating, editing, upgrading and dissolving organizations, setting up sub-branches and
moving members between them. Each service checks the actor's permission, validates, saves in a transaction and
writes its audit event beside the change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import audit
from organizations.access import is_district_staff
from organizations.models import (
    GRADED_KINDS,
    ChangeKind,
    Member,
    MemberStatus,
    MemberTransfer,
    Organization,
    OrgChange,
    OrgKind,
)
from organizations.roles import Perm
from organizations.rules import (
    EXCUSABLE_BY_WORK_NEED,
    NEEDS_DISTRICT_APPROVAL,
    RuleViolation,
    check_joint_branch_units,
    restructure_violation,
)
from organizations.scope import require
from organizations.services.counts import counts_refresh

ORG_FIELDS = ("code", "name", "kind", "field", "units_covered", "established_on", "dissolved_on", "address")


def default_is_graded(*, kind: str, depth: int) -> bool:
    """Graded units sit under a township committee (depth 3 and below) and are not party groups."""
    return depth >= 3 and kind in GRADED_KINDS


def validate(instance: Any, exclude: Iterable[str] = ()) -> None:
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
        rule_to_validation(check_joint_branch_units, units_covered)
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
    validate(probe, exclude=["path"])
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


def rule_to_validation(check: Any, *args: Any, **kwargs: Any) -> None:
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
        rule_to_validation(check_joint_branch_units, org.units_covered)
    validate(org)
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
    if new_kind != org.kind:
        note = restructure_allowed(actor=actor, org=org, new_kind=new_kind, note=note)
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
    validate(org)
    org.save(update_fields=["name", "kind", "is_graded", "updated_at"])
    audit.record(
        actor=actor,
        verb="organization.upgrade",
        summary=f"{change.old_name}({OrgKind(change.old_kind).label})改设为{new_name}({OrgKind(new_kind).label})",
        target=org,
        org_path=org.path,
        before=before,
        after={"name": new_name, "kind": new_kind, **({"note": note} if note else {})},
    )
    return org


def members_at_or_below(org: Organization) -> tuple[int, int]:
    """(current members, of them full members) of ``org`` and every organization below it."""
    current = Member.objects.filter(organization__path__startswith=org.path, left_on__isnull=True)
    return current.count(), current.filter(status=MemberStatus.FULL).count()


def restructure_allowed(*, actor: Any, org: Organization, new_kind: str, note: str) -> str:
    """B1 and B4 before an organization changes kind; returns the note to record.

    A 党总支 of 50 members or fewer is allowed only "确因工作需要": district staff do it with the reason written in the
    note, recorded as the district's approval. A 党委 needs the county-level committee's approval (农村条例: 经县级
    地方党委批准): only district staff make it, naming the approval in the note.
    """
    total, full = members_at_or_below(org)
    violation = restructure_violation(
        new_kind=new_kind, total_members=total, full_members=full, units_covered=org.units_covered
    )
    district = is_district_staff(actor)
    if violation is not None:
        if not (new_kind in EXCUSABLE_BY_WORK_NEED and district and note.strip()):
            raise ValidationError(str(violation))
        return f"确因工作需要,经区委组织部审批:{note.strip()}"
    if new_kind in NEEDS_DISTRICT_APPROVAL and not (district and note.strip()):
        raise ValidationError(
            f"党员{total}名,可成立党委,但须经县级党委批准:请报区委组织部办理,并在“依据和说明”中写明批准文件"
        )
    return note


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


# Checks a feature app adds before members move (organizations names none of them): ``guard(member_ids)`` returns
# the Chinese refusal for the first member that may not move now, or None. The transfers app registers one: a
# member whose transfer (组织关系转接) is under way is not moved by hand.
MoveGuard = Callable[[list[int]], "str | None"]
_move_guards: list[MoveGuard] = []


def register_move_guard(guard: MoveGuard) -> None:
    if guard not in _move_guards:
        _move_guards.append(guard)


def _check_move_guards(members: list[Member]) -> None:
    for guard in _move_guards:
        refusal = guard([m.pk for m in members])
        if refusal:
            raise ValidationError(refusal)


@transaction.atomic
def members_move(
    *,
    actor: Any,
    members: Iterable[Member],
    to_org: Organization,
    moved_on: date,
    reason: str = "",
    change: OrgChange | None = None,
    sender_approved: bool = False,
) -> int:
    """Move members between organizations; the actor must be allowed to edit both rosters, or only the receiving one
    when ``sender_approved`` (a transfer the sending side started and its committee approved: the receiving branch
    confirms it without holding the sender's roster)."""
    require(actor, Perm.EDIT_ROSTER, to_org)
    if to_org.dissolved_on is not None:
        raise ValidationError("不能调入已撤销的组织")
    members = list(members)
    _check_move_guards(members)
    moved = 0
    touched = {to_org.pk}
    for member in members:
        locked = Member.objects.select_for_update().select_related("organization").get(pk=member.pk)
        if not sender_approved:
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
        touched.add(from_org.pk)
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
    counts_refresh(touched)
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
    members = list(members)
    if kind != OrgKind.PARTY_GROUP:
        # B1 支部条例: a 党支部 is formed with 3 or more full members moved into it; fewer form a joint branch.
        full = sum(1 for m in members if m.status == MemberStatus.FULL and m.left_on is None)
        violation = restructure_violation(new_kind=kind, total_members=len(members), full_members=full)
        if violation is not None:
            raise ValidationError(str(violation))
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
