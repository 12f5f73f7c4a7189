"""Ballot-by-ballot entry one paper at a time (the phone form at the count table).

Each ballot is stored as it is read out, so a dropped connection or a second device loses nothing; when every returned
ballot is in, ``ballots_finish`` hands them all to ``count_ballots`` (the same checks and stored count as a whole
entry). Until then the round stays open and its running counts come from ``elections.tally.read_ballot`` (A7/A8).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from elections.counting_entry import _check_open, _lock_round, count_ballots
from elections.models import BallotEntry, BallotRound, EntryMode, RoundStatus
from elections.tally import Ballot, Mark, TallyResult, read_ballot
from elections.workflow import event, require_perm
from organizations.roles import Perm


@dataclass
class BallotProgress:
    """The ballots entered so far in a round, read by A7/A8: valid and invalid, and the votes per name."""

    entered: int = 0
    valid: int = 0
    invalid: int = 0
    votes: dict[str, int] = field(default_factory=dict)
    against: dict[str, int] = field(default_factory=dict)
    abstain: dict[str, int] = field(default_factory=dict)
    invalid_reasons: list[str] = field(default_factory=list)
    last: BallotEntry | None = None


def _ballot(entry: BallotEntry) -> Ballot:
    return Ballot(marks={k: Mark(v) for k, v in entry.marks.items()}, write_ins=tuple(entry.write_ins))


def ballots_so_far(ballot_round: BallotRound) -> BallotProgress:
    """Running counts for the entry page (one query)."""
    names = tuple(ballot_round.names)
    progress = BallotProgress(
        votes=dict.fromkeys(names, 0), against=dict.fromkeys(names, 0), abstain=dict.fromkeys(names, 0)
    )
    for entry in ballot_round.ballots.order_by("number"):
        ballot = _ballot(entry)
        progress.entered += 1
        progress.last = entry
        reading = read_ballot(ballot, seats=ballot_round.seats, candidates=names)
        if not reading.valid:
            progress.invalid += 1
            progress.invalid_reasons.append(f"第{entry.number}张:{reading.reason}")
            continue
        progress.valid += 1
        for name in reading.votes_for:
            progress.votes[name] = progress.votes.get(name, 0) + 1
        for name in names:
            mark = ballot.marks.get(name, Mark.ABSTAIN)
            if mark == Mark.AGAINST:
                progress.against[name] += 1
            elif mark == Mark.ABSTAIN:
                progress.abstain[name] += 1
    return progress


def _lock_for_entry(actor: Any, ballot_round: BallotRound) -> BallotRound:
    project, locked = _lock_round(ballot_round)
    require_perm(actor, Perm.ELECTION_VILLAGE_STEPS, project)
    _check_open(locked)
    locked.meeting.project = project
    if locked.status == RoundStatus.COUNTED:
        if locked.mode == EntryMode.TOTALS:
            raise ValidationError("本轮已按得票总数录入,不能再逐张录入")
        raise ValidationError("本轮选票已全部录入;如需更正,请先清空后重新逐张录入")
    return locked


@transaction.atomic
def ballot_add(*, actor: Any, ballot_round: BallotRound, ballot: Ballot) -> BallotEntry:
    """Store the next ballot as read out (names must be on the ballot; a write-in is a name, not blank)."""
    locked = _lock_for_entry(actor, ballot_round)
    unknown = [name for name in ballot.marks if name not in locked.names]
    if unknown:
        raise ValidationError(f"选票上没有{'、'.join(unknown)}")
    write_ins = [w.strip()[:20] for w in ballot.write_ins if w.strip()]
    number = (locked.ballots.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    entry = BallotEntry.objects.create(
        round=locked,
        number=number,
        marks={k: str(v) for k, v in ballot.marks.items()},
        write_ins=write_ins,
        entered_by=actor,
    )
    if locked.mode != EntryMode.BALLOTS:
        locked.mode = EntryMode.BALLOTS
        locked.save(update_fields=["mode"])
    event(actor, locked.meeting.project, "ballot", f"{locked}:录入第{number}张选票")
    return entry


@transaction.atomic
def ballot_remove_last(*, actor: Any, ballot_round: BallotRound) -> int:
    """Undo the last ballot entered (a misread paper); returns its number."""
    locked = _lock_for_entry(actor, ballot_round)
    last = locked.ballots.order_by("-number").first()
    if last is None:
        raise ValidationError("还没有录入选票")
    number = last.number
    last.delete()
    event(actor, locked.meeting.project, "ballot_undo", f"{locked}:撤销第{number}张选票")
    return number


@transaction.atomic
def ballots_clear(*, actor: Any, ballot_round: BallotRound) -> int:
    """Start the ballot-by-ballot entry again (also after it was finished, while the result is not published)."""
    project, locked = _lock_round(ballot_round)
    require_perm(actor, Perm.ELECTION_VILLAGE_STEPS, project)
    _check_open(locked)
    if locked.mode != EntryMode.BALLOTS:
        raise ValidationError("本轮没有逐张录入的选票")
    count = locked.ballots.count()
    locked.ballots.all().delete()
    locked.status = RoundStatus.OPEN
    locked.save(update_fields=["status"])
    event(actor, project, "ballots_clear", f"{locked}:清空逐张录入的{count}张选票")
    return count


@transaction.atomic
def ballots_finish(*, actor: Any, ballot_round: BallotRound, issued: int, returned: int) -> TallyResult:
    """Every returned ballot is in: store the count through ``count_ballots`` (K2, K3 and A6 checked there)."""
    locked = _lock_for_entry(actor, ballot_round)
    ballots = [_ballot(e) for e in locked.ballots.order_by("number")]
    if not ballots:
        raise ValidationError("还没有录入选票")
    return count_ballots(actor=actor, ballot_round=locked, issued=issued, returned=returned, ballots=ballots)
