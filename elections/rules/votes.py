"""The numbers of a vote (RULES.md A1, A2, A3, A9, A10, A11, K8) as pure functions: plain values in, no ORM.

Words follow 民法典 Art. 1259: 以上/以下/以内/不超过 include the number; 超过/不满/以外 exclude it. Sources: 选举条例 =
《中国共产党基层组织选举工作条例》(2020); 1990条例 = the provisional regulation it replaced; "the plan" = the 2018
village/community election pilot plan (第五篇). Where the plan and the guides disagree, the plan wins, and the docstring
says so. Checks return a list of ``Failure`` (``elections.rules.failures``; empty: nothing to report); a failure with
severity ``warning`` asks a person to confirm. Candidate eligibility is ``elections.rules.eligibility``; tallying
``elections.rules.tally``; the committee, the secretary and terms ``elections.rules.terms``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from elections.rules.failures import Failure

# A1 选举条例; 1990条例: valid only if those present are 超过 (strictly more than) 4/5 of those due.
# Integer form, no floats: 5 * present > 4 * (due - excused).
QUORUM_NUMERATOR = 4


QUORUM_DENOMINATOR = 5


# A3 1990条例 Art. 22: elected only with 超过半数 (more than half) of the voters PRESENT: 2 * votes > present.
MAJORITY_NUMERATOR = 1


MAJORITY_DENOMINATOR = 2


# A11 选举条例 Arts. 9, 13; the plan §五 steps 12 and 16 "不低于委员应选人数20%的差额比例": candidates at least
# seats + 20 %, rounded up (a fraction of a person is a whole person): n + ceil(n / 5).
MARGIN_PERCENT = 20


# K8 (RULES.md count checks): invalid ballots 超过 10 % of the returned ballots → a warning.
INVALID_WARNING_PERCENT = 10


def quorum_met(*, due: int, present: int, excused: int = 0) -> bool:
    """A1/A1a: ``5 * present > 4 * (due - excused)``; due 100 → 81 needed, due 50 with 2 excused → 39."""
    return QUORUM_DENOMINATOR * present > QUORUM_NUMERATOR * (due - excused)


def quorum_needed(*, due: int, excused: int = 0) -> int:
    """A1: the smallest number present that makes the vote valid."""
    return QUORUM_NUMERATOR * (due - excused) // QUORUM_DENOMINATOR + 1


def majority_needed(present: int) -> int:
    """A3: the fewest votes that are more than half of those present (80 present → 41)."""
    return MAJORITY_NUMERATOR * present // MAJORITY_DENOMINATOR + 1


def has_majority(votes: int, present: int) -> bool:
    """A3: strictly more than half of those present; exactly half fails."""
    return MAJORITY_DENOMINATOR * votes > MAJORITY_NUMERATOR * present


def min_candidates(seats: int) -> int:
    """A11: at least 20 % more candidates than seats, rounded up: 3 → 4, 5 → 6, 7 → 9, 9 → 11."""
    if seats < 1:
        raise ValueError(f"应选名额须至少为1,当前为{seats}")
    return seats + -(-seats * MARGIN_PERCENT // 100)


def check_margin(seats: int, candidates: int) -> list[Failure]:
    """A11 on a recommendation, inspection or ballot list."""
    needed = min_candidates(seats)
    if candidates >= needed:
        return []
    return [
        Failure(
            "A11",
            f"应选{seats}名,候选人{candidates}名,差额不足{MARGIN_PERCENT}%:至少应有{needed}名候选人"
            f"(《中国共产党基层组织选举工作条例》第九条、第十三条)",
        )
    ]


@dataclass(frozen=True)
class VoterFacts:
    name: str
    is_full_member: bool
    under_party_probation: bool = False  # 留党察看


def counts_toward_due(voter: VoterFacts) -> bool:
    """A2 选举条例 Art. 5: only full members not under 留党察看 vote, stand and count toward "due".

    Who is excused (A1a) is decided by the congress with the higher body's consent; the caller subtracts them
    through ``TallyInput.excused``, never by leaving them out of ``due``.
    """
    return voter.is_full_member and not voter.under_party_probation


def due_count(voters: Iterable[VoterFacts]) -> int:
    """A2: 10 full + 2 probationary → due is 10."""
    return sum(1 for v in voters if counts_toward_due(v))


def check_proxy(*, is_proxy: bool, voter_present: bool = True) -> list[Failure]:
    """A9 选举条例 Art. 24: no proxy voting for absent members."""
    if is_proxy or not voter_present:
        return [Failure("A9", "不得委托他人代为投票,缺席党员不能投票(《中国共产党基层组织选举工作条例》第二十四条)")]
    return []


def check_scrutineers(scrutineers: Iterable[str], candidates: Iterable[str]) -> list[Failure]:
    """A10 选举条例 Arts. 22–24: a candidate may not be a scrutineer (监票人)."""
    on_ballot = set(candidates)
    return [Failure("A10", f"{name}是候选人,不得担任监票人") for name in scrutineers if name in on_ballot]
