"""Starting a transfer: out of a branch (区内转接 to another organization of the district, or 转出区外 with the
receiver's name), or in from outside the district (从区外转入, the member's particulars typed from the letter).

The sending branch's secretary or its township starts a transfer out (``edit_roster`` on the member's
organization); the receiving organization's side records a transfer in (``edit_roster`` there). A member in transit
is not transferred again.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import audit
from organizations.models import Member, MemberStatus, Organization
from organizations.roles import Perm
from organizations.scope import require
from organizations.services.members import id_number_check
from transfers.models import OPEN_STATES, TransferKind, TransferRequest, TransferState

PARTICULARS = ("name", "gender", "ethnicity", "birth_date", "education", "joined_on", "status", "id_number", "phone")
DESTINATION_REFUSED = "请从列表中选择区内的基层党组织"  # the same words for a missing, dissolved or unfit destination


def in_transit_message(name: str) -> str:
    return f"{name}的组织关系正在转接中,办结或撤销该转接后才能再调整或转接"


def is_destination(org: Organization | None) -> bool:
    """A grassroots organization of the district that is not dissolved."""
    return org is not None and org.depth >= 3 and org.dissolved_on is None


def _refuse_if_in_transit(member: Member) -> None:
    if TransferRequest.objects.filter(member=member, state__in=OPEN_STATES).exists():
        raise ValidationError(in_transit_message(member.name))


def _create(**fields: Any) -> TransferRequest:
    try:
        with transaction.atomic():
            return TransferRequest.objects.create(**fields)
    except IntegrityError:  # another tab started one meanwhile (transfer_one_open_per_member)
        raise ValidationError(in_transit_message(fields["person_name"])) from None


@transaction.atomic
def transfer_start(
    *,
    actor: Any,
    member: Member,
    kind: str,
    reason: str,
    to_org: Organization | None = None,
    to_name: str = "",
    started_on: date | None = None,
) -> TransferRequest:
    """A transfer out of ``member``'s organization, waiting for the committee over it (待转出审核)."""
    member = Member.objects.select_for_update().select_related("organization").get(pk=member.pk)
    require(actor, Perm.EDIT_ROSTER, member.organization)
    if member.left_on is not None:
        raise ValidationError("该党员已不在名册中,不能转接组织关系")
    _refuse_if_in_transit(member)
    if kind == TransferKind.WITHIN:
        if not is_destination(to_org):
            raise ValidationError({"to_org": DESTINATION_REFUSED})
        if to_org.pk == member.organization_id:
            raise ValidationError({"to_org": "接收党组织不能是该党员现在所在的党组织"})
        to_name = to_org.name
    elif kind == TransferKind.OUT:
        to_org, to_name = None, to_name.strip()
        if not to_name:
            raise ValidationError({"to_name": "请填写接收党组织的全称(区外)"})
    else:
        raise ValidationError({"kind": "请选择转接类型:区内转接或转出区外"})
    if not reason.strip():
        raise ValidationError({"reason": "请填写转接原因"})
    transfer = _create(
        kind=kind,
        member=member,
        from_org=member.organization,
        from_name=member.organization.name,
        to_org=to_org,
        to_name=to_name,
        reason=reason.strip(),
        person_name=member.name,
        **{f: getattr(member, f) for f in PARTICULARS if f != "name"},
        started_on=started_on or timezone.localdate(),
        created_by=actor,
    )
    audit.record(
        actor=actor,
        verb="transfer.start",
        summary=f"{member.name}组织关系{transfer.get_kind_display()}:{transfer.from_name} → {to_name}",
        target=transfer,
        org_path=member.organization.path,
        after={"kind": kind, "to": to_name, "reason": transfer.reason},
    )
    return transfer


@transaction.atomic
def transfer_in_record(
    *,
    actor: Any,
    to_org: Organization,
    from_name: str,
    letter_number: str,
    reason: str,
    started_on: date | None = None,
    **particulars: Any,
) -> TransferRequest:
    """A letter from outside the district received at ``to_org`` (待接收); the member is created on confirmation."""
    require(actor, Perm.EDIT_ROSTER, to_org)
    if not is_destination(to_org):
        raise ValidationError(DESTINATION_REFUSED)
    if not from_name.strip():
        raise ValidationError({"from_name": "请填写转出党组织的全称(区外)"})
    if not letter_number.strip():
        raise ValidationError({"letter_number": "请填写介绍信编号"})
    values = {f: particulars.get(f) for f in PARTICULARS}
    missing = [f for f in ("name", "gender", "birth_date", "education", "joined_on", "id_number") if not values[f]]
    if missing:
        raise ValidationError({f: "必填" for f in missing})
    values["status"] = values["status"] or MemberStatus.FULL
    values["ethnicity"] = values["ethnicity"] or "汉族"
    values["phone"] = values["phone"] or ""
    id_number_check(actor, values["id_number"])  # the same words whoever holds the number (issue 12 §5)
    if TransferRequest.objects.filter(
        kind=TransferKind.IN, id_number=values["id_number"], state__in=OPEN_STATES
    ).exists():
        raise ValidationError({"id_number": "该身份证号已有一项待接收的组织关系转入,请勿重复登记"})
    transfer = _create(
        kind=TransferKind.IN,
        state=TransferState.AWAITING,
        from_name=from_name.strip(),
        to_org=to_org,
        to_name=to_org.name,
        reason=(reason or "").strip() or "组织关系转入",
        letter_number=letter_number.strip(),
        person_name=values.pop("name"),
        **values,
        started_on=started_on or timezone.localdate(),
        created_by=actor,
    )
    audit.record(
        actor=actor,
        verb="transfer.start",
        summary=f"{transfer.person_name}组织关系从区外转入:{transfer.from_name} → {to_org.name}",
        target=transfer,
        org_path=to_org.path,
        after={"kind": TransferKind.IN, "from": transfer.from_name, "letter": transfer.letter_number},
    )
    return transfer


def in_transit_refusal(member_ids: list[int]) -> str | None:
    """The move guard ``organizations.services.tree.members_move`` asks (registered in ``TransfersConfig.ready``):
    a member in transit is not moved by hand. One query."""
    if not member_ids:
        return None
    name = (
        TransferRequest.objects.filter(member_id__in=member_ids, state__in=OPEN_STATES)
        .values_list("person_name", flat=True)
        .first()
    )
    return in_transit_message(name) if name else None
