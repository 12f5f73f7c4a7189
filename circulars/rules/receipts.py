"""Pure rules of circulars (通知公告): the circular's moves, each receipt's state, the counts the sender sees, and
when an organization may be reminded again. Plain values in, plain values out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import models

# A reminder to the same organization about the same circular at most once a calendar day ([L]: a daily nudge is
# what a township does by telephone; more would be noise).
REMIND_EVERY_DAYS = 1
# The daily task reminds the organizations not replied once the reply deadline is this many working days away or
# nearer, and every day after it has passed until the circular is closed ([L]: two working days to prepare a reply).
REMIND_BEFORE_WORKDAYS = 2


class CircularState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SENT = "sent", "已发送"
    CLOSED = "closed", "已结束"


@dataclass(frozen=True)
class Move:
    sources: tuple[str, ...]
    target: str
    label: str  # the button's words


# The one table of the circular's moves: a draft is sent once; a sent circular is closed (no more replies) once.
MOVES: dict[str, Move] = {
    "send": Move((CircularState.DRAFT,), CircularState.SENT, "发送"),
    "close": Move((CircularState.SENT,), CircularState.CLOSED, "结束"),
}


class ReceiptState(models.TextChoices):
    UNREAD = "unread", "未读"
    READ = "read", "已读未回复"
    REPLIED = "replied", "已回复"
    OVERDUE = "overdue", "逾期"
    DONE = "done", "已读"  # a circular without a reply asked: reading it is all


def receipt_state(
    *, read: bool, replied: bool, reply_required: bool, deadline: date | None, today: date
) -> ReceiptState:
    """U1: replied → 已回复 (late or not); a reply asked, the deadline passed and none given → 逾期; else read or not.
    A circular that asks no reply is 已读 once read. The deadline day itself is still in time."""
    if replied:
        return ReceiptState.REPLIED
    if reply_required and deadline is not None and today > deadline:
        return ReceiptState.OVERDUE
    if read:
        return ReceiptState.READ if reply_required else ReceiptState.DONE
    return ReceiptState.UNREAD


def replied_late(*, replied_on: date | None, deadline: date | None) -> bool:
    """U1: a reply after the deadline day is kept and marked 逾期."""
    return replied_on is not None and deadline is not None and replied_on > deadline


def state_counts(states: Iterable[ReceiptState]) -> dict[str, int]:
    """How many receipts in each state, every state present (the counts at the top of the receipt list)."""
    counts = {s.value: 0 for s in ReceiptState}
    for s in states:
        counts[s.value] += 1
    return counts


def needs_reminder(*, read: bool, replied: bool, reply_required: bool) -> bool:
    """U2: who a reminder goes to: those who have not replied (or, when no reply is asked, not read)."""
    return not replied if reply_required else not read


def may_remind(*, last_reminded_on: date | None, today: date) -> bool:
    """U2: an organization is reminded about one circular at most once a day."""
    return last_reminded_on is None or (today - last_reminded_on).days >= REMIND_EVERY_DAYS


def deadline_reminder_due(*, reply_required: bool, deadline: date | None, horizon: date) -> bool:
    """U4: whether the daily task reminds about a circular: a reply is asked and its deadline is on or before
    ``horizon`` (the ``REMIND_BEFORE_WORKDAYS``-th working day from today), passed deadlines included."""
    return reply_required and deadline is not None and deadline <= horizon


def content_problems(
    *, title: str, body: str, reply_required: bool, deadline: date | None, today: date, recipients: int
) -> list[str]:
    """U3: what a circular must have to be saved or sent: a title, a body, at least one recipient, and a reply
    deadline (not in the past) when a reply is asked."""
    problems = []
    if not title.strip():
        problems.append("请填写标题")
    if not body.strip():
        problems.append("请填写正文")
    if recipients < 1:
        problems.append("请至少选择一个接收的党组织")
    if reply_required and deadline is None:
        problems.append("要求回复的通知请填写回复截止日期")
    if deadline is not None and deadline < today:
        problems.append(f"截止日期{deadline:%Y-%m-%d}早于今天,请重新填写")
    return problems
