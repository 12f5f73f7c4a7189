"""Writes to an organization's committee: its terms and the positions held in them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core import audit
from organizations.models import (
    CommitteeTerm,
    Member,
    MemberStatus,
    Organization,
    OrgKind,
    Position,
)
from organizations.roles import Perm
from organizations.rules import branch_committee_violation, term_end
from organizations.scope import require
from organizations.services.counts import counts_refresh
from organizations.services.tree import validate

# --- Committee terms and positions -----------------------------------------------------------------------


@transaction.atomic
def term_create(
    *, actor: Any, organization: Organization, elected_on: date, seats: int, note: str = ""
) -> CommitteeTerm:
    """Register a committee term. A branch's seats follow B3 (支部条例 Art. 20) on its full members today: the same
    answer its organization page and its election project give."""
    require(actor, Perm.EDIT_ROSTER, organization)
    if organization.kind in {OrgKind.BRANCH, OrgKind.JOINT_BRANCH}:
        full = organization.members.filter(left_on__isnull=True, status=MemberStatus.FULL).count()
        violation = branch_committee_violation(full_members=full, seats=seats)
        if violation is not None:
            raise ValidationError(str(violation))
    term = CommitteeTerm(
        organization=organization,
        elected_on=elected_on,
        ends_on=term_end(elected_on=elected_on, kind=organization.kind, field=organization.field),
        seats=seats,
        note=note,
    )
    validate(term)
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
    validate(position)
    position.save()
    counts_refresh([organization.pk])
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
    counts_refresh([locked.organization_id])
    audit.record(
        actor=actor,
        verb="position.end",
        summary=f"{locked.member.name}不再担任{locked.organization.name}{locked.get_post_display()}",
        target=locked.organization,
        org_path=locked.organization.path,
        after={"ended_on": ended_on.isoformat()},
    )
    return locked
