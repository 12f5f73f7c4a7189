"""The pure rules of incidents and sanctions, 第五篇 六 组织领导 (``elections.rules.incidents``, E1–E4): which action is
allowed in which state, whom each sanction may strike, which seats an annulment reopens. No database."""

from __future__ import annotations

import pytest

from elections.rules.incidents import (
    DISQUALIFIABLE,
    Ground,
    check_annul,
    check_conclusion,
    check_decision,
    check_disqualify,
    further_ballot_names,
    incident_move,
    standing_elected,
)


@pytest.mark.parametrize(
    ("state", "action", "target"),
    [
        ("open", "follow_up", "open"),
        ("open", "close", "closed"),
        ("closed", "follow_up", None),
        ("closed", "close", None),
    ],
)
def test_e1_an_incident_is_followed_up_while_open_and_closed_once(state, action, target):
    """六.3 "及时调查核实,妥善解决问题": follow-ups while open; closed once, then nothing more."""
    got, failures = incident_move(state, action)
    assert got == target
    assert bool(failures) == (target is None)
    if failures:
        assert "已办结" in failures[0].message and "E1" not in failures[0].message


def test_e1_an_unknown_action_is_refused_and_closing_needs_a_conclusion():
    assert incident_move("open", "reopen")[1]
    assert check_conclusion("  ")[0].message.startswith("办结时请填写处理结论")
    assert check_conclusion("经调查核实,反映问题不属实") == []


@pytest.mark.parametrize("status", sorted(DISQUALIFIABLE))
def test_e2_a_standing_candidate_not_elected_may_be_disqualified(status):
    """六.2 "取消其候选人资格": pending, eligible or approved, and not elected."""
    assert check_disqualify(status=status, elected=False, round_running=False) == []


@pytest.mark.parametrize(
    ("status", "elected", "running", "words"),
    [
        ("approved", True, False, "宣布其当选无效"),
        ("disqualified", False, False, "已经取消"),
        ("refused", False, False, "不在候选人名单"),
        ("withdrawn", False, False, "不在候选人名单"),
        ("approved", False, True, "尚未公布结果"),
    ],
)
def test_e2_disqualification_is_refused_otherwise(status, elected, running, words):
    (failure,) = check_disqualify(status=status, elected=elected, round_running=running)
    assert words in failure.message


def test_e3_only_someone_elected_is_annulled_once_while_the_project_runs():
    """六.2 "宣布其当选无效": elected, not yet annulled; in 大会选举 or 后续工作; no round being counted."""
    ok = {"name": "甲", "elected": ["甲", "乙"], "annulled": [], "round_running": False}
    assert check_annul(**ok, phase="electing") == []
    assert check_annul(**ok, phase="following_up") == []
    assert "已经宣布无效" in check_annul(**{**ok, "annulled": ["甲"]}, phase="electing")[0].message
    assert "没有当选" in check_annul(**{**ok, "name": "丙"}, phase="electing")[0].message
    assert "换届已经结束" in check_annul(**ok, phase="closed")[0].message
    assert "换届已经结束" in check_annul(**ok, phase="nominating")[0].message
    assert "尚未公布结果" in check_annul(**{**ok, "round_running": True}, phase="electing")[0].message


def test_e2_e3_a_decision_names_the_ground_what_was_established_who_and_the_document():
    good = {"reason": "查实其向选民发放现金", "decided_by": "张三", "document_number": "某党〔2026〕5号"}
    assert check_decision(**good, ground=Ground.BRIBERY) == []
    messages = [f.message for f in check_decision(reason="", decided_by=" ", document_number="", ground="x")]
    assert messages == ["请选择查实的违纪情形", "请填写查实情况", "请填写决定人", "请填写决定文号"]


def test_e4_an_annulled_seat_is_contested_by_those_neither_elected_nor_struck_off():
    """The vacated seat goes to a further ballot (A5 path) among the others; a disqualified or annulled person is on
    no later ballot."""
    assert standing_elected(["甲", "乙", "丙"], ["乙"]) == ["甲", "丙"]
    on_ballot = ["甲", "乙", "丙", "丁", "戊"]
    assert further_ballot_names(on_ballot, ["甲", "丙"], ["乙", "戊"]) == ["丁"]
    assert further_ballot_names(on_ballot, on_ballot, []) == []
