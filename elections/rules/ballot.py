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
    votes_for: tuple[str, ...]  # names this ballot votes for, valid write-ins included, each once
    reason: str = ""  # why the ballot is void (A7)
    note: str = ""  # a valid ballot's write-ins that count for nobody, and why (A8)


# A8 选举条例 Art. 25 "投不赞成票者可以另选他人": the words a void write-in is explained with.
WRITE_IN_SOURCE = f"({REGULATION}第二十五条:投不赞成票者可以另选他人)"


def _write_ins(ballot: Ballot, candidates: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """A8: the names written in, each once, and the lines of the ballot's note on those that count for nobody.

    A name printed on the ballot is not 另选他人 (a member for or against a candidate marks the name): its write-in
    counts for nobody, even beside its own 不赞成. The others are allowed only beside a 不赞成, one each: more of them
    than 不赞成 marks and nothing on the paper says which one stands beside which, so the common 计票办法 reading
    ("一张选票仅某一部分无法判断投票人意图时,可将该部分作为废票,其余可辨认部分作为有效票") voids every write-in of
    that ballot and keeps its marks, rather than guess at the voter's intent or throw the whole ballot away.
    """
    written = list(dict.fromkeys(name.strip() for name in ballot.write_ins if name.strip()))
    printed = [name for name in written if name in candidates]
    others = [name for name in written if name not in candidates]
    notes = [f"{name}是选票上的候选人,写在另选他人处不是另选他人,不计票" for name in printed]
    against = sum(1 for mark in ballot.marks.values() if mark == Mark.AGAINST)
    if len(others) > against:
        notes.append(
            f"另选他人{len(others)}人({'、'.join(others)}),多于划“不赞成”的{against}人,另选无效,其余标记有效"
            + WRITE_IN_SOURCE
        )
        others = []
    return others, notes


def read_ballot(ballot: Ballot, *, seats: int, candidates: tuple[str, ...]) -> BallotReading:
    """A7 and A8 for one ballot.

    A8: the valid write-ins (``_write_ins``) count as "for" votes for the written names, toward A7 too; the others
    count for nobody and are said in ``note``, the ballot's marks still count. A7 (1990条例 Art. 20): more "for"
    than seats and the ballot is void (废票). A name voted twice on one ballot counts once.
    """
    unknown = [name for name in ballot.marks if name not in candidates]
    if unknown:
        raise ValueError(f"选票上的姓名{'、'.join(unknown)}不在候选人名单中")
    write_ins, notes = _write_ins(ballot, candidates)
    chosen = [name for name in candidates if ballot.marks.get(name) == Mark.FOR] + write_ins
    if len(chosen) > seats:
        return BallotReading(False, (), f"赞成{len(chosen)}人(含另选他人),多于应选名额{seats}名")
    return BallotReading(True, tuple(chosen), note=";".join(notes))
