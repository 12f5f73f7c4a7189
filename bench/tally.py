"""Ballot tallying: 2,000 ballots × 35 names through ``elections.rules.tally.tally`` vs a bare ``Counter`` of the 赞成
marks (the least any count must do). No database. ``python bench/tally.py``"""

from __future__ import annotations

import random
from collections import Counter

import common  # noqa: F401  (sets Django up: Mark is a TextChoices)
from common import report, timed

from elections.rules.tally import Ballot, Mark, TallyInput, tally

NAMES = tuple(f"候选人{i:02d}" for i in range(35))


def ballots(n: int = 2000, seats: int = 31) -> tuple[Ballot, ...]:
    rng = random.Random(35)
    out = []
    for _ in range(n):
        chosen = set(rng.sample(NAMES, rng.randint(seats - 6, seats)))
        out.append(
            Ballot({name: (Mark.FOR if name in chosen else rng.choice([Mark.AGAINST, Mark.ABSTAIN])) for name in NAMES})
        )
    return tuple(out)


def main() -> None:
    bs = ballots()
    inp = TallyInput(
        seats=31, due=2100, present=2000, ballots_issued=2000, ballots_returned=2000, candidates=NAMES, ballots=bs
    )

    def baseline() -> Counter:
        c: Counter = Counter()
        for b in bs:
            c.update(name for name, mark in b.marks.items() if mark == Mark.FOR)
        return c

    base, counts = timed(baseline, repeat=7)
    seconds, result = timed(lambda: tally(inp), repeat=7)
    assert result.valid_ballots == 2000 and result.votes == dict(counts) | {}, "tally disagrees with the Counter"
    report("tally 2,000 ballots × 35 names", seconds, base, elected=len(result.elected))


if __name__ == "__main__":
    main()
