"""Ballot-by-ballot entry one paper at a time (the phone form at the count table), and its check (核对).

Each ballot is stored as it is read out, with who entered it, so a dropped connection or a second device loses
nothing; when every returned ballot is in, ``ballots_finish`` checks them against the numbers issued and returned
(the same checks as a whole-list ``count_ballots``) and keeps them as entered. Until then the round stays open and
its running counts come from ``elections.rules.tally.read_ballot`` (A7/A8).

The double entry of this mode: once finished, another person (one who entered none of the ballots and did not
finish the entry) may enter the per-name totals of the paper tally sheet (计票单). ``ballots_check`` stores them;
``check_comparison`` compares them with the ballots' totals by K9 (``elections.rules.checks.compare_entries``), and a
difference must be confirmed by whoever publishes the round (``round_close``). The result is read from the ballots.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.names import display_name
from elections.access import require_perm
from elections.models import BallotCheck, BallotEntry, BallotRound, EntryMode, RoundStatus
from elections.rules.checks import CheckFinding, CheckKind, CountTotals, compare_entries, count_checks
from elections.rules.tally import Ballot, Mark, TallyResult, read_ballot
from elections.rules.votes import check_proxy
from elections.services.counts import _check_open, _lock_round, store_ballot_count
from elections.services.workflow import event, round_transition
from organizations.roles import Perm

# The check's own numbers that cannot be a real tally sheet (a negative number, a name above the valid ballots, more
# votes than valid ballots times seats): refused as typing mistakes. Any other difference is K9 against the ballots.
CHECK_REFUSED = {"K0", "K5", "K6"}


def who(user: Any) -> str:
    """A person as the pages name them: the name in the account, else the user name."""
    if user is None:
        return "(账号已删除)"
    return display_name(user)


@dataclass(frozen=True)
class EnteredRun:
    """Consecutive ballots entered by one person: "张三(第1–120张)"."""

    user_id: int | None
    name: str
    first: int
    last: int

    @property
    def span(self) -> str:
        return f"第{self.first}张" if self.first == self.last else f"第{self.first}–{self.last}张"

    def __str__(self) -> str:
        return f"{self.name}({self.span})"


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
    write_in_notes: list[str] = field(default_factory=list)  # A8: valid ballots' write-ins that count for nobody
    last: BallotEntry | None = None
    entered_by: list[EnteredRun] = field(default_factory=list)

    def totals(self, ballot_round: BallotRound) -> CountTotals:
        """The ballots' count as an entry of per-name totals, for K9 against the tally sheet."""
        return _count_totals(ballot_round, self.valid, self.invalid, self.votes)


def _ballot(entry: BallotEntry) -> Ballot:
    return Ballot(marks={k: Mark(v) for k, v in entry.marks.items()}, write_ins=tuple(entry.write_ins))


def ballots_so_far(ballot_round: BallotRound) -> BallotProgress:
    """Running counts for the entry page (one query), and why a valid ballot's write-in counts for nobody (A8)."""
    names = tuple(ballot_round.names)
    progress = BallotProgress(
        votes=dict.fromkeys(names, 0), against=dict.fromkeys(names, 0), abstain=dict.fromkeys(names, 0)
    )
    for entry in ballot_round.ballots.select_related("entered_by").order_by("number"):
        ballot = _ballot(entry)
        progress.entered += 1
        progress.last = entry
        runs = progress.entered_by
        if runs and runs[-1].user_id == entry.entered_by_id and runs[-1].last == entry.number - 1:
            runs[-1] = EnteredRun(entry.entered_by_id, runs[-1].name, runs[-1].first, entry.number)
        else:
            runs.append(EnteredRun(entry.entered_by_id, who(entry.entered_by), entry.number, entry.number))
        reading = read_ballot(ballot, seats=ballot_round.seats, candidates=names)
        if not reading.valid:
            progress.invalid += 1
            progress.invalid_reasons.append(f"第{entry.number}张:{reading.reason}")
            continue
        progress.valid += 1
        if reading.note:
            progress.write_in_notes.append(f"第{entry.number}张:{reading.note}")
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
def ballot_add(*, actor: Any, ballot_round: BallotRound, ballot: Ballot, proxy: bool = False) -> BallotEntry:
    """Store the next ballot as read out (names must be on the ballot; a write-in is a name, not blank).

    ``proxy``: the counters marked the paper as cast for an absent member; refused (A9, 选举条例 Art. 24), nothing
    stored. A ballot a present member had another fill in (代写) is the member's own and is not marked."""
    locked = _lock_for_entry(actor, ballot_round)
    refused = check_proxy(is_proxy=proxy)
    if refused:
        raise ValidationError(refused[0].message)
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
    round_transition(locked, "clear")
    event(actor, project, "ballots_clear", f"{locked}:清空逐张录入的{count}张选票")
    return count


@transaction.atomic
def ballots_finish(*, actor: Any, ballot_round: BallotRound, issued: int, returned: int) -> TallyResult:
    """Every returned ballot is in: check them against the numbers (K2, K3 and A6, as ``count_ballots`` does) and
    store the round as counted. The stored ballots, and who entered each of them, are kept as they are."""
    locked = _lock_for_entry(actor, ballot_round)
    ballots = [_ballot(e) for e in locked.ballots.order_by("number")]
    if not ballots:
        raise ValidationError("还没有录入选票")
    result = store_ballot_count(actor, locked, issued=issued, returned=returned, ballots=ballots)
    event(
        actor,
        locked.meeting.project,
        "count",
        f"{locked}:逐张录入选票{len(ballots)}张,录入完毕",
        after={"issued": issued, "returned": returned},
    )
    return result


def ballot_warnings(ballot_round: BallotRound) -> list[CheckFinding]:
    """The count checks' warnings on the ballots entered one by one (K7 fewer returned than issued, K8 many invalid):
    shown when the entry is finished and confirmed by the one who publishes the round."""
    totals = ballots_so_far(ballot_round).totals(ballot_round)
    return [f for f in count_checks(totals) if f.kind == CheckKind.WARNING]


# --- The check (核对) against the paper tally sheet ------------------------------------------------------------


def _count_totals(ballot_round: BallotRound, valid: int, invalid: int, votes: dict[str, int]) -> CountTotals:
    return CountTotals(
        seats=ballot_round.seats,
        due=ballot_round.due,
        excused=ballot_round.excused,
        present=ballot_round.present,
        ballots_issued=ballot_round.issued,
        ballots_returned=ballot_round.returned,
        valid_ballots=valid,
        invalid_ballots=invalid,
        votes=votes,
    )


def _k9(ballots: CountTotals, sheet: CountTotals) -> list[CheckFinding]:
    """``compare_entries`` with the two entries named: the ballots first, the tally sheet second."""
    return [
        CheckFinding(
            f.code,
            f.kind,
            f.message.replace("两次录入不一致(第一次/第二次)", "逐张录入的选票与计票单核对不一致(选票/计票单)"),
        )
        for f in compare_entries(ballots, sheet)
    ]


def _refuse_same_person(actor: Any, locked: BallotRound, progress: BallotProgress) -> None:
    mine = [run.span for run in progress.entered_by if run.user_id == getattr(actor, "pk", None)]
    if mine:
        raise ValidationError(
            f"核对须由没有录入选票的另一人对照计票单录入:您录入了本轮{'、'.join(mine)}选票,请换一人录入核对"
        )
    if locked.counted_by_id is not None and locked.counted_by_id == getattr(actor, "pk", None):
        raise ValidationError("核对须由另一人对照计票单录入:本轮的逐张录入是您确认录入完毕的,请换一人录入核对")


@transaction.atomic
def ballots_check(
    *, actor: Any, ballot_round: BallotRound, valid_ballots: int, invalid_ballots: int, votes: dict[str, int]
) -> BallotCheck:
    """核对: another person enters the tally sheet's valid and invalid ballots and votes per name (write-ins
    included) after the ballots were all entered. Stored (in place of an earlier check) with who and when, and
    compared with the ballots by K9; a difference is not refused here: it is shown, and confirmed when published."""
    project, locked = _lock_round(ballot_round)
    require_perm(actor, Perm.ELECTION_VILLAGE_STEPS, project)
    _check_open(locked)
    if locked.mode != EntryMode.BALLOTS:
        raise ValidationError("本轮没有逐张录入选票:按得票总数录入时,由另一人再次录入计票结果即与第一次比对")
    if locked.status != RoundStatus.COUNTED:
        raise ValidationError("本轮选票还没有全部录入:逐张录入完毕(“选票已全部录入”)后才能对照计票单核对")
    progress = ballots_so_far(locked)
    _refuse_same_person(actor, locked, progress)
    votes = {str(k).strip(): int(v) for k, v in votes.items() if str(k).strip()}
    sheet = _count_totals(locked, valid_ballots, invalid_ballots, votes)
    refused = [f for f in count_checks(sheet) if f.kind == CheckKind.ERROR and f.code in CHECK_REFUSED]
    if refused:
        raise ValidationError([f"计票单:{f.message}" for f in refused])
    previous = BallotCheck.objects.select_for_update().filter(round=locked).first()
    before = (
        {"valid": previous.valid_ballots, "invalid": previous.invalid_ballots, "votes": previous.votes}
        if previous
        else None
    )
    check, _ = BallotCheck.objects.update_or_create(
        round=locked,
        defaults={
            "valid_ballots": valid_ballots,
            "invalid_ballots": invalid_ballots,
            "votes": votes,
            "entered_by": actor,
            "entered_at": timezone.now(),
        },
    )
    differences = _k9(progress.totals(locked), sheet)
    outcome = "与逐张录入的选票不一致,公布前须确认" if differences else "与逐张录入的选票一致"
    event(
        actor,
        project,
        "ballots_check",
        f"{locked}:{'重新' if previous else ''}录入计票单核对,{outcome}",
        before=before,
        after={
            "valid": valid_ballots,
            "invalid": invalid_ballots,
            "votes": votes,
            "differences": [f.message for f in differences],
        },
    )
    return check


@dataclass(frozen=True)
class CheckRow:
    label: str
    ballots: int
    sheet: int

    @property
    def differs(self) -> bool:
        return self.ballots != self.sheet


@dataclass(frozen=True)
class CheckComparison:
    """The stored check beside the ballots: the K9 findings, and every number side by side for the page."""

    check: BallotCheck
    entered_by: str
    pending: bool  # the ballots are being entered again: compared once they are finished
    independent: bool  # entered by someone who entered none of the ballots and did not finish the entry
    rows: list[CheckRow] = field(default_factory=list)
    findings: list[CheckFinding] = field(default_factory=list)


def check_comparison(ballot_round: BallotRound, progress: BallotProgress | None = None) -> CheckComparison | None:
    """None without a check (or when the round is not counted ballot by ballot)."""
    if ballot_round.mode != EntryMode.BALLOTS:
        return None
    check = BallotCheck.objects.filter(round=ballot_round).select_related("entered_by").first()
    if check is None:
        return None
    progress = progress if progress is not None else ballots_so_far(ballot_round)
    enterers = {run.user_id for run in progress.entered_by} | {ballot_round.counted_by_id}
    comparison = CheckComparison(
        check=check,
        entered_by=who(check.entered_by),
        pending=ballot_round.status == RoundStatus.OPEN,
        independent=check.entered_by_id is not None and check.entered_by_id not in enterers,
    )
    if comparison.pending:
        return comparison
    sheet = _count_totals(ballot_round, check.valid_ballots, check.invalid_ballots, check.votes)
    comparison.findings.extend(_k9(progress.totals(ballot_round), sheet))
    comparison.rows.extend(
        [
            CheckRow("有效票", progress.valid, check.valid_ballots),
            CheckRow("无效票", progress.invalid, check.invalid_ballots),
        ]
    )
    for name in dict.fromkeys([*ballot_round.names, *progress.votes, *check.votes]):
        label = f"{name}得票" if name in ballot_round.names else f"{name}(另选)得票"
        comparison.rows.append(CheckRow(label, progress.votes.get(name, 0), check.votes.get(name, 0)))
    return comparison


def check_findings(ballot_round: BallotRound) -> list[CheckFinding]:
    """K9 between the ballots and their tally-sheet check (empty without a check, or when they agree)."""
    comparison = check_comparison(ballot_round)
    return comparison.findings if comparison else []
