"""A5: the congress's vote to reduce the seats when fewer pass than them, recorded as its own action (the count and
whether it passed); the township's approval of a result with seats left and no such vote is refused."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from elections.access import require_perm
from elections.models import CandidatePost, ElectionProject, Meeting, RoundStatus, SeatReduction
from elections.rules.failures import errors
from elections.rules.seats import check_reduction_vote, check_seats_filled, reduction_passed
from elections.rules.terms import check_committee_size
from elections.services.projects import full_members
from elections.services.rounds import elected_for
from elections.services.workflow import bump, event, lock
from organizations.roles import Perm


def seats_left(project: ElectionProject) -> int:
    """Committee seats not filled by the valid rounds so far (0 once the congress agreed to fewer seats)."""
    elected = len(elected_for(project, CandidatePost.COMMITTEE))
    reduction = SeatReduction.objects.filter(project=project, passed=True).first()
    seats = reduction.seats_after if reduction else project.seats
    return max(seats - elected, 0)


def seats_filled_problems(project: ElectionProject, *, after_a_round: bool = False) -> list[str]:
    """Called by result_approve: seats left and no passed vote to reduce them. ``after_a_round``: only once a round
    has been published (the meeting page says nothing before the first result)."""
    meeting = Meeting.objects.filter(project=project).first()
    if after_a_round and (meeting is None or not meeting.rounds.filter(status=RoundStatus.VALID).exists()):
        return []
    reduction = SeatReduction.objects.filter(project=project, passed=True).first()
    elected = len(elected_for(project, CandidatePost.COMMITTEE))
    failures = check_seats_filled(
        seats=project.seats, elected=elected, reduced_to=reduction.seats_after if reduction else None
    )
    return [f.message for f in failures]


@transaction.atomic
def seats_reduce(
    *, actor: Any, project: ElectionProject, votes_for: int, votes_against: int = 0, abstained: int = 0
) -> SeatReduction:
    """The congress votes to reduce the seats to those elected; a vote that does not pass is recorded too, and the
    missing seats then go to a further ballot."""
    project = lock(project)
    require_perm(actor, Perm.ELECTION_VILLAGE_STEPS, project)
    meeting = Meeting.objects.filter(project=project).first()
    if meeting is None:
        raise ValidationError("尚未召开党员大会")
    if meeting.rounds.filter(status__in=[RoundStatus.OPEN, RoundStatus.COUNTED]).exists():
        raise ValidationError("还有未公布结果的投票轮次")
    if SeatReduction.objects.filter(project=project).exists():
        raise ValidationError("党员大会已就减少名额进行过表决")
    elected = len(elected_for(project, CandidatePost.COMMITTEE))
    present = meeting.present_count
    failures = check_reduction_vote(
        seats=project.seats,
        elected=elected,
        votes_for=votes_for,
        votes_against=votes_against,
        abstained=abstained,
        present=present,
    )
    failures += check_committee_size(
        kind=project.organization.kind,
        field=project.organization.field or "",
        seats=elected,
        full_members=full_members(project.organization),
    )
    if errors(failures):
        raise ValidationError([f.message for f in errors(failures)])
    passed = reduction_passed(votes_for=votes_for, present=present)
    reduction = SeatReduction.objects.create(
        project=project,
        seats_before=project.seats,
        seats_after=elected,
        present=present,
        votes_for=votes_for,
        votes_against=votes_against,
        abstained=abstained,
        passed=passed,
        voted_on=meeting.held_on,
        recorded_by=actor,
    )
    bump(project)
    event(
        actor,
        project,
        "seats_reduce",
        f"党员大会表决将应选名额由{project.seats}名减少为{elected}名:同意{votes_for}人,不同意{votes_against}人,"
        f"弃权{abstained}人,{'通过' if passed else '未通过'}",
        after={"seats_after": elected, "passed": passed},
    )
    return reduction
