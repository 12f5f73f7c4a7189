"""Incidents and sanctions of an election (第五篇 六 组织领导), as plain values in, failures out; no ORM.

- 六.1: "试点乡镇工作中的重大事件、重要舆情、重要信息及时报县委组织部"; 六.3: "认真对待群众来信来访,及时调查核实,妥善
  解决问题". An incident is open until it is closed with a conclusion; follow-ups are added while it is open (E1).
- 六.2: "对候选人及其亲友直接或指使他人用金钱、财物或者其他利益收买本村选民,被确认为有贿选行为的,取消其候选人资格或宣布
  其当选无效". 取消候选人资格 strikes someone not (yet) elected, 宣布当选无效 someone elected; neither twice (E2, E3).
  The same clause forbids 违规操纵选举、干扰破坏、拉票贿选、弄虚作假, and 三(二)(8) bars a candidate who "存在拉票贿选等
  违反换届纪律行为,利用各种方式操纵、干扰、破坏选举工作".
- An annulled seat is filled like a seat nobody won (A5 另行选举): the seats to fill again are the annulled ones not
  yet filled by a later round (E4).
"""

from __future__ import annotations

from django.db.models import TextChoices

from elections.rules.failures import Failure

SOURCE = "第五篇 六"
CLAUSE = "《换届选举试点工作方案》“六、组织领导”"


class Ground(TextChoices):
    """What was established (查实) against the person, in the words of 第五篇 六.2 and 三(二)(8)."""

    BRIBERY = "bribery", "贿选(用金钱、财物或者其他利益收买选民)"
    CANVASSING = "canvassing", "拉票"
    MANIPULATION = "manipulation", "操纵、干扰、破坏选举"
    FRAUD = "fraud", "弄虚作假"


# --- E1 incidents ---------------------------------------------------------------------------------------------------

OPEN, CLOSED = "open", "closed"
# action → the states it may be taken in (the incident's table of moves: follow up while open, close once)
INCIDENT_MOVES: dict[str, tuple[frozenset[str], str]] = {
    "follow_up": (frozenset({OPEN}), OPEN),
    "close": (frozenset({OPEN}), CLOSED),
}
ACTION_WORDS = {"follow_up": "添加跟进记录", "close": "办结"}
STATE_WORDS = {OPEN: "处理中", CLOSED: "已办结"}


def incident_move(state: str, action: str) -> tuple[str | None, list[Failure]]:
    """The state after ``action``, or the refusal: an incident closed is closed (add a new one for new facts)."""
    move = INCIDENT_MOVES.get(action)
    if move is None:
        return None, [Failure("E1", "未知的处理操作")]
    sources, target = move
    if state not in sources:
        return None, [Failure("E1", f"该事件{STATE_WORDS.get(state, state)},不能再{ACTION_WORDS[action]}")]
    return target, []


def check_conclusion(conclusion: str) -> list[Failure]:
    if not conclusion.strip():
        return [Failure("E1", "办结时请填写处理结论(调查核实的情况和处理结果)")]
    return []


# --- E2, E3 sanctions -----------------------------------------------------------------------------------------------

# Candidate statuses (elections.models.CandidateStatus values) from which a candidacy can be withdrawn by decision.
DISQUALIFIABLE = frozenset({"pending", "eligible", "approved"})


def check_disqualify(*, status: str, elected: bool, round_running: bool) -> list[Failure]:
    """E2 取消候选人资格: only a candidate still standing and not elected; never while a ballot is being counted
    (the printed ballot would change under the counters)."""
    if elected:
        return [Failure("E2", f"该人选已经当选,应宣布其当选无效,而不是取消候选人资格({CLAUSE})")]
    if status == "disqualified":
        return [Failure("E2", "该人选的候选人资格已经取消")]
    if status not in DISQUALIFIABLE:
        return [Failure("E2", "该人选已不在候选人名单中,无需取消资格")]
    if round_running:
        return [Failure("E2", "有投票轮次尚未公布结果,请先公布结果再取消候选人资格")]
    return []


# Project phases (elections.models.Phase values) in which an election can be annulled: once the congress is held,
# until the project is closed (后续工作 included: the new committee is then in post and the seat is vacated).
ANNULLABLE_PHASES = frozenset({"electing", "following_up"})


def check_annul(
    *, name: str, elected: list[str], annulled: list[str], phase: str, round_running: bool
) -> list[Failure]:
    """E3 宣布当选无效: only someone elected in a published round, once, while the project runs."""
    if name in annulled:
        return [Failure("E3", f"{name}的当选已经宣布无效")]
    if name not in elected:
        return [Failure("E3", f"{name}没有当选,不能宣布当选无效(未当选的候选人可取消其候选人资格)")]
    if phase not in ANNULLABLE_PHASES:
        return [Failure("E3", "换届已经结束,不能在本项目中宣布当选无效,请按程序另行补选")]
    if round_running:
        return [Failure("E3", "有投票轮次尚未公布结果,请先公布结果")]
    return []


def check_decision(*, reason: str, decided_by: str, document_number: str, ground: str) -> list[Failure]:
    """Both sanctions are decisions of a body: what was established, who decided, the document (六.2 "被确认")."""
    failures = []
    if ground not in Ground.values:
        failures.append(Failure("E2", "请选择查实的违纪情形"))
    if not reason.strip():
        failures.append(Failure("E2", "请填写查实情况"))
    if not decided_by.strip():
        failures.append(Failure("E2", "请填写决定人"))
    if not document_number.strip():
        failures.append(Failure("E2", "请填写决定文号"))
    return failures


# --- E4 the seats an annulment reopens ------------------------------------------------------------------------------


def standing_elected(elected: list[str], annulled: list[str]) -> list[str]:
    """Those elected whose election stands, in the order they were elected."""
    return [n for n in elected if n not in annulled]


def further_ballot_names(on_ballot: list[str], elected: list[str], struck: list[str]) -> list[str]:
    """Who may stand again for a reopened seat: those on the ballot who were not elected and not struck off
    (disqualified or annulled), in the ballot's order. A disqualified person "cannot be elected in later rounds"."""
    return [n for n in on_ballot if n not in elected and n not in struck]
