"""The transfer's one table of moves (``MOVES``) and its one transition service (``transfer_move``).

    区内转接  待转出审核 ─issue─► 待接收 ─confirm─► 已接收 (the member moves: members_move, MemberTransfer, counts)
    转出区外  待转出审核 ─issue─► 已开出介绍信 ─receipt─► 回执已收 (the member leaves the roster: 组织关系转出)
    从区外转入                     待接收 ─confirm─► 已接收 (the member is created at the receiving organization)
    待转出审核 ─refuse─► 已退回;  待接收 ─return─► 已退回;  any open state ─withdraw─► 已撤销

Who (``organizations.roles``): the committee over the sender issues, refuses and records the receipt
(``transfer_letter`` on the sending organization: its township, the district); the receiving organization confirms
or returns (``edit_roster`` there: its secretary, its township); the side that started it withdraws (``edit_roster``
on the sender, or on the receiver for a transfer in).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core import audit
from organizations.models import Member, Organization
from organizations.roles import Perm
from organizations.scope import can
from organizations.services.members import member_create, member_update
from organizations.services.tree import members_move
from transfers.models import TransferKind, TransferRequest, TransferState
from transfers.rules import letters as rules
from transfers.services.letters import issuing_committee, letter_allocate

S, K = TransferState, TransferKind
LEFT_REASON = "组织关系转出"


class Action:
    ISSUE = "issue"
    REFUSE = "refuse"
    CONFIRM = "confirm"
    RETURN = "return"
    RECEIPT = "receipt"
    WITHDRAW = "withdraw"


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    targets: Mapping[str, str]  # transfer kind → the state this move leads to (kinds not listed cannot take it)
    perm: Perm
    side: str  # "from", "to" or "start": whose organization the permission is checked on
    label: str


MOVES: dict[str, Move] = {
    Action.ISSUE: Move(
        frozenset({S.REVIEW}), {K.WITHIN: S.AWAITING, K.OUT: S.LETTER_OUT}, Perm.TRANSFER_LETTER, "from", "开具介绍信"
    ),
    Action.REFUSE: Move(
        frozenset({S.REVIEW}), {K.WITHIN: S.RETURNED, K.OUT: S.RETURNED}, Perm.TRANSFER_LETTER, "from", "不予转出"
    ),
    Action.CONFIRM: Move(
        frozenset({S.AWAITING}), {K.WITHIN: S.RECEIVED, K.IN: S.RECEIVED}, Perm.EDIT_ROSTER, "to", "确认接收"
    ),
    Action.RETURN: Move(
        frozenset({S.AWAITING}), {K.WITHIN: S.RETURNED, K.IN: S.RETURNED}, Perm.EDIT_ROSTER, "to", "退回"
    ),
    Action.RECEIPT: Move(frozenset({S.LETTER_OUT}), {K.OUT: S.RECEIPTED}, Perm.TRANSFER_LETTER, "from", "登记回执"),
    Action.WITHDRAW: Move(
        frozenset({S.REVIEW, S.AWAITING, S.LETTER_OUT}),
        {K.WITHIN: S.WITHDRAWN, K.OUT: S.WITHDRAWN, K.IN: S.WITHDRAWN},
        Perm.EDIT_ROSTER,
        "start",
        "撤销",
    ),
}


def side_org(transfer: TransferRequest, side: str) -> Organization | None:
    if side == "start":
        side = "to" if transfer.kind == K.IN else "from"
    return transfer.from_org if side == "from" else transfer.to_org


def may_move(user: Any, transfer: TransferRequest, action: str) -> bool:
    move = MOVES[action]
    org = side_org(transfer, move.side)
    return transfer.kind in move.targets and org is not None and can(user, move.perm, org)


def allowed_actions(user: Any, transfer: TransferRequest) -> list[str]:
    """The moves this user may make now (the page shows only these buttons)."""
    return [a for a, m in MOVES.items() if transfer.state in m.sources and may_move(user, transfer, a)]


def transfer_move(
    *, actor: Any, transfer: TransferRequest, action: str, version: int | None = None, **payload: Any
) -> TransferRequest:
    """Make one move of ``MOVES``: PermissionDenied (403) or a Chinese ValidationError; a page loaded before someone
    else's move (``version``) is refused."""
    move = MOVES.get(action)
    if move is None:
        raise ValueError(f"unknown action {action}")
    with transaction.atomic():
        locked = TransferRequest.objects.select_for_update().get(pk=transfer.pk)
        locked = TransferRequest.objects.select_related("from_org", "to_org", "member").get(pk=locked.pk)
        if not may_move(actor, locked, action):
            raise PermissionDenied(f"您不能办理该组织关系转接的“{move.label}”")
        if version is not None and version != locked.version:
            raise ValidationError("该转接已被他人办理(或在另一个窗口中办理过),请刷新页面核对后再操作")
        if locked.state not in move.sources:
            raise ValidationError(f"当前状态为“{locked.get_state_display()}”,不能{move.label}")
        before = {"state": locked.state}
        locked.state = move.targets[locked.kind]
        locked.version += 1
        locked.save(update_fields=["state", "version"])  # first: the move guard then sees the member out of transit
        details = _EFFECTS[action](locked, actor=actor, **payload)
        locked.save()
        org = side_org(locked, move.side)
        audit.record(
            actor=actor,
            verb=f"transfer.{action}",
            summary=f"{locked.person_name}的组织关系转接:{move.label}" + (f"。{details}" if details else ""),
            target=locked,
            org_path=org.path if org else "",
            before=before,
            after={"state": locked.state},
        )
    return locked


def _day(on: date | None, transfer: TransferRequest, what: str) -> date:
    on = on or timezone.localdate()
    if on < transfer.started_on:
        raise ValidationError({"on": f"{what}不能早于发起日期{transfer.started_on}"})
    return on


def _end(transfer: TransferRequest, actor: Any, on: date, note: str = "") -> None:
    transfer.ended_on, transfer.end_note, transfer.ended_by = on, note.strip(), actor


def _issue(
    transfer: TransferRequest,
    *,
    actor: Any,
    on: date | None = None,
    valid_days: int = rules.DEFAULT_VALID_DAYS,
    dues_paid_to: str = "",
    **_: Any,
) -> str:
    on = _day(on, transfer, "开具日期")
    try:
        rules.check_valid_days(valid_days)
        dues = rules.dues_month(dues_paid_to)
    except rules.LetterRuleError as exc:
        raise ValidationError(str(exc)) from None
    committee = issuing_committee(transfer.from_org)
    transfer.letter_seq, transfer.letter_number = letter_allocate(committee, on.year)
    transfer.issuing_committee, transfer.letter_year = committee, on.year
    transfer.letter_issued_on, transfer.valid_days, transfer.dues_paid_to = on, valid_days, dues.label
    transfer.issued_by = actor
    return f"介绍信{committee.name}{transfer.letter_number}"


def _refuse(transfer: TransferRequest, *, actor: Any, on: date | None = None, note: str = "", **_: Any) -> str:
    if not note.strip():
        raise ValidationError({"note": "请写明不予转出的理由"})
    _end(transfer, actor, _day(on, transfer, "日期"), note)
    return transfer.end_note


def _confirm(transfer: TransferRequest, *, actor: Any, on: date | None = None, **_: Any) -> str:
    on = _day(on, transfer, "接收日期")
    if transfer.to_org.dissolved_on is not None:
        raise ValidationError("接收党组织已撤销,请退回")
    if transfer.kind == K.IN:
        transfer.member = member_create(
            actor=actor,
            organization=transfer.to_org,
            name=transfer.person_name,
            **{f: getattr(transfer, f) for f in ("gender", "ethnicity", "birth_date", "education", "joined_on")},
            status=transfer.status,
            id_number=transfer.id_number,
            phone=transfer.phone,
        )
    else:
        members_move(
            actor=actor,
            members=[transfer.member],
            to_org=transfer.to_org,
            moved_on=on,
            reason=f"组织关系转接({transfer.letter_number})",
            sender_approved=True,  # the committee over the sender issued the letter
        )
    _end(transfer, actor, on)
    return f"{on}转入{transfer.to_name}"


def _return(transfer: TransferRequest, *, actor: Any, on: date | None = None, note: str = "", **_: Any) -> str:
    if not note.strip():
        raise ValidationError({"note": "请写明退回的理由"})
    _end(transfer, actor, _day(on, transfer, "日期"), note)
    return transfer.end_note


def _receipt(transfer: TransferRequest, *, actor: Any, on: date | None = None, note: str = "", **_: Any) -> str:
    on = _day(on, transfer, "回执日期")
    if transfer.letter_issued_on and on < transfer.letter_issued_on:
        raise ValidationError({"on": f"回执日期不能早于介绍信开具日期{transfer.letter_issued_on}"})
    member = Member.objects.get(pk=transfer.member_id)
    member_update(actor=actor, member=member, left_on=on, left_reason=LEFT_REASON)
    _end(transfer, actor, on, note)
    return f"{on}收到回执,{transfer.person_name}转出本区"


def _withdraw(transfer: TransferRequest, *, actor: Any, note: str = "", **_: Any) -> str:
    _end(transfer, actor, timezone.localdate(), note)
    return transfer.end_note


_EFFECTS = {
    Action.ISSUE: _issue,
    Action.REFUSE: _refuse,
    Action.CONFIRM: _confirm,
    Action.RETURN: _return,
    Action.RECEIPT: _receipt,
    Action.WITHDRAW: _withdraw,
}
