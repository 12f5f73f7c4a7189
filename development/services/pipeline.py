"""Writes to the development pipeline (发展党员): recording an applicant (入党申请人) and the one transition service
that moves a person one stage forward (``MOVES`` of ``development.rules.pipeline``).

Both need ``edit_roster`` on the person's organization (those who keep its roster: the secretary, the township, the
district), validate by the rules F1–F5, save in one transaction and write an audit event. Admission (接收为预备党员)
creates the roster's member through ``organizations.services.members.member_create`` (status 预备党员, 入党日期 the
admission day), so the roster and its counts follow; 转正 sets that member's status and 转正日期 through
``member_update``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import audit
from development.models import Applicant
from development.rules import pipeline as rules
from development.rules.pipeline import Stage
from organizations.models import Member, MemberStatus, Organization
from organizations.roles import Perm
from organizations.rules import id_number_error, name_error, phone_error
from organizations.scope import can, require
from organizations.services.members import member_create, member_update

EDIT = Perm.EDIT_ROSTER
TOWNSHIP_DEPTH = 2
APPLICANT_FIELDS = ("name", "gender", "birth_date", "education", "occupation", "id_number", "phone", "applied_on")
ID_NUMBER_TAKEN = "该身份证号已在发展党员记录或党员名册中登记,请核对号码"


def _check_id_number(actor: Any, id_number: str, *, pk: int | None = None) -> None:
    """One person, one record: not already in the pipeline, not already a member (named only within scope)."""
    clash = Applicant.objects.filter(id_number=id_number).exclude(pk=pk).select_related("organization").first()
    if clash is not None and can(actor, Perm.VIEW_RECORDS, clash.organization):
        raise ValidationError(
            {"id_number": f"该身份证号已登记为{clash.organization.name}的{clash.get_stage_display()}{clash.name}"}
        )
    if clash is not None or Member.objects.filter(id_number=id_number).exists():
        raise ValidationError({"id_number": ID_NUMBER_TAKEN})


def _check_fields(record: Applicant) -> None:
    """The roster's own checks of a name, an ID number and a phone (organizations.rules): one set for every way a
    person is written."""
    errors = {
        name: error
        for name, error in (
            ("name", name_error("姓名", record.name)),
            ("id_number", id_number_error(record.id_number)),
            ("phone", phone_error(record.phone)),
        )
        if error
    }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def applicant_create(*, actor: Any, organization: Organization, today: date | None = None, **fields: Any) -> Applicant:
    """Record an application to join (入党申请书) in ``organization`` (a grassroots organization)."""
    require(actor, EDIT, organization)
    if organization.depth <= TOWNSHIP_DEPTH:
        raise ValidationError("入党申请人应登记在其所在的基层党组织(党支部、党总支或基层党委)")
    record = Applicant(organization=organization, stage=Stage.APPLICANT, created_by=actor, **fields)
    record.name = record.name.strip()
    record.id_number = record.id_number.strip().upper()
    record.phone = record.phone.strip()
    _check_fields(record)
    problems = rules.application_problems(
        birth_date=record.birth_date, applied_on=record.applied_on, today=today or timezone.localdate()
    )
    if problems:
        raise ValidationError(problems)
    _check_id_number(actor, record.id_number)
    record.full_clean()
    record.save()
    audit.record(
        actor=actor,
        verb="development.applicant_create",
        summary=f"登记入党申请人:{record.name}",
        target=record,
        org_path=organization.path,
        after=audit.snapshot(record, APPLICANT_FIELDS),  # the ID number and phone masked
    )
    return record


def _dates(record: Applicant) -> rules.Dates:
    return rules.Dates(record.applied_on, record.activist_on, record.target_on, record.admitted_on)


def _contacts(record: Applicant, contacts: Sequence[Member]) -> list[Member]:
    """F5: one or two current full members of the person's own organization."""
    problems = rules.contacts_problems(len(contacts))
    for m in contacts:
        if m.organization_id != record.organization_id or m.left_on is not None:
            problems.append(f"培养联系人{m.name}不是本组织的现有党员")
        elif m.status != MemberStatus.FULL:
            problems.append(f"培养联系人应为正式党员,{m.name}是预备党员")
    if problems:
        raise ValidationError({"contacts": problems})
    return list(contacts)


def _admit(actor: Any, record: Applicant, on: date) -> Member:
    """接收为预备党员: the roster's member, through the roster's own service (its checks, its counts, its event)."""
    return member_create(
        actor=actor,
        organization=record.organization,
        name=record.name,
        gender=record.gender,
        birth_date=record.birth_date,
        education=record.education,
        occupation=record.occupation,
        id_number=record.id_number,
        phone=record.phone,
        joined_on=on,
        status=MemberStatus.PROBATIONARY,
    )


def _confirm(actor: Any, record: Applicant, on: date) -> None:
    """转正: the member's status and 转正日期 on the roster."""
    member = record.member
    if member is None or member.left_on is not None:
        raise ValidationError("该预备党员已不在党员名册中,无法办理转正")
    record.member = member_update(actor=actor, member=member, status=MemberStatus.FULL, full_member_on=on)


@transaction.atomic
def applicant_move(
    *,
    actor: Any,
    applicant: Applicant,
    to: str,
    on: date,
    contacts: Sequence[Member] = (),
    today: date | None = None,
) -> Applicant:
    """The pipeline's one transition: lock the row, look the move up in ``MOVES``, check the permission and the rules,
    save the stage and its date (and the contacts, the roster's member), write the event."""
    record = (
        Applicant.objects.select_for_update(of=("self",)).select_related("organization", "member").get(pk=applicant.pk)
    )
    require(actor, EDIT, record.organization)
    before = {"stage": record.stage}
    problems = rules.move_problems(
        stage=record.stage, to=to, dates=_dates(record), on=on, today=today or timezone.localdate()
    )
    if problems:
        raise ValidationError({"on": problems})
    move = rules.MOVES[(Stage(record.stage), Stage(to))]
    chosen = _contacts(record, contacts) if to == Stage.ACTIVIST else []
    if to == Stage.PROBATIONARY:
        record.member = _admit(actor, record, on)
    elif to == Stage.FULL:
        _confirm(actor, record, on)
    if move.field != "full_on":
        setattr(record, move.field, on)
    record.stage = to
    record.save()
    if chosen:
        record.contacts.set(chosen)
    audit.record(
        actor=actor,
        verb="development.move",
        summary=f"{record.name}:{move.label}({on:%Y-%m-%d})",
        target=record,
        org_path=record.organization.path,
        before=before,
        after={"stage": record.stage, "on": on.isoformat(), "contacts": [m.name for m in chosen]},
    )
    return record


# Before admission the record holds the person's details; from admission on the roster does (edit the member there).
EDITABLE_STAGES = (Stage.APPLICANT, Stage.ACTIVIST, Stage.TARGET)


@transaction.atomic
def applicant_update(*, actor: Any, applicant: Applicant, today: date | None = None, **fields: Any) -> Applicant:
    """Correct a person's details (a name or a date typed wrong) before admission; checked like a new application,
    and the application's date stays before the activist's."""
    record = Applicant.objects.select_for_update(of=("self",)).select_related("organization").get(pk=applicant.pk)
    require(actor, EDIT, record.organization)
    if record.stage not in EDITABLE_STAGES:
        raise ValidationError("已接收为预备党员,个人信息请在党员名册中修改")
    before = audit.snapshot(record, APPLICANT_FIELDS)
    for name in APPLICANT_FIELDS:
        if name in fields:
            setattr(record, name, fields[name])
    record.name = record.name.strip()
    record.id_number = record.id_number.strip().upper()
    record.phone = record.phone.strip()
    _check_fields(record)
    problems = rules.application_problems(
        birth_date=record.birth_date, applied_on=record.applied_on, today=today or timezone.localdate()
    )
    if record.activist_on is not None and record.applied_on > record.activist_on:
        problems.append(f"申请入党日期不能晚于确定为积极分子的日期({record.activist_on:%Y年%m月%d日})")
    if problems:
        raise ValidationError(problems)
    _check_id_number(actor, record.id_number, pk=record.pk)
    record.full_clean()
    record.save()
    old, new = audit.changed(before, audit.snapshot(record, APPLICANT_FIELDS))  # ID number and phone masked
    audit.record(
        actor=actor,
        verb="development.applicant_update",
        summary=f"修改发展党员记录:{record.name}",
        target=record,
        org_path=record.organization.path,
        before=old,
        after=new,
    )
    return record
