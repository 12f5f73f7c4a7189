"""The count of a round: ballot by ballot or as per-name totals (K-checks, double entry compared by K9), and the
round's tally that ``counting_rounds.round_close`` stores as the result. A round moves open → counted → valid / void."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from elections.access import require_perm
from elections.models import (
    BallotCheck,
    BallotEntry,
    BallotRound,
    ElectionProject,
    EntryMode,
    RoundStatus,
    TotalsEntry,
)
from elections.rules.checks import CheckFinding, CheckKind, CountTotals, compare_entries
from elections.rules.tally import Ballot, Mark, TallyInput, TallyInputError, TallyResult, tally, tally_totals
from elections.services.workflow import event, lock, round_transition
from organizations.roles import Perm

# The confirmation code for replacing ballots entered one by one with per-name totals (not a K-check).
REPLACE_BALLOTS = "替换逐张录入"


class NeedsConfirmation(ValidationError):
    """Warnings (K7, K8, K9) that the counter must confirm before the entry is saved (or, for a ballot-by-ballot
    count that differs from its tally-sheet check, before the round is published)."""

    def __init__(self, findings: list[CheckFinding]) -> None:
        super().__init__([f.message for f in findings])
        self.findings = findings


def _lock_round(ballot_round: BallotRound) -> tuple[ElectionProject, BallotRound]:
    project = lock(ballot_round.meeting.project)
    locked = BallotRound.objects.select_for_update().get(pk=ballot_round.pk)
    return project, locked


def _check_open(locked: BallotRound) -> None:
    if locked.status not in (RoundStatus.OPEN, RoundStatus.COUNTED):
        raise ValidationError("该轮次已公布结果,不能再录入")


def _input_error(exc: TallyInputError) -> ValidationError:
    return ValidationError([f.message for f in exc.findings])


@transaction.atomic
def count_ballots(
    *, actor: Any, ballot_round: BallotRound, issued: int, returned: int, ballots: list[Ballot]
) -> TallyResult:
    """The whole list at once: every ballot as read (A7/A8 decide each one), stored as entered by ``actor`` in place
    of any stored before. Checked here; decided by round_close. (The phone form stores one paper at a time and
    finishes through ``counting_ballots.ballots_finish``, which keeps the ballots and who entered them.)"""
    project, locked = _lock_round(ballot_round)
    require_perm(actor, Perm.ELECTION_VILLAGE_STEPS, project)
    _check_open(locked)
    result = store_ballot_count(actor, locked, issued=issued, returned=returned, ballots=ballots)
    locked.ballots.all().delete()
    BallotEntry.objects.bulk_create(
        [
            BallotEntry(
                round=locked,
                number=i,
                marks={k: str(v) for k, v in b.marks.items()},
                write_ins=list(b.write_ins),
                entered_by=actor,
            )
            for i, b in enumerate(ballots, start=1)
        ]
    )
    event(actor, project, "count", f"{locked}:录入选票{len(ballots)}张")
    return result


def store_ballot_count(
    actor: Any, locked: BallotRound, *, issued: int, returned: int, ballots: list[Ballot]
) -> TallyResult:
    """Check the ballots against the numbers (K2, K3, A6 through ``tally``) and store the round as counted ballot by
    ballot: issued, returned, mode, status and who stored it. The caller holds the lock and writes the event."""
    locked.issued, locked.returned, locked.mode = issued, returned, EntryMode.BALLOTS
    result = _tally_ballots(locked, ballots)
    locked.counted_by = actor if getattr(actor, "pk", None) else None
    round_transition(locked, "count", update_fields=("issued", "returned", "mode", "counted_by"))
    locked.totals.all().delete()
    return result


def _tally_ballots(locked: BallotRound, ballots: list[Ballot]) -> TallyResult:
    try:
        return tally(
            TallyInput(
                seats=locked.seats,
                due=locked.due,
                excused=locked.excused,
                present=locked.present,
                ballots_issued=locked.issued,
                ballots_returned=locked.returned,
                candidates=tuple(locked.names),
                ballots=tuple(ballots),
            )
        )
    except TallyInputError as exc:
        raise _input_error(exc) from None


def _totals(locked: BallotRound, entry: TotalsEntry) -> CountTotals:
    return CountTotals(
        seats=locked.seats,
        due=locked.due,
        excused=locked.excused,
        present=locked.present,
        ballots_issued=locked.issued,
        ballots_returned=locked.returned,
        valid_ballots=entry.valid_ballots,
        invalid_ballots=entry.invalid_ballots,
        votes=entry.votes,
    )


def _totals_warnings(locked: BallotRound, entry: TotalsEntry, previous: TotalsEntry | None) -> list[CheckFinding]:
    """Tally the entry (K0–K6 errors refuse it) and return what must be confirmed: K7/K8, K9 against the previous
    entry by another person, and replacing ballots entered one by one."""
    try:
        result = tally_totals(
            seats=locked.seats,
            due=locked.due,
            excused=locked.excused,
            present=locked.present,
            ballots_issued=locked.issued,
            ballots_returned=locked.returned,
            valid_ballots=entry.valid_ballots,
            invalid_ballots=entry.invalid_ballots,
            votes=entry.votes,
            candidates=tuple(locked.names),
            second_entry=_totals(locked, previous) if previous else None,
        )
    except TallyInputError as exc:
        raise _input_error(exc) from None
    warnings = [f for f in result.findings if f.kind == CheckKind.WARNING]
    entered = locked.ballots.count() if previous is None else 0
    if entered:  # switching a ballot-by-ballot count to totals deletes every stored ballot: only when confirmed
        warnings.append(
            CheckFinding(
                REPLACE_BALLOTS,
                CheckKind.WARNING,
                f"本轮已逐张录入{entered}张选票;按得票总数保存将删除这些选票及其核对录入",
            )
        )
    return warnings


@transaction.atomic
def count_totals(
    *,
    actor: Any,
    ballot_round: BallotRound,
    issued: int,
    returned: int,
    valid_ballots: int,
    invalid_ballots: int,
    votes: dict[str, int],
    confirm: list[str] | tuple[str, ...] = (),
) -> TotalsEntry:
    """Per-name totals (paper first). K0–K6 errors refuse the entry; K7/K8 and, for a second entry by another
    person, K9 differences are warnings that must be confirmed (their codes in ``confirm``)."""
    project, locked = _lock_round(ballot_round)
    require_perm(actor, Perm.ELECTION_VILLAGE_STEPS, project)
    _check_open(locked)
    previous = locked.totals.order_by("-sequence").first() if locked.mode == EntryMode.TOTALS else None
    if previous is not None and previous.entered_by_id == getattr(actor, "pk", None):
        previous = None  # the same person correcting their entry: no double entry to compare
        locked.totals.all().delete()
    locked.issued, locked.returned, locked.mode = issued, returned, EntryMode.TOTALS
    entry = TotalsEntry(
        round=locked,
        valid_ballots=valid_ballots,
        invalid_ballots=invalid_ballots,
        votes={k: int(v) for k, v in votes.items() if k},
        entered_by=actor,
    )
    warnings = _totals_warnings(locked, entry, previous)
    unconfirmed = [f for f in warnings if f.code not in confirm]
    if unconfirmed:
        raise NeedsConfirmation(unconfirmed)
    entry.sequence = (previous.sequence + 1) if previous else 1
    entry.confirmed_warnings = [f.message for f in warnings]
    if previous is None:
        locked.totals.all().delete()
        locked.ballots.all().delete()
        BallotCheck.objects.filter(round=locked).delete()  # a check of ballots entered one by one: none any more
    entry.save()
    locked.counted_by = actor if getattr(actor, "pk", None) else None
    round_transition(locked, "count", update_fields=("issued", "returned", "mode", "counted_by"))
    event(
        actor,
        project,
        "count",
        f"{locked}:第{entry.sequence}次录入计票结果",
        after={"valid": valid_ballots, "invalid": invalid_ballots, "votes": entry.votes},
    )
    return entry


def compare(ballot_round: BallotRound) -> list[CheckFinding]:
    """K9 between the last two totals entries of a round (empty when there is one entry or they agree)."""
    entries = list(ballot_round.totals.order_by("-sequence")[:2])
    if len(entries) < 2:
        return []
    return compare_entries(_totals(ballot_round, entries[1]), _totals(ballot_round, entries[0]))


def round_tally(ballot_round: BallotRound) -> TallyResult:
    if ballot_round.mode == EntryMode.BALLOTS:
        ballots = [
            Ballot(marks={k: Mark(v) for k, v in e.marks.items()}, write_ins=tuple(e.write_ins))
            for e in ballot_round.ballots.all()
        ]
        return _tally_ballots(ballot_round, ballots)
    entry = ballot_round.totals.order_by("-sequence").first()
    if entry is None:
        raise ValidationError("尚未录入计票结果")
    try:
        return tally_totals(
            seats=ballot_round.seats,
            due=ballot_round.due,
            excused=ballot_round.excused,
            present=ballot_round.present,
            ballots_issued=ballot_round.issued,
            ballots_returned=ballot_round.returned,
            valid_ballots=entry.valid_ballots,
            invalid_ballots=entry.invalid_ballots,
            votes=entry.votes,
            candidates=tuple(ballot_round.names),
        )
    except TallyInputError as exc:
        raise _input_error(exc) from None
