"""Writes to the roster: a member's record (creating, editing)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core import audit
from organizations.models import (
    MEMBER_RECORD_FIELDS,
    Member,
    Organization,
)
from organizations.roles import Perm
from organizations.scope import can, require
from organizations.services.counts import counts_refresh
from organizations.services.tree import validate

# --- Members ---------------------------------------------------------------------------------------------


MEMBER_FIELDS = ("organization", *MEMBER_RECORD_FIELDS)

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


def id_number_check(actor: Any, id_number: str) -> None:
    """The same check for a service that registers a person before the roster does (a transfer in from outside the
    district): a ValidationError keyed ``id_number`` when the number is taken, worded by the actor's scope."""
    _check_id_number_free(actor, id_number)


@transaction.atomic
def member_create(*, actor: Any, organization: Organization, **fields: Any) -> Member:
    require(actor, Perm.EDIT_ROSTER, organization)
    member = Member(organization=organization, **fields)
    _check_id_number_free(actor, member.id_number)
    validate(member)
    member.save()
    counts_refresh([organization.pk])
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
    validate(locked)
    locked.save()
    counts_refresh([locked.organization_id])  # status or leaving changes the counts
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
