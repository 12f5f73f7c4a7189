"""One paper ballot read by the election regulations (RULES.md A7, A8), as a pure function: plain values in, no ORM.

``elections.rules.tally`` counts the ballots of a round with ``read_ballot``; the ballot-by-ballot entry reads each
paper with it for its running counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import TextChoices

from elections.rules.failures import REGULATION


class Mark(TextChoices):
    """A8: each name on a ballot is marked 赞成, 不赞成 or 弃权. A name left unmarked is read as 弃权."""

    FOR = "for", "赞成"
    AGAINST = "against", "不赞成"
    ABSTAIN = "abstain", "弃权"


@dataclass(frozen=True)
class Ballot:
    """One returned ballot: a mark per printed name, and the names written in (另选他人)."""

    marks: dict[str, Mark]
    write_ins: tuple[str, ...] = ()


@dataclass(frozen=True)
class BallotReading:
    valid: bool
    votes_for: tuple[str, ...]  # names this ballot votes for, write-ins included, each once
    reason: str = ""


def read_ballot(ballot: Ballot, *, seats: int, candidates: tuple[str, ...]) -> BallotReading:
    """A7 and A8 for one ballot.

    A8 allows a write-in only beside a 不赞成: a ballot with more write-ins than 不赞成 marks is invalid. Why not
    drop the extra write-ins instead: nothing on the paper says WHICH write-in stands beside which 不赞成, so any
    choice would be the counters' guess at the voter's intent; and the 1990条例 Art. 20 reading of a ballot that
    cannot be read as the rules require is 废票. A write-in counts as a "for" vote for the written name, toward A7
    too. A write-in naming a printed candidate is a vote for that candidate; a name voted twice on one ballot (a
    赞成 and the same write-in, or two equal write-ins) counts once, since one member has one vote per name.
    """
    unknown = [name for name in ballot.marks if name not in candidates]
    if unknown:
        raise ValueError(f"选票上的姓名{'、'.join(unknown)}不在候选人名单中")
    write_ins = [name.strip() for name in ballot.write_ins if name.strip()]
    against = sum(1 for mark in ballot.marks.values() if mark == Mark.AGAINST)
    if len(write_ins) > against:
        return BallotReading(
            False,
            (),
            f"另选他人{len(write_ins)}人,多于划“不赞成”的{against}人,"
            f"另选他人只能写在不赞成的候选人旁({REGULATION}第二十五条)",
        )
    chosen = [name for name in candidates if ballot.marks.get(name) == Mark.FOR]
    for name in write_ins:
        if name not in chosen:
            chosen.append(name)
    if len(chosen) > seats:
        return BallotReading(False, (), f"赞成{len(chosen)}人(含另选他人),多于应选名额{seats}名")
    return BallotReading(True, tuple(chosen))
