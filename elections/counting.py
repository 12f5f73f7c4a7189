"""The meeting: attendance, scrutineers, ballot rounds, the count (ballot by ballot or per-name totals, with the
K-checks and double entry), the stored result, follow-up rounds, and the township's approval writing the new
committee into the roster through ``organizations.services``.

A round moves open → counted (an entry is stored) → valid / void (the result is decided by ``elections.tally``);
a valid round that leaves seats (A4 tie, A5 too few passed) is followed by a further round in the same meeting.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from elections import rules
from elections.checks import CheckFinding, CheckKind, CountTotals, compare_entries
from elections.models import (
    Approval,
    BallotEntry,
    BallotRound,
    Candidate,
    CandidatePost,
    CandidateStatus,
    ElectionMethod,
    ElectionProject,
    EntryMode,
    Meeting,
    Phase,
    RoundPurpose,
    RoundResult,
    RoundStatus,
    TotalsEntry,
    Voter,
    VoterStatus,
)
from elections.services import roll_counts
from elections.stroke_order import sort_by_stroke
from elections.tally import Ballot, Mark, TallyInput, TallyInputError, TallyResult, tally, tally_totals
from elections.workflow import bump, event, lock, require_perm
from organizations import services as org_services
from organizations.models import Member, Position, Post
from organizations.roles import Perm


class NeedsConfirmation(ValidationError):
    """Warnings (K7, K8, K9) that the counter must confirm before the entry is saved."""

    def __init__(self, findings: list[CheckFinding]) -> None:
        super().__init__([f.message if f.message.startswith(f.code) else f"{f.code}:{f.message}" for f in findings])
        self.findings = findings


def _require_electing(project: ElectionProject) -> None:
    if project.status != Phase.ELECTING:
        raise ValidationError(f"项目处于“{project.get_status_display()}”阶段,大会选举阶段才能召开党员大会和计票")


# --- Meeting, attendance, scrutineers -----------------------------------------------------------------------


@transaction.atomic
def meeting_open(*, actor: Any, project: ElectionProject, held_on: date) -> Meeting:
    project = lock(project)
    require_perm(actor, Perm.ELECTION_VILLAGE_STEPS, project)
    _require_electing(project)
    meeting, _ = Meeting.objects.update_or_create(project=project, defaults={"held_on": held_on})
    bump(project)
    event(actor, project, "meeting", f"党员大会{held_on}召开")
    return meeting


@transaction.atomic
def attendance_save(*, actor: Any, meeting: Meeting, present_member_ids: list[int]) -> dict[str, int]:
    """Who is present (A9: only those present vote; nobody votes for another). Returns the A1 counts."""
    project = lock(meeting.project)
    require_perm(actor, Perm.ELECTION_VILLAGE_STEPS, project)
    _require_electing(project)
    voters = project.voters.exclude(status=VoterStatus.INELIGIBLE)
    voters.update(present=False)
    voters.filter(member_id__in=present_member_ids).update(present=True)
    counts = roll_counts(project)
    Meeting.objects.filter(pk=meeting.pk).update(present_count=counts["present"])
    meeting.present_count = counts["present"]
    bump(project)
    event(
        actor,
        project,
        "attendance",
        f"实到会{counts['present']}人,应到会{counts['effective']}人,{'超过' if counts['quorum_met'] else '未超过'}4/5",
    )
    return counts


def approved_names(project: ElectionProject, post: str = CandidatePost.COMMITTEE) -> list[str]:
    qs = project.candidates.filter(post=post, status=CandidateStatus.APPROVED).select_related("member")
    return sort_by_stroke([c.member.name for c in qs])


@transaction.atomic
def scrutineers_save(*, actor: Any, meeting: Meeting, scrutineers: list[str], counters: list[str]) -> Meeting:
    """A10: scrutineers (监票人) are not candidates; counters (计票人) are named by the committee."""
    project = lock(meeting.project)
    require_perm(actor, Perm.ELECTION_VILLAGE_STEPS, project)
    scrutineers = [s.strip() for s in scrutineers if s.strip()]
    counters = [s.strip() for s in counters if s.strip()]
    candidates = set(project.candidates.exclude(status=CandidateStatus.REFUSED).values_list("member__name", flat=True))
    failures = rules.check_scrutineers(scrutineers, candidates)
    if failures:
        raise ValidationError([f.message for f in failures])
    if not scrutineers:
        raise ValidationError("请填写监票人(A10)")
    Meeting.objects.filter(pk=meeting.pk).update(scrutineers=scrutineers, counters=counters)
    meeting.scrutineers, meeting.counters = scrutineers, counters
    event(actor, project, "scrutineers", f"监票人:{'、'.join(scrutineers)};计票人:{'、'.join(counters)}")
    return meeting


# --- Rounds ------------------------------------------------------------------------------------------------


def elected_for(project: ElectionProject, post: str) -> list[str]:
    """Names elected to a post across the valid rounds of the meeting, in the order they were elected."""
    names: list[str] = []
    meeting = getattr(project, "meeting", None)
    if meeting is None:
        return names
    for r in meeting.rounds.filter(status=RoundStatus.VALID).select_related("result").order_by("number"):
        if r.post == post:
            names += [n for n in r.result.elected if n not in names]
    return names


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
    due, excused, present_now = roll["due"], roll["excused"], meeting.present_count
    follows_post = ""
    if purpose == RoundPurpose.COMMITTEE:
        if elected_for(project, CandidatePost.COMMITTEE):
            raise ValidationError("委员会委员已经选出,未选足的名额请另行选举")
        names, seats = approved_names(project), project.seats
        failures = rules.check_margin(seats, len(names))
        if failures:
            raise ValidationError(failures[0].message)
    elif purpose in (RoundPurpose.SECRETARY, RoundPurpose.DEPUTY):
        committee = elected_for(project, CandidatePost.COMMITTEE)
        if not committee:
            raise ValidationError("先选出新一届委员会委员,再由委员会选举书记、副书记(A12)")
        if elected_for(project, purpose):
            raise ValidationError(f"{RoundPurpose(purpose).label}已经完成")
        nominees = [n for n in approved_names(project, purpose) if n in committee]
        names, seats = sort_by_stroke(nominees or committee), 1
        if project.method == ElectionMethod.INDIRECT:  # the new committee's first plenary votes (A12)
            due, excused = len(committee), 0
            present_now = len(committee) if present is None else present
    elif purpose == RoundPurpose.FURTHER:
        if follows is None or follows.meeting_id != meeting.pk:
            raise ValidationError("请选择需要再次投票的轮次")
        follows = BallotRound.objects.get(pk=follows.pk)
        previous = RoundResult.objects.filter(round=follows).first()
        if follows.status != RoundStatus.VALID or previous is None or not previous.seats_left:
            raise ValidationError("该轮次没有需要再次投票的名额")
        if follows.follow_ups.exists():
            raise ValidationError("该轮次已经安排了再次投票")
        names, seats = sort_by_stroke(previous.next_ballot_candidates), previous.seats_left
        follows_post = follows.post
        due, excused, present_now = follows.due, follows.excused, follows.present
    else:
        raise ValidationError("请选择投票事项")
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


def _lock_round(ballot_round: BallotRound) -> tuple[ElectionProject, BallotRound]:
    project = lock(ballot_round.meeting.project)
    locked = BallotRound.objects.select_for_update().get(pk=ballot_round.pk)
    return project, locked


def _check_open(locked: BallotRound) -> None:
    if locked.status not in (RoundStatus.OPEN, RoundStatus.COUNTED):
        raise ValidationError("该轮次已公布结果,不能再录入")


def _input_error(exc: TallyInputError) -> ValidationError:
    return ValidationError(
        [f.message if f.message.startswith(f.code) else f"{f.code}:{f.message}" for f in exc.findings]
    )


@transaction.atomic
def count_ballots(
    *, actor: Any, ballot_round: BallotRound, issued: int, returned: int, ballots: list[Ballot]
) -> TallyResult:
    """Ballot by ballot: every ballot as read (A7/A8 decide each one). Stored and checked; decided by round_close."""
    project, locked = _lock_round(ballot_round)
    require_perm(actor, Perm.ELECTION_VILLAGE_STEPS, project)
    _check_open(locked)
    locked.issued, locked.returned, locked.mode = issued, returned, EntryMode.BALLOTS
    result = _tally_ballots(locked, ballots)
    locked.status = RoundStatus.COUNTED
    locked.save(update_fields=["issued", "returned", "mode", "status"])
    locked.ballots.all().delete()
    locked.totals.all().delete()
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
    try:
        result = tally_totals(
            seats=locked.seats,
            due=locked.due,
            excused=locked.excused,
            present=locked.present,
            ballots_issued=issued,
            ballots_returned=returned,
            valid_ballots=valid_ballots,
            invalid_ballots=invalid_ballots,
            votes=entry.votes,
            candidates=tuple(locked.names),
            second_entry=_totals(locked, previous) if previous else None,
        )
    except TallyInputError as exc:
        raise _input_error(exc) from None
    warnings = [f for f in result.findings if f.kind == CheckKind.WARNING]
    unconfirmed = [f for f in warnings if f.code not in confirm]
    if unconfirmed:
        raise NeedsConfirmation(unconfirmed)
    entry.sequence = (previous.sequence + 1) if previous else 1
    entry.confirmed_warnings = [f"{f.code}:{f.message}" for f in warnings]
    if previous is None:
        locked.totals.all().delete()
        locked.ballots.all().delete()
    entry.save()
    locked.status = RoundStatus.COUNTED
    locked.save(update_fields=["issued", "returned", "mode", "status"])
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


@transaction.atomic
def round_close(*, actor: Any, ballot_round: BallotRound) -> RoundResult:
    """Decide the round with ``elections.tally`` and store the result with its explanation: valid or void."""
    project, locked = _lock_round(ballot_round)
    require_perm(actor, Perm.ELECTION_VILLAGE_STEPS, project)
    if locked.status != RoundStatus.COUNTED:
        raise ValidationError("请先录入计票结果")
    result = round_tally(locked)
    warnings = [f"{f.code}:{f.message}" for f in result.findings if f.kind == CheckKind.WARNING]
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
    locked.status = RoundStatus.VALID if result.valid else RoundStatus.VOID
    locked.save(update_fields=["status"])
    bump(project)
    summary = f"当选:{'、'.join(result.elected) or '无'}" if result.valid else f"选举无效:{result.reason}"
    event(actor, project, "round_close", f"{locked}{summary}", after={"votes": dict(result.votes)})
    return stored


# --- The township's approval -----------------------------------------------------------------------------


def proposed_committee(project: ElectionProject) -> list[dict[str, Any]]:
    """The elected committee with each one's post (secretary and deputy first) and A12 status."""
    committee = elected_for(project, CandidatePost.COMMITTEE)
    secretary = elected_for(project, CandidatePost.SECRETARY)
    deputy = elected_for(project, CandidatePost.DEPUTY)
    members = {m.name: m for m in Member.objects.filter(organization=project.organization, left_on__isnull=True)}
    rows = []
    for name in committee:
        post = (
            Post.SECRETARY if name in secretary else Post.DEPUTY_SECRETARY if name in deputy else Post.COMMITTEE_MEMBER
        )
        status = rules.status_after_election(is_secretary_or_deputy=post != Post.COMMITTEE_MEMBER)
        rows.append(
            {
                "name": name,
                "member": members.get(name),
                "post": post,
                "post_label": Post(post).label,
                "status": status,
                "status_label": rules.PostStatus(status).label,
            }
        )
    rows.sort(key=lambda r: [Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.COMMITTEE_MEMBER].index(r["post"]))
    return rows


@transaction.atomic
def result_approve(
    *, actor: Any, project: ElectionProject, approved: bool = True, note: str = "", decided_on: date | None = None
) -> Approval:
    """Step 27 (批复) and A12: the township approves the result; the new term and positions go into the roster through
    organizations.services (the old committee's positions end that day and stay in the history)."""
    project = lock(project)
    require_perm(actor, Perm.ELECTION_MANAGE, project)
    _require_electing(project)
    if project.approvals.filter(approved=True).exists():
        raise ValidationError("选举结果已经批复")
    meeting = Meeting.objects.filter(project=project).first()
    if meeting is None:
        raise ValidationError("尚未召开党员大会")
    if meeting.rounds.filter(status__in=[RoundStatus.OPEN, RoundStatus.COUNTED]).exists():
        raise ValidationError("还有未公布结果的投票轮次")
    rows = proposed_committee(project)
    decided_on = decided_on or timezone.localdate()
    if approved:
        if not rows:
            raise ValidationError("没有当选的委员")
        if not any(r["post"] == Post.SECRETARY for r in rows):
            raise ValidationError("尚未选举书记(A12)")
        unknown = [r["name"] for r in rows if r["member"] is None]
        if unknown:
            raise ValidationError(f"当选人不在本组织党员名册中:{'、'.join(unknown)}")
    approval = Approval.objects.create(
        project=project,
        approved=approved,
        note=note[:300],
        decided_by=actor,
        decided_on=decided_on,
        elected=[
            {"member": r["member"].pk if r["member"] else None, "name": r["name"], "post": r["post"]} for r in rows
        ],
    )
    if approved:
        org = project.organization
        for position in Position.objects.filter(
            organization=org,
            ended_on__isnull=True,
            post__in=[Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.COMMITTEE_MEMBER],
        ):
            org_services.position_end(
                actor=actor, position=position, ended_on=max(meeting.held_on, position.started_on)
            )
        term = org_services.term_create(
            actor=actor,
            organization=org,
            elected_on=meeting.held_on,
            seats=len(rows),
            note=f"{project.year}年换届选举产生,{decided_on}批复",
        )
        for r in rows:
            org_services.position_assign(
                actor=actor, organization=org, member=r["member"], post=r["post"], started_on=meeting.held_on, term=term
            )
        project.new_term = term
        project.save(update_fields=["new_term", "updated_at"])
    bump(project)
    event(
        actor,
        project,
        "approve",
        f"选举结果{'批复同意' if approved else '不予批准'}" + (f":{note}" if note else ""),
        after={"elected": [asdict_row(r) for r in rows]},
    )
    return approval


def asdict_row(row: dict[str, Any]) -> dict[str, str]:
    return {"name": row["name"], "post": str(row["post"])}


def secretary_status(project: ElectionProject) -> str:
    """A12: "pending approval" until the township approves the result."""
    if project.approvals.filter(approved=True).exists():
        return rules.PostStatus.APPROVED
    return rules.PostStatus.PENDING_APPROVAL


__all__ = ["NeedsConfirmation", "asdict", "Candidate", "Voter"]
