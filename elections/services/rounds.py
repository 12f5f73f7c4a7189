"""Ballot rounds: the committee, the secretary and deputy (A12), and further ballots after a round that left seats
(A4 tie, A5 too few passed), all in the same meeting; a round is closed (valid / void) from its count
(``counting_entry``, ``counting_ballots``), which this module reads and neither of them imports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from elections.access import require_perm
from elections.models import (
    BallotRound,
    CandidatePost,
    ElectionMethod,
    ElectionProject,
    EntryMode,
    Meeting,
    RoundPurpose,
    RoundResult,
    RoundStatus,
    Sanction,
    SanctionKind,
    SeatReduction,
)
from elections.rules.checks import CheckKind
from elections.rules.incidents import further_ballot_names
from elections.rules.stroke_order import sort_by_stroke
from elections.rules.terms import secretary_voted_by_committee
from elections.rules.votes import check_margin
from elections.services.ballots import ballot_warnings, check_findings
from elections.services.counts import NeedsConfirmation, _lock_round, round_tally
from elections.services.excusal import require_excusal_settled
from elections.services.meeting import _require_electing, approved_names
from elections.services.voters import roll_counts
from elections.services.workflow import bump, event, lock, round_transition
from organizations.roles import Perm

# --- Rounds ------------------------------------------------------------------------------------------------


def annulled_names(project: ElectionProject) -> list[str]:
    """Those whose election was declared void (第五篇 六.2 宣布当选无效): their seats are open again."""
    return list(
        Sanction.objects.filter(project=project, kind=SanctionKind.ANNUL).order_by("pk").values_list("name", flat=True)
    )


def elected_for(project: ElectionProject, post: str) -> list[str]:
    """Names elected to a post across the valid rounds of the meeting, in the order they were elected, less those
    whose election was declared void (their seat is filled again by a further ballot)."""
    names: list[str] = []
    meeting = getattr(project, "meeting", None)
    if meeting is None:
        return names
    annulled = set(annulled_names(project))
    for r in meeting.rounds.filter(status=RoundStatus.VALID).select_related("result").order_by("number"):
        if r.post == post:
            names += [n for n in r.result.elected if n not in names and n not in annulled]
    return names


def reopened_ballot(project: ElectionProject, follows: BallotRound) -> tuple[list[str], int] | None:
    """The committee seats a 宣布当选无效 freed (第五篇 六.2), filled like seats nobody won (A5 另行选举): a further
    ballot following a round published before the annulment, for the seats now unfilled, among the approved
    candidates neither elected nor struck off (E4). None when no annulment awaits its further ballot."""
    last = Sanction.objects.filter(project=project, kind=SanctionKind.ANNUL).order_by("-recorded_at").first()
    if last is None or follows.post != CandidatePost.COMMITTEE or follows.created_at > last.recorded_at:
        return None
    later = follows.meeting.rounds.filter(created_at__gt=last.recorded_at)
    if later.filter(Q(purpose=RoundPurpose.COMMITTEE) | Q(follows_post=RoundPurpose.COMMITTEE)).exists():
        return None  # the reopened seats already went to a ballot: from there on, the ordinary A5 path
    reduction = SeatReduction.objects.filter(project=project, passed=True).first()
    standing = elected_for(project, CandidatePost.COMMITTEE)
    seats = (reduction.seats_after if reduction else project.seats) - len(standing)
    if seats <= 0:
        return None
    names = further_ballot_names(approved_names(project), standing, annulled_names(project))
    if not names:
        raise ValidationError("没有可参加另行选举的候选人:请乡镇党委按程序补充候选人后再选举")
    return sort_by_stroke(names), seats


@dataclass
class _Ballot:
    """What a new round puts on the ballot and counts against (A1 numbers of the congress or the committee)."""

    names: list[str]
    seats: int
    due: int
    excused: int
    present: int
    follows_post: str = ""


def _committee_ballot(project: ElectionProject, ballot: _Ballot) -> None:
    """The committee: the approved list, with the A11 margin."""
    if elected_for(project, CandidatePost.COMMITTEE):
        raise ValidationError("委员会委员已经选出,未选足的名额请另行选举")
    ballot.names, ballot.seats = approved_names(project), project.seats
    failures = check_margin(ballot.seats, len(ballot.names))
    if failures:
        raise ValidationError(failures[0].message)


def _secretary_ballot(project: ElectionProject, purpose: str, present: int | None, ballot: _Ballot) -> None:
    """The secretary or deputy among those just elected (A12). Who votes: the new committee's plenary when there is a
    committee and the election is indirect; otherwise (a branch without a committee, or a direct election) the
    members' congress, all the voters of the first round, whose numbers ``ballot`` already holds."""
    committee = elected_for(project, CandidatePost.COMMITTEE)
    if not committee:
        raise ValidationError("先选出新一届委员会委员,再由委员会选举书记、副书记")
    if elected_for(project, purpose):
        raise ValidationError(f"{RoundPurpose(purpose).label}已经完成")
    nominees = [n for n in approved_names(project, purpose) if n in committee]
    ballot.names, ballot.seats = sort_by_stroke(nominees or committee), 1
    direct = project.method == ElectionMethod.DIRECT
    if secretary_voted_by_committee(seats=project.seats, direct=direct):  # the new committee's first plenary (A12)
        ballot.due, ballot.excused = len(committee), 0
        ballot.present = len(committee) if present is None else present


def _further_ballot(meeting: Meeting, follows: BallotRound | None, ballot: _Ballot) -> BallotRound:
    """A further ballot for the seats a valid round left (A4 tie, A5 too few passed), among its candidates."""
    if follows is None or follows.meeting_id != meeting.pk:
        raise ValidationError("请选择需要再次投票的轮次")
    follows = BallotRound.objects.get(pk=follows.pk)
    reopened = reopened_ballot(meeting.project, follows)  # seats freed by 宣布当选无效 (第五篇 六.2)
    if reopened is not None:
        ballot.names, ballot.seats = reopened
        ballot.follows_post = follows.post
        ballot.due, ballot.excused, ballot.present = follows.due, follows.excused, follows.present
        return follows
    previous = RoundResult.objects.filter(round=follows).first()
    if follows.status != RoundStatus.VALID or previous is None or not previous.seats_left:
        raise ValidationError("该轮次没有需要再次投票的名额")
    if follows.follow_ups.exists():
        raise ValidationError("该轮次已经安排了再次投票")
    reduced = SeatReduction.objects.filter(project=meeting.project_id, passed=True).exists()
    if follows.post == CandidatePost.COMMITTEE and reduced:
        raise ValidationError("党员大会已表决同意减少名额,不再另行选举")  # A5
    ballot.names, ballot.seats = sort_by_stroke(previous.next_ballot_candidates), previous.seats_left
    ballot.follows_post = follows.post
    ballot.due, ballot.excused, ballot.present = follows.due, follows.excused, follows.present
    return follows


@transaction.atomic
def round_open(
    *,
    actor: Any,
    meeting: Meeting,
    purpose: str,
    follows: BallotRound | None = None,
    present: int | None = None,
) -> BallotRound:
    """A new ballot: the committee (approved list, A11 margin), the secretary or deputy (the new committee votes
    when indirect, A12), or a further ballot after a round that left seats (A4 tie / A5 too few passed)."""
    project = lock(meeting.project)
    require_perm(actor, Perm.ELECTION_VILLAGE_STEPS, project)
    _require_electing(project)
    if meeting.rounds.filter(status__in=[RoundStatus.OPEN, RoundStatus.COUNTED]).exists():
        raise ValidationError("上一轮投票尚未公布结果")
    roll = roll_counts(project)
    if roll["excused"]:
        require_excusal_settled(project)  # A1a: consented and voted before anyone is left out of "due"
    ballot = _Ballot(names=[], seats=0, due=roll["due"], excused=roll["excused"], present=meeting.present_count)
    if purpose == RoundPurpose.COMMITTEE:
        _committee_ballot(project, ballot)
    elif purpose in (RoundPurpose.SECRETARY, RoundPurpose.DEPUTY):
        _secretary_ballot(project, purpose, present, ballot)
    elif purpose == RoundPurpose.FURTHER:
        follows = _further_ballot(meeting, follows, ballot)
    else:
        raise ValidationError("请选择投票事项")
    names, seats, follows_post = ballot.names, ballot.seats, ballot.follows_post
    due, excused, present_now = ballot.due, ballot.excused, ballot.present
    if not names:
        raise ValidationError("选票上没有候选人")
    number = (meeting.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    ballot_round = BallotRound.objects.create(
        meeting=meeting,
        number=number,
        purpose=purpose,
        follows=follows,
        follows_post=follows_post,
        seats=seats,
        names=names,
        due=due,
        excused=excused,
        present=present_now,
    )
    bump(project)
    event(actor, project, "round_open", f"{ballot_round}:应选{seats}名,候选人{'、'.join(names)}")
    return ballot_round


@transaction.atomic
def round_close(*, actor: Any, ballot_round: BallotRound, confirm: list[str] | tuple[str, ...] = ()) -> RoundResult:
    """Decide the round with ``elections.rules.tally`` and store the result with its explanation: valid or void.

    Counted ballot by ballot and checked against the tally sheet: a difference (K9) is published only when the one
    publishing confirms it ("K9" in ``confirm``); otherwise the entry is corrected first (the ballots cleared and
    entered again, or the check entered again). The result is always read from the ballots."""
    project, locked = _lock_round(ballot_round)
    require_perm(actor, Perm.ELECTION_VILLAGE_STEPS, project)
    if locked.status != RoundStatus.COUNTED:
        raise ValidationError("请先录入计票结果")
    result = round_tally(locked)
    differences = check_findings(locked) if locked.mode == EntryMode.BALLOTS else []
    # Per-name totals had their K7/K8 warnings confirmed when they were saved; ballots entered one by one are first
    # summed here, so their warnings are confirmed by the one publishing, like a tally-sheet difference.
    to_confirm = ballot_warnings(locked) + differences if locked.mode == EntryMode.BALLOTS else []
    unconfirmed = [f for f in to_confirm if f.code not in confirm]
    if unconfirmed:
        raise NeedsConfirmation(unconfirmed)
    warnings = [f.message for f in result.findings if f.kind == CheckKind.WARNING] + [f.message for f in to_confirm]
    stored, _ = RoundResult.objects.update_or_create(
        round=locked,
        defaults={
            "valid": result.valid,
            "reason": result.reason,
            "valid_ballots": result.valid_ballots,
            "invalid_ballots": result.invalid_ballots,
            "votes": dict(result.votes),
            "elected": list(result.elected),
            "next_ballot_candidates": list(result.next_ballot_candidates),
            "seats_left": result.seats_left,
            "next_ballot_rule": result.next_ballot_rule,
            "majority_needed": result.majority_needed,
            "quorum_needed": result.quorum_needed,
            "notes": list(result.notes) + list(result.void_reasons),
            "invalid_ballot_reasons": list(result.invalid_ballot_reasons),
            "warnings": warnings,
            "decided_by": actor,
        },
    )
    round_transition(locked, "publish_valid" if result.valid else "publish_void")
    bump(project)
    summary = f"当选:{'、'.join(result.elected) or '无'}" if result.valid else f"选举无效:{result.reason}"
    if differences:
        summary += "(与计票单核对不一致,已确认以逐张录入的选票为准)"
    after: dict[str, Any] = {"votes": dict(result.votes)}
    if to_confirm:
        after["confirmed"] = [f.message for f in to_confirm]
    event(actor, project, "round_close", f"{locked}{summary}", after=after)
    return stored
