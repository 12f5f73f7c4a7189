"""Tallying a paper vote exactly by the election regulations (RULES.md part A), as pure functions.

Two entry points return the same ``TallyResult``: ``tally`` reads the ballots one by one, ``tally_totals`` takes the
per-name totals the counters wrote down (paper first), after the numbered count checks K1–K9
(``elections.rules.checks``).

Order of the checks, and why:

1. Impossible input (present above those due, more ballots issued than people present, ballots entered not matching
   the number returned) raises ``TallyInputError``: it is a counting or typing mistake, not a result.
2. A1 quorum: without more than 4/5 of those due present the congress cannot hold the vote at all.
3. A6: more ballots returned than issued voids the whole vote; it is held again.
   (Both A1 and A6 are always evaluated, so a void result lists every reason; ``reason`` is the first.)
4. Per ballot: A8 (write-ins only beside a 不赞成), then A7 (no more "for" than seats); a ballot failing either is
   invalid (废票) and counts for nobody.
5. A3 majority of those PRESENT, then A4 (more pass than seats: by votes; a tie at the last seat goes to another
   ballot) and A5 (fewer pass than seats: the missing seats go to a further ballot among those not elected).

A2 (who counts toward "due") is the caller's: ``due`` is the number of full members not under 留党察看
(``elections.rules.votes.due_count``) and ``excused`` those the congress excused under A1a, with a recorded reason.
A9 (no proxies) and A10 (scrutineers) are checks in ``elections.rules.votes``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from elections.rules.ballot import Ballot, Mark, read_ballot
from elections.rules.checks import CheckFinding, CheckKind, CountTotals, blocking, count_checks
from elections.rules.stroke_order import stroke_order_key
from elections.rules.votes import has_majority, majority_needed, min_candidates, quorum_met, quorum_needed


@dataclass(frozen=True)
class TallyInput:
    seats: int
    due: int  # A2: full members due to attend, BEFORE subtracting ``excused`` (A1a)
    present: int
    ballots_issued: int
    ballots_returned: int
    candidates: tuple[str, ...]
    ballots: tuple[Ballot, ...]
    excused: int = 0


class TallyInputError(ValueError):
    """The numbers cannot be a real count; each finding names its check and the numbers."""

    def __init__(self, findings: list[CheckFinding]) -> None:
        super().__init__(";".join(f.message for f in findings))
        self.findings = findings


@dataclass(frozen=True)
class TallyResult:
    valid: bool
    reason: str
    seats: int
    present: int
    due_effective: int  # due - excused
    quorum_needed: int  # A1: the fewest present for a valid vote
    majority_needed: int  # A3: the fewest votes that are more than half of those present
    valid_ballots: int = 0
    invalid_ballots: int = 0
    votes: dict[str, int] = field(default_factory=dict)
    elected: tuple[str, ...] = ()
    next_ballot_candidates: tuple[str, ...] = ()
    seats_left: int = 0
    next_ballot_rule: str = ""  # "A4" tie at the last seat, "A5" too few passed, "A1"/"A6" the vote is held again
    passed: tuple[str, ...] = ()  # every name with more than half of those present, by votes
    further_ballot_shortlist: tuple[str, ...] = ()  # A5 with the A11 margin: the top names by votes, ties kept
    void_reasons: tuple[str, ...] = ()
    invalid_ballot_reasons: tuple[str, ...] = ()
    against: dict[str, int] = field(default_factory=dict)  # per printed name, ballot path only
    abstain: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    findings: tuple[CheckFinding, ...] = ()  # count checks of the totals path (warnings to confirm)

    def passed_majority(self, name: str) -> bool:
        return name in self.passed


def _by_votes(names: list[str] | tuple[str, ...], votes: Mapping[str, int]) -> list[str]:
    """Most votes first; equal votes in surname stroke order (the order the ballot prints them)."""
    return sorted(names, key=lambda name: (-votes.get(name, 0), stroke_order_key(name), name))


def _quorum_sentence(due: int, excused: int, present: int) -> tuple[bool, str]:
    effective = due - excused
    base = f"应到会人数{due}人" if not excused else f"应到会人数{due}人(经批准不计入{excused}人后为{effective}人)"
    if quorum_met(due=due, present=present, excused=excused):
        return True, f"到会有选举权的党员{present}人,超过{base}的五分之四,选举有效"
    needed = quorum_needed(due=due, excused=excused)
    return False, f"到会有选举权的党员{present}人,未超过{base}的五分之四(至少需{needed}人),选举无效"


def _void_reasons(*, due: int, excused: int, present: int, issued: int, returned: int) -> tuple[list[str], str]:
    """A1 and A6: the reasons the whole vote is void (empty: it stands), and the A1/A6 sentence when it stands."""
    ok, sentence = _quorum_sentence(due, excused, present)
    reasons = [] if ok else [sentence]
    if returned > issued:
        reasons.append(f"收回选票{returned}张,多于发出选票{issued}张,选举无效,应重新选举")
    return reasons, f"{sentence};收回选票{returned}张,不多于发出选票{issued}张"


def _input_errors(*, seats: int, due: int, excused: int, present: int, issued: int) -> list[CheckFinding]:
    found: list[CheckFinding] = []
    for label, value in (("应到会人数", due), ("不计入人数", excused), ("实到会人数", present), ("发出选票", issued)):
        if value < 0:
            found.append(CheckFinding("K0", CheckKind.ERROR, f"{label}不能为负数,当前为{value}"))
    if seats < 1:
        found.append(CheckFinding("K0", CheckKind.ERROR, f"应选名额至少为1,当前为{seats}"))
    if due - excused < 1:
        found.append(CheckFinding("K1", CheckKind.ERROR, f"应到会人数{due}人减去不计入{excused}人后不足1人"))
    elif present > due - excused:
        found.append(CheckFinding("K1", CheckKind.ERROR, f"实到会人数{present}人,多于应到会人数{due - excused}人"))
    if issued > present:
        found.append(CheckFinding("K2", CheckKind.ERROR, f"发出选票{issued}张,多于实到会人数{present}人"))
    return found


def tally(inp: TallyInput) -> TallyResult:
    """Count the ballots one by one (see the module docstring for the order of the checks)."""
    errors = _input_errors(
        seats=inp.seats, due=inp.due, excused=inp.excused, present=inp.present, issued=inp.ballots_issued
    )
    if len(set(inp.candidates)) != len(inp.candidates):
        errors.append(CheckFinding("K0", CheckKind.ERROR, "候选人名单中有重复的姓名"))
    if errors:
        raise TallyInputError(errors)
    void, sentence = _void_reasons(
        due=inp.due, excused=inp.excused, present=inp.present, issued=inp.ballots_issued, returned=inp.ballots_returned
    )
    if void:
        return _void_result(inp.seats, inp.present, inp.due - inp.excused, inp.candidates, void)
    if len(inp.ballots) != inp.ballots_returned:
        raise TallyInputError(
            [
                CheckFinding(
                    "K3", CheckKind.ERROR, f"录入选票{len(inp.ballots)}张,不等于收回选票{inp.ballots_returned}张"
                )
            ]
        )
    read = _read_ballots(inp)
    return _decide(
        seats=inp.seats,
        present=inp.present,
        due_effective=inp.due - inp.excused,
        candidates=inp.candidates,
        votes=read.votes,
        sentence=sentence,
        valid_ballots=read.valid,
        invalid_ballots=len(read.invalid_reasons),
        invalid_ballot_reasons=tuple(read.invalid_reasons),
        against=read.against,
        abstain=read.abstain,
        ballot_notes=tuple(read.notes),
    )


@dataclass
class _Read:
    """The ballots of a round read one by one (A7, A8): valid count, votes, 不赞成 and 弃权 per printed name, why each
    void ballot is void, and each valid ballot's write-ins that count for nobody."""

    votes: dict[str, int]
    against: dict[str, int]
    abstain: dict[str, int]
    valid: int = 0
    invalid_reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _read_ballots(inp: TallyInput) -> _Read:
    names = inp.candidates
    read = _Read(votes=dict.fromkeys(names, 0), against=dict.fromkeys(names, 0), abstain=dict.fromkeys(names, 0))
    for number, ballot in enumerate(inp.ballots, start=1):
        reading = read_ballot(ballot, seats=inp.seats, candidates=names)
        if not reading.valid:
            read.invalid_reasons.append(f"第{number}张:{reading.reason}")
            continue
        read.valid += 1
        if reading.note:
            read.notes.append(f"第{number}张:{reading.note}")
        for name in reading.votes_for:
            read.votes[name] = read.votes.get(name, 0) + 1
        for name in names:
            mark = ballot.marks.get(name, Mark.ABSTAIN)
            if mark == Mark.AGAINST:
                read.against[name] += 1
            elif mark == Mark.ABSTAIN:
                read.abstain[name] += 1
    return read


def tally_totals(
    *,
    seats: int,
    due: int,
    present: int,
    ballots_issued: int,
    ballots_returned: int,
    valid_ballots: int,
    invalid_ballots: int,
    votes: Mapping[str, int],
    candidates: tuple[str, ...] = (),
    excused: int = 0,
    second_entry: CountTotals | None = None,
) -> TallyResult:
    """The paper-first path: per-name totals (write-ins included in ``votes``). Errors of K0–K6 raise
    ``TallyInputError``; K4 (A6) and A1 give a void result; K7–K9 warnings travel in ``findings``."""
    # Without a printed list every name counts as a candidate (write-ins cannot be told apart).
    candidates = candidates or tuple(votes)
    totals = CountTotals(
        seats=seats,
        due=due,
        excused=excused,
        present=present,
        ballots_issued=ballots_issued,
        ballots_returned=ballots_returned,
        valid_ballots=valid_ballots,
        invalid_ballots=invalid_ballots,
        votes=dict(votes),
    )
    findings = count_checks(totals, second_entry=second_entry)
    errors = _input_errors(seats=seats, due=due, excused=excused, present=present, issued=ballots_issued)
    errors += [f for f in blocking(findings) if f.code not in {e.code for e in errors}]
    if errors:
        raise TallyInputError(errors)
    void, sentence = _void_reasons(
        due=due, excused=excused, present=present, issued=ballots_issued, returned=ballots_returned
    )
    if void:
        return _void_result(seats, present, due - excused, candidates, void, findings=tuple(findings))
    all_votes = dict.fromkeys(candidates, 0) | dict(votes)
    return _decide(
        seats=seats,
        present=present,
        due_effective=due - excused,
        candidates=candidates,
        votes=all_votes,
        sentence=sentence,
        valid_ballots=valid_ballots,
        invalid_ballots=invalid_ballots,
        findings=tuple(findings),
    )


def _void_result(
    seats: int,
    present: int,
    due_effective: int,
    candidates: tuple[str, ...],
    reasons: list[str],
    *,
    findings: tuple[CheckFinding, ...] = (),
) -> TallyResult:
    """A1/A6: nobody is elected; the whole vote is held again for every seat with the same candidates."""
    rule = "A6" if quorum_met(due=due_effective, present=present) else "A1"
    return TallyResult(
        valid=False,
        reason=reasons[0],
        seats=seats,
        present=present,
        due_effective=due_effective,
        quorum_needed=quorum_needed(due=due_effective, excused=0),
        majority_needed=majority_needed(present),
        next_ballot_candidates=tuple(sorted(candidates, key=stroke_order_key)),
        seats_left=seats,
        next_ballot_rule=rule,
        void_reasons=tuple(reasons),
        notes=("选举无效,全部名额重新选举",),
        findings=findings,
    )


def _decide(
    *,
    seats: int,
    present: int,
    due_effective: int,
    candidates: tuple[str, ...],
    votes: dict[str, int],
    sentence: str,
    valid_ballots: int,
    invalid_ballots: int,
    invalid_ballot_reasons: tuple[str, ...] = (),
    against: dict[str, int] | None = None,
    abstain: dict[str, int] | None = None,
    findings: tuple[CheckFinding, ...] = (),
    ballot_notes: tuple[str, ...] = (),
) -> TallyResult:
    """A3, A4, A5 on the votes of the valid ballots.

    Long because the three rules decide together (who passed, then too many or too few against the seats) and the
    explanation is built as they decide; the parameters are the stored result's fields."""
    needed = majority_needed(present)
    ranked = _by_votes(list(votes), votes)
    passed = [name for name in ranked if has_majority(votes[name], present)]
    notes = [f"实到会{present}人,得票超过半数即至少{needed}票方可当选"]
    next_rule = ""
    shortlist: tuple[str, ...] = ()
    if len(passed) > seats and votes[passed[seats - 1]] == votes[passed[seats]]:
        cut = votes[passed[seats - 1]]
        elected = [name for name in passed if votes[name] > cut]
        tied = [name for name in passed if votes[name] == cut]
        seats_left = seats - len(elected)
        next_ballot = tied
        next_rule = "A4"
        notes.append(f"{'、'.join(tied)}均得{cut}票,并列于最后名额,就剩余{seats_left}个名额另行投票,以得票多者当选")
    elif len(passed) > seats:
        elected = passed[:seats]
        seats_left = 0
        next_ballot = []
        notes.append(f"得票过半数者{len(passed)}人,多于应选名额{seats}名,按得票多少依次取前{seats}名")
    else:
        elected = passed
        seats_left = seats - len(passed)
        next_ballot = [name for name in ranked if name in candidates and name not in elected] if seats_left else []
        if seats_left:
            next_rule = "A5"
            notes.append(
                f"得票过半数者{len(passed)}人,少于应选名额{seats}名,不足的{seats_left}个名额在未当选的候选人中"
                f"另行选举,得票不过半数者不能当选;如当选人数接近应选名额,也可经大会表决减少名额"
            )
            wanted = min_candidates(seats_left)
            if len(next_ballot) > wanted:
                cut = votes[next_ballot[wanted - 1]]
                shortlist = tuple(name for name in next_ballot if votes[name] >= cut)
            else:
                shortlist = tuple(next_ballot)
    written_in = [name for name in votes if name not in candidates]
    if written_in:
        notes.append(f"另选他人得票:{'、'.join(f'{n}{votes[n]}票' for n in _by_votes(written_in, votes))}")
    notes += ballot_notes  # A8: the write-ins that count for nobody, ballot by ballot
    return TallyResult(
        valid=True,
        reason=sentence,
        seats=seats,
        present=present,
        due_effective=due_effective,
        quorum_needed=quorum_needed(due=due_effective, excused=0),
        majority_needed=needed,
        valid_ballots=valid_ballots,
        invalid_ballots=invalid_ballots,
        votes=votes,
        elected=tuple(elected),
        next_ballot_candidates=tuple(next_ballot),
        seats_left=seats_left,
        next_ballot_rule=next_rule,
        passed=tuple(passed),
        further_ballot_shortlist=shortlist,
        invalid_ballot_reasons=invalid_ballot_reasons,
        against=against or {},
        abstain=abstain or {},
        notes=tuple(notes),
        findings=findings,
    )
