"""A1a 《中国共产党基层组织选举工作条例》第十六条: members may be left out of "due" only with the higher body's consent
(经上级党组织同意) and the congress's vote (经党员大会通过). Plain values in, failures out; no ORM."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from elections.rules.failures import Failure

SOURCE = "《中国共产党基层组织选举工作条例》第十六条"

# 党员大会议决事项: "赞成人数超过应到会有表决权的党员的半数为通过" (《中国共产党支部工作条例(试行)》); the vote is
# taken before anyone is excused, so "due" here is the roll before excusing.
PASS_NUMERATOR = 1
PASS_DENOMINATOR = 2


@dataclass(frozen=True)
class ExcusalRecord:
    """What was decided: the members the higher body consented to (None: no consent) and the congress's vote."""

    consented: frozenset[int] | None = None
    votes_for: int | None = None
    votes_against: int = 0
    abstained: int = 0


def vote_passed(*, votes_for: int, due: int) -> bool:
    """More than half of those due (before excusing) voted for: due 50 → 26 for."""
    return votes_for * PASS_DENOMINATOR > due * PASS_NUMERATOR


def check_vote(*, votes_for: int, votes_against: int, abstained: int, due: int) -> list[Failure]:
    """The congress's count: no more voters than the roll."""
    if min(votes_for, votes_against, abstained) < 0:
        return [Failure("A1a", "表决票数不能为负数")]
    if votes_for + votes_against + abstained > due:
        total = votes_for + votes_against + abstained
        return [Failure("A1a", f"赞成、反对、弃权合计{total}人,超过应到会{due}人")]
    return []


def check_excusal(excused: Iterable[int], record: ExcusalRecord, *, due: int) -> list[Failure]:
    """Before a ballot counts anyone as excused: the higher body consented to exactly these members and the congress
    passed it. No one excused: nothing to decide."""
    excused = frozenset(excused)
    if not excused:
        return []
    if record.consented is None or record.consented != excused:
        return [
            Failure(
                "A1a",
                f"{len(excused)}名党员不计入应到会人数,须经上级党组织同意"
                f"{'(名单已变更,须重新报批)' if record.consented is not None else ''}({SOURCE})",
            )
        ]
    if record.votes_for is None:
        return [Failure("A1a", f"{len(excused)}名党员不计入应到会人数,须经党员大会表决通过({SOURCE})")]
    if not vote_passed(votes_for=record.votes_for, due=due):
        return [
            Failure(
                "A1a",
                f"党员大会表决赞成{record.votes_for}人,未超过应到会{due}人的半数,不计入应到会人数未获通过({SOURCE})",
            )
        ]
    return []
