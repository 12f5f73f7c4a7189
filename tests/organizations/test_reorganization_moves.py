"""The reorganization's table of moves (组织设置调整), read without a database: the order 第三篇 五 gives
(方案征求意见 → 请示 → 批复 → 党员大会宣读批复 → 实施), a refusal ending it, and who moves (the organization's side,
the committee that answers)."""

from __future__ import annotations

from organizations.models.reorganization import OPEN_STATES, ReorgState
from organizations.roles import Perm
from organizations.services.reorganization import DISTRICT_MOVES, MOVES, Action

S = ReorgState


def exits(state: str) -> set[str]:
    return {name for name, move in MOVES.items() if state in move.sources}


def test_the_one_path_follows_the_sources_order():
    """第三篇 五: 征求意见 (发放到每位党员手中) → 组织实施 2 请示 → 3 批复 → 1 党员大会宣读批复 → 6 建立."""
    path = [Action.CONSULT, Action.REQUEST, Action.APPROVE, Action.MEET, Action.IMPLEMENT, Action.FINISH]
    state = S.DRAFT
    for action in path:
        assert state in MOVES[action].sources, (state, action)
        state = MOVES[action].target
    assert state == S.DONE


def test_every_state_has_exactly_the_expected_exits():
    assert exits(S.DRAFT) == {Action.CONSULT, Action.WITHDRAW}
    assert exits(S.CONSULTING) == {Action.REQUEST, Action.WITHDRAW}
    assert exits(S.REQUESTED) == {Action.APPROVE, Action.REFUSE}
    assert exits(S.APPROVED) == {Action.MEET}
    assert exits(S.MET) == {Action.IMPLEMENT}
    assert exits(S.IMPLEMENTING) == {Action.FINISH}


def test_a_refusal_ends_it_as_do_done_and_withdrawn():
    """第三篇 五 组织实施 3: only a reply that agrees lets the members' meeting and the change follow."""
    assert MOVES[Action.REFUSE].target == S.REFUSED
    for ended in (S.REFUSED, S.DONE, S.WITHDRAWN):
        assert exits(ended) == set()
        assert ended not in OPEN_STATES
    assert set(OPEN_STATES) == {s for s in S if exits(s)}


def test_no_members_meeting_or_change_before_the_reply():
    """The members' meeting reads the reply (组织实施 1 "宣读上级党委的批复"), so it comes after it."""
    before_reply = {S.DRAFT, S.CONSULTING, S.REQUESTED}
    assert not MOVES[Action.MEET].sources & before_reply
    assert not MOVES[Action.IMPLEMENT].sources & before_reply
    assert MOVES[Action.REQUEST].sources == {S.CONSULTING}  # no 请示 without the plan out for comments


def test_who_moves():
    """The organization drafts, consults, asks and holds its meeting (edit_roster: its secretary, or the township
    helping it); the committee that answers (restructure) replies and carries it out; B4's cases go to the district."""
    own = {Action.CONSULT, Action.REQUEST, Action.MEET, Action.WITHDRAW}
    for name, move in MOVES.items():
        assert move.perm == (Perm.EDIT_ROSTER if name in own else Perm.RESTRUCTURE), name
    assert DISTRICT_MOVES == {Action.APPROVE, Action.REFUSE, Action.IMPLEMENT, Action.FINISH}
