"""Ballot rounds: the committee, the secretary and deputy (A12), and further ballots after a round that left seats
(A4 tie, A5 too few passed), all in the same meeting."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from elections import rules
from elections.counting_meeting import _require_electing, approved_names
from elections.models import (
    BallotRound,
    CandidatePost,
    ElectionMethod,
    ElectionProject,
    Meeting,
    RoundPurpose,
    RoundResult,
    RoundStatus,
)
from elections.services import roll_counts
from elections.stroke_order import sort_by_stroke
from elections.workflow import bump, event, lock, require_perm
from organizations.roles import Perm

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
            raise ValidationError("先选出新一届委员会委员,再由委员会选举书记、副书记")
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
