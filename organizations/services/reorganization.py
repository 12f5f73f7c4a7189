"""Reorganizing an organization (组织设置调整) as 第三篇 五 runs it, around ``organization_upgrade`` and
``sub_branch_create``: one table of allowed moves (``MOVES``) and one transition service (``reorganization_move``).

    起草 draft ─consult─► 征求意见 consulting ─request─► 已请示 requested ─approve─► 已批复 approved ─meet─►
    党员大会 met ─implement─► 实施中 implementing ─finish─► 已完成 done
    requested ─refuse─► 批复不同意 refused (the end);  draft / consulting ─withdraw─► 已撤回 withdrawn

Who moves (permissions of ``organizations.roles``): the organization's own side (the plan, the comments, the 请示, the
members' meeting) needs ``edit_roster`` there (its branch secretary, or the township and district staff who help draft
it: 第三篇 五 "由区委组织部会同镇党委及村党支部班子一起研究"); the reply and the change itself need ``restructure``
(the township committee: "镇党委批复"). A 党委 (B4: 经县级党委批准) and a 党总支 of 50 members or fewer (B4: 确因工作
需要, the district approves) are answered and carried out by the district only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core import audit
from organizations.access import is_district_staff
from organizations.models import Member, Organization, OrgKind
from organizations.models.reorganization import Reorganization, ReorganizationComment, ReorgKind, ReorgState
from organizations.roles import Perm
from organizations.rules import EXCUSABLE_BY_WORK_NEED, NEEDS_DISTRICT_APPROVAL, restructure_violation
from organizations.scope import can, require
from organizations.services import tree

S = ReorgState
PLAN_FIELDS = ("kind", "new_kind", "new_name", "units_planned", "plan")
UPGRADE_KINDS = (OrgKind.GENERAL_BRANCH, OrgKind.COMMITTEE)


class Action:
    CONSULT = "consult"
    REQUEST = "request"
    APPROVE = "approve"
    REFUSE = "refuse"
    MEET = "meet"
    IMPLEMENT = "implement"
    FINISH = "finish"
    WITHDRAW = "withdraw"


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str
    perm: Perm
    label: str


MOVES: dict[str, Move] = {
    # 第三篇 五 征求意见: the draft plan handed to every member and to the departments concerned.
    Action.CONSULT: Move(frozenset({S.DRAFT}), S.CONSULTING, Perm.EDIT_ROSTER, "发放方案征求意见"),
    # 组织实施 2: "以村党支部的名义向镇党委请示".
    Action.REQUEST: Move(frozenset({S.CONSULTING}), S.REQUESTED, Perm.EDIT_ROSTER, "向上级党委请示"),
    # 组织实施 3: "镇党委批复"; a refusal ends the request.
    Action.APPROVE: Move(frozenset({S.REQUESTED}), S.APPROVED, Perm.RESTRUCTURE, "批复同意"),
    Action.REFUSE: Move(frozenset({S.REQUESTED}), S.REFUSED, Perm.RESTRUCTURE, "批复不同意"),
    # 组织实施 1: "召开党员大会。宣读上级党委的批复和党组织设置的方案".
    Action.MEET: Move(frozenset({S.APPROVED}), S.MET, Perm.EDIT_ROSTER, "召开党员大会"),
    # 组织实施 6: the new organizations set up "按规定程序".
    Action.IMPLEMENT: Move(frozenset({S.MET}), S.IMPLEMENTING, Perm.RESTRUCTURE, "实施调整"),
    Action.FINISH: Move(frozenset({S.IMPLEMENTING}), S.DONE, Perm.RESTRUCTURE, "实施完毕"),
    Action.WITHDRAW: Move(frozenset({S.DRAFT, S.CONSULTING}), S.WITHDRAWN, Perm.EDIT_ROSTER, "撤回"),
}
# Moves the district makes for a 党委 or a small 党总支 (B4), whoever else holds ``restructure``.
DISTRICT_MOVES = frozenset({Action.APPROVE, Action.REFUSE, Action.IMPLEMENT, Action.FINISH})


def members_of(org: Organization) -> tuple[int, int]:
    """(current members, full members) of ``org`` and every organization below it."""
    return tree.members_at_or_below(org)


def needs_district(reorg: Reorganization) -> bool:
    """B4: a 党委 needs the county-level committee; a 党总支 of 50 or fewer is the district's exception."""
    if reorg.kind != ReorgKind.UPGRADE:
        return False
    if reorg.new_kind in NEEDS_DISTRICT_APPROVAL:
        return True
    total, full = members_of(reorg.organization)
    violation = restructure_violation(new_kind=reorg.new_kind, total_members=total, full_members=full)
    return violation is not None and reorg.new_kind in EXCUSABLE_BY_WORK_NEED


def may_move(user: Any, reorg: Reorganization, action: str) -> bool:
    move = MOVES[action]
    if not can(user, move.perm, reorg.organization):
        return False
    return not (action in DISTRICT_MOVES and needs_district(reorg) and not is_district_staff(user))


def allowed_actions(user: Any, reorg: Reorganization) -> list[str]:
    """The moves this user may make now (the page shows only these buttons)."""
    return [a for a, m in MOVES.items() if reorg.state in m.sources and may_move(user, reorg, a)]


# --- The plan -------------------------------------------------------------------------------------------------


def _check_plan(org: Organization, data: dict[str, Any]) -> None:
    if data["kind"] == ReorgKind.UPGRADE:
        if data.get("new_kind") not in UPGRADE_KINDS:
            raise ValidationError({"new_kind": "请选择改设后的类别:党总支或党委"})
        if not (data.get("new_name") or "").strip():
            raise ValidationError({"new_name": "请填写改设后的名称"})
        if data["new_kind"] == org.kind:
            raise ValidationError({"new_kind": f"{org.name}已是{OrgKind(org.kind).label}"})
    elif not (data.get("units_planned") or "").strip():
        raise ValidationError({"units_planned": "请列出拟设立的下属党支部或党小组,每行一个"})
    if not (data.get("plan") or "").strip():
        raise ValidationError({"plan": "请填写设置方案"})


@transaction.atomic
def reorganization_start(*, actor: Any, organization: Organization, **data: Any) -> Reorganization:
    """Draft a reorganization of ``organization`` (起草 the 设置方案)."""
    require(actor, Perm.EDIT_ROSTER, organization)
    if organization.dissolved_on is not None:
        raise ValidationError("该组织已撤销,不能调整设置")
    if organization.reorganizations.filter(state__in=[s for s in S if s not in _ENDED]).exists():
        raise ValidationError(f"{organization.name}已有一项正在办理的组织设置调整,请在其页面继续办理")
    values = {name: (data.get(name) or "").strip() if name != "kind" else data.get(name) for name in PLAN_FIELDS}
    if values["kind"] not in ReorgKind.values:
        raise ValidationError({"kind": "请选择调整方式"})
    _check_plan(organization, values)
    if values["kind"] != ReorgKind.UPGRADE:
        values["new_kind"], values["new_name"] = "", ""
    reorg = Reorganization.objects.create(organization=organization, created_by=actor, **values)
    audit.record_on(
        reorg, actor=actor, verb="reorganization.start", summary=f"起草组织设置调整方案:{reorg.title}", after=values
    )
    return reorg


_ENDED = frozenset({S.DONE, S.REFUSED, S.WITHDRAWN})


@transaction.atomic
def reorganization_plan_update(*, actor: Any, reorganization: Reorganization, **data: Any) -> Reorganization:
    """Revise the plan while it is drafted or under comments (第三篇 五: "进一步完善党组织的设置方案")."""
    reorg = Reorganization.objects.select_for_update().select_related("organization").get(pk=reorganization.pk)
    require(actor, Perm.EDIT_ROSTER, reorg.organization)
    if reorg.state not in (S.DRAFT, S.CONSULTING):
        raise ValidationError("请示报出后方案不能再修改")
    values = {name: (data.get(name) or "").strip() if name != "kind" else data.get(name) for name in PLAN_FIELDS}
    _check_plan(reorg.organization, values)
    before = audit.snapshot(reorg, PLAN_FIELDS)
    for name, value in values.items():
        setattr(reorg, name, value)
    reorg.version += 1
    reorg.save()
    b, a = audit.changed(before, audit.snapshot(reorg, PLAN_FIELDS))
    audit.record_on(reorg, actor=actor, verb="reorganization.plan", summary="修改设置方案", before=b, after=a)
    return reorg


@transaction.atomic
def reorganization_comment_add(
    *, actor: Any, reorganization: Reorganization, author_name: str, content: str, received_on: date, handling: str = ""
) -> ReorganizationComment:
    """Record one comment on the plan while it is out for comments."""
    reorg = Reorganization.objects.select_for_update().select_related("organization").get(pk=reorganization.pk)
    require(actor, Perm.EDIT_ROSTER, reorg.organization)
    if reorg.state != S.CONSULTING:
        raise ValidationError("只有在征求意见阶段才能登记意见")
    if not author_name.strip() or not content.strip():
        raise ValidationError("请填写提出人和意见内容")
    comment = ReorganizationComment.objects.create(
        reorganization=reorg,
        author_name=author_name.strip(),
        content=content.strip(),
        handling=handling.strip(),
        received_on=received_on,
        recorded_by=actor,
    )
    audit.record_on(reorg, actor=actor, verb="reorganization.comment", summary=f"登记征求意见:{comment.author_name}")
    return comment


# --- The one transition service --------------------------------------------------------------------------------


def reorganization_move(
    *, actor: Any, reorganization: Reorganization, action: str, version: int | None = None, **payload: Any
) -> Reorganization:
    """Make one move of ``MOVES``. PermissionDenied (403) or a Chinese ValidationError; a page loaded before
    someone else's move (``version``) is refused."""
    move = MOVES.get(action)
    if move is None:
        raise ValueError(f"unknown action {action}")
    with transaction.atomic():
        reorg = Reorganization.objects.select_for_update().select_related("organization").get(pk=reorganization.pk)
        if not may_move(actor, reorg, action):
            who = "区委组织部" if action in DISTRICT_MOVES and needs_district(reorg) else "您"
            raise PermissionDenied(f"{reorg.organization.name}的组织设置调整:“{move.label}”须由{who}办理")
        if version is not None and version != reorg.version:
            raise ValidationError("该事项已被他人办理(或在另一个窗口中办理过),请刷新页面核对后再操作")
        if reorg.state not in move.sources:
            raise ValidationError(f"当前状态为“{reorg.get_state_display()}”,不能{move.label}")
        before = {"state": reorg.state}
        details = _EFFECTS[action](reorg, actor=actor, **payload)
        reorg.state = move.target
        reorg.version += 1
        reorg.save()
        audit.record_on(
            reorg,
            actor=actor,
            verb=f"reorganization.{action}",
            summary=f"组织设置调整({reorg.title}):{move.label}" + (f"。{details}" if details else ""),
            before=before,
            after={"state": move.target},
        )
    return reorg


def _consult(reorg: Reorganization, *, actor: Any, started_on: date | None = None, **_: Any) -> str:
    reorg.consult_started_on = started_on or timezone.localdate()
    return f"{reorg.consult_started_on}发放到每位党员手中并送有关部门"


def _request(
    reorg: Reorganization,
    *,
    actor: Any,
    members_consulted: int | None = None,
    number: str = "",
    on: date | None = None,
    **_: Any,
) -> str:
    total, full = members_of(reorg.organization)
    if members_consulted is None or members_consulted < 0:
        raise ValidationError({"members_consulted": "请填写征求意见的党员人数"})
    if members_consulted < total:
        raise ValidationError(
            {"members_consulted": f"设置方案须发放到每位党员手中征求意见:现有党员{total}名,已征求{members_consulted}名"}
        )
    if members_consulted > total:
        raise ValidationError({"members_consulted": f"征求意见人数{members_consulted}名多于现有党员{total}名"})
    if not number.strip() or on is None:
        raise ValidationError("请填写请示文号和日期")
    if reorg.kind == ReorgKind.UPGRADE:
        violation = restructure_violation(new_kind=reorg.new_kind, total_members=total, full_members=full)
        if violation is not None and reorg.new_kind not in EXCUSABLE_BY_WORK_NEED:
            raise ValidationError(str(violation))
    reorg.members_consulted, reorg.members_total = members_consulted, total
    reorg.request_number, reorg.request_date = number.strip(), on
    return f"请示文号{reorg.request_number},征求意见党员{members_consulted}名"


def _reply(reorg: Reorganization, *, actor: Any, number: str = "", on: date | None = None, note: str = "") -> None:
    if not number.strip() or on is None:
        raise ValidationError("请填写批复文号和日期")
    if reorg.request_date and on < reorg.request_date:
        raise ValidationError(f"批复日期不能早于请示日期{reorg.request_date}")
    reorg.reply_number, reorg.reply_date, reorg.reply_note = number.strip(), on, note.strip()
    reorg.reply_by = actor
    reorg.reply_body = "区委组织部" if needs_district(reorg) else _township_name(reorg.organization)


def _township_name(org: Organization) -> str:
    """The committee that answers: the organization's township (depth 2), or its parent."""
    steplen = Organization.steplen
    township = Organization.objects.filter(path=org.path[: 2 * steplen]).first() if org.depth > 2 else None
    parent = township or parent_of(org)
    return parent.name if parent is not None else "上级党委"


def parent_of(org: Organization) -> Organization | None:
    return Organization.objects.filter(path=org.path[: -Organization.steplen]).first() if org.depth > 1 else None


def _approve(reorg: Reorganization, *, actor: Any, number: str = "", on: date | None = None, note: str = "", **_: Any):
    _reply(reorg, actor=actor, number=number, on=on, note=note)
    return f"批复文号{reorg.reply_number}"


def _refuse(reorg: Reorganization, *, actor: Any, number: str = "", on: date | None = None, note: str = "", **_: Any):
    if not note.strip():
        raise ValidationError({"note": "不同意时须写明理由"})
    _reply(reorg, actor=actor, number=number, on=on, note=note)
    return f"批复文号{reorg.reply_number}:{reorg.reply_note}"


def _meet(
    reorg: Reorganization, *, actor: Any, on: date | None = None, due: int = 0, present: int = 0, note: str = "", **_
) -> str:
    if on is None:
        raise ValidationError({"on": "请填写党员大会日期"})
    if reorg.reply_date and on < reorg.reply_date:
        raise ValidationError({"on": f"党员大会宣读批复,日期不能早于批复日期{reorg.reply_date}"})
    if due <= 0 or present < 0 or present > due:
        raise ValidationError({"present": f"实到会人数应在0至应到会人数之间(应到{due}名,实到{present}名)"})
    reorg.meeting_on, reorg.meeting_due, reorg.meeting_present = on, due, present
    reorg.meeting_note = note.strip()
    return f"{on}召开,应到{due}名,实到{present}名"


def _implement(reorg: Reorganization, *, actor: Any, effective_on: date | None = None, **_: Any) -> str:
    effective_on = effective_on or timezone.localdate()
    if reorg.meeting_on and effective_on < reorg.meeting_on:
        raise ValidationError({"effective_on": f"实施日期不能早于党员大会日期{reorg.meeting_on}"})
    reorg.implemented_on = effective_on
    if reorg.kind != ReorgKind.UPGRADE:
        return ""
    tree.organization_upgrade(
        actor=actor,
        organization=reorg.organization,
        new_kind=reorg.new_kind,
        new_name=reorg.new_name,
        effective_on=effective_on,
        note=basis(reorg),
    )
    return f"{effective_on}起改设为{reorg.new_name}"


def _finish(reorg: Reorganization, *, actor: Any, **_: Any) -> str:
    if reorg.kind == ReorgKind.SUB_UNITS and not reorg.created_units.exists():
        raise ValidationError("尚未按方案设立任何下属组织,不能办结")
    return ""


def _withdraw(reorg: Reorganization, *, actor: Any, **_: Any) -> str:
    return ""


_EFFECTS = {
    Action.CONSULT: _consult,
    Action.REQUEST: _request,
    Action.APPROVE: _approve,
    Action.REFUSE: _refuse,
    Action.MEET: _meet,
    Action.IMPLEMENT: _implement,
    Action.FINISH: _finish,
    Action.WITHDRAW: _withdraw,
}


def basis(reorg: Reorganization) -> str:
    """The note every change made under the request carries in the history: the reply it rests on."""
    return f"依据{reorg.reply_body}批复({reorg.reply_number},{reorg.reply_date})"


@transaction.atomic
def reorganization_unit_add(
    *,
    actor: Any,
    reorganization: Reorganization,
    code: str,
    name: str,
    kind: str,
    members: list[Member],
    effective_on: date,
) -> Organization:
    """Set up one sub-branch or party group under the approved plan (组织实施 6), through ``sub_branch_create``."""
    reorg = Reorganization.objects.select_for_update().select_related("organization").get(pk=reorganization.pk)
    if not may_move(actor, reorg, Action.FINISH):
        raise PermissionDenied("您不能办理该组织设置调整的实施")
    if reorg.state != S.IMPLEMENTING:
        raise ValidationError("批复同意并召开党员大会后,才能按方案设立下属组织")
    parent = Organization.objects.get(pk=reorg.organization.pk)
    child = tree.sub_branch_create(
        actor=actor,
        parent=parent,
        code=code,
        name=name,
        kind=kind,
        members=members,
        effective_on=effective_on,
        note=basis(reorg),
    )
    reorg.created_units.add(child)
    audit.record_on(reorg, actor=actor, verb="reorganization.unit", summary=f"按方案设立{child.name}")
    return child
