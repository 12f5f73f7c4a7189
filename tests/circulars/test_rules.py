"""The pure rules of circulars: a receipt's state (U1), who is reminded and how often (U2), what a circular needs
(U3), when the daily task reminds (U4), the table of moves."""

from __future__ import annotations

from datetime import date

import pytest

from circulars.rules import receipts as rules
from circulars.rules.receipts import MOVES, CircularState, ReceiptState

DEADLINE = date(2026, 12, 10)


@pytest.mark.parametrize(
    ("read", "replied", "required", "deadline", "today", "expected"),
    [
        (False, False, True, DEADLINE, date(2026, 12, 3), ReceiptState.UNREAD),
        (True, False, True, DEADLINE, date(2026, 12, 3), ReceiptState.READ),
        (True, True, True, DEADLINE, date(2026, 12, 3), ReceiptState.REPLIED),
        (True, False, True, DEADLINE, DEADLINE, ReceiptState.READ),  # the deadline day is still in time
        (True, False, True, DEADLINE, date(2026, 12, 11), ReceiptState.OVERDUE),
        (False, False, True, DEADLINE, date(2026, 12, 11), ReceiptState.OVERDUE),
        (True, True, True, DEADLINE, date(2026, 12, 20), ReceiptState.REPLIED),
        (True, False, True, None, date(2027, 1, 1), ReceiptState.READ),  # no deadline: never overdue
        (True, False, False, DEADLINE, date(2026, 12, 20), ReceiptState.DONE),  # no reply asked: read is all
        (False, False, False, DEADLINE, date(2026, 12, 20), ReceiptState.UNREAD),
    ],
)
def test_receipt_state(read, replied, required, deadline, today, expected):
    state = rules.receipt_state(read=read, replied=replied, reply_required=required, deadline=deadline, today=today)
    assert state == expected


def test_a_reply_after_the_deadline_day_is_late_and_on_it_is_not():
    assert not rules.replied_late(replied_on=DEADLINE, deadline=DEADLINE)
    assert rules.replied_late(replied_on=date(2026, 12, 11), deadline=DEADLINE)
    assert not rules.replied_late(replied_on=None, deadline=DEADLINE)
    assert not rules.replied_late(replied_on=date(2027, 1, 1), deadline=None)


def test_counts_have_every_state():
    counts = rules.state_counts([ReceiptState.UNREAD, ReceiptState.UNREAD, ReceiptState.REPLIED])
    assert counts == {"unread": 2, "read": 0, "replied": 1, "overdue": 0, "done": 0}


def test_who_is_reminded_and_at_most_once_a_day():
    assert rules.needs_reminder(read=True, replied=False, reply_required=True)
    assert not rules.needs_reminder(read=True, replied=True, reply_required=True)
    assert rules.needs_reminder(read=False, replied=False, reply_required=False)
    assert not rules.needs_reminder(read=True, replied=False, reply_required=False)
    today = date(2026, 12, 3)
    assert rules.may_remind(last_reminded_on=None, today=today)
    assert not rules.may_remind(last_reminded_on=today, today=today)
    assert rules.may_remind(last_reminded_on=date(2026, 12, 2), today=today)


@pytest.mark.parametrize(
    ("required", "deadline", "expected"),
    [
        (True, date(2026, 12, 8), True),  # the horizon itself
        (True, date(2026, 12, 1), True),  # passed: every day until closed
        (True, date(2026, 12, 9), False),  # further than the horizon
        (True, None, False),  # no deadline: only by hand
        (False, date(2026, 12, 1), False),  # no reply asked
    ],
)
def test_when_the_daily_task_reminds(required, deadline, expected):
    horizon = date(2026, 12, 8)  # from Friday 12-04: Monday, Tuesday
    assert rules.deadline_reminder_due(reply_required=required, deadline=deadline, horizon=horizon) is expected


def test_what_a_circular_needs():
    today = date(2026, 12, 3)
    ok = {"title": "通知", "body": "正文", "reply_required": True, "deadline": today, "today": today, "recipients": 1}
    assert rules.content_problems(**ok) == []
    assert rules.content_problems(**{**ok, "title": "  "}) == ["请填写标题"]
    assert rules.content_problems(**{**ok, "body": ""}) == ["请填写正文"]
    assert rules.content_problems(**{**ok, "recipients": 0}) == ["请至少选择一个接收的党组织"]
    assert rules.content_problems(**{**ok, "deadline": None}) == ["要求回复的通知请填写回复截止日期"]
    assert rules.content_problems(**{**ok, "reply_required": False, "deadline": None}) == []
    assert rules.content_problems(**{**ok, "deadline": date(2026, 12, 2)}) == ["截止日期2026-12-02早于今天,请重新填写"]


def test_the_moves():
    assert MOVES["send"].sources == (CircularState.DRAFT,) and MOVES["send"].target == CircularState.SENT
    assert MOVES["close"].sources == (CircularState.SENT,) and MOVES["close"].target == CircularState.CLOSED
