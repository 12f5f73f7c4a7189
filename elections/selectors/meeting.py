"""Reads for the members' congress and its count: the meeting, who may attend, the rounds, a round's entries, the
township's approvals. The project or round was reached through ``elections.access``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from elections.models import (
    Approval,
    BallotRound,
    ElectionMethod,
    ElectionProject,
    ExcusalDecision,
    Meeting,
    SeatReduction,
    TotalsEntry,
    Voter,
    VoterStatus,
)
from elections.rules.terms import has_committee, secretary_electorate, secretary_voted_by_committee


def meeting_of(user: Any, project: ElectionProject) -> Meeting | None:
    return Meeting.objects.filter(project=project).first()


def voters_of(user: Any, project: ElectionProject) -> QuerySet[Voter]:
    """The voter roll with its members."""
    return project.voters.select_related("member")


def attending_voters(user: Any, project: ElectionProject) -> QuerySet[Voter]:
    """Who may be marked present: the roll without those who may not vote (A2)."""
    return project.voters.exclude(status=VoterStatus.INELIGIBLE).select_related("member")


def rounds_of(user: Any, meeting: Meeting | None) -> QuerySet[BallotRound] | list[BallotRound]:
    return meeting.rounds.select_related("result") if meeting else []


def totals_entries(user: Any, ballot_round: BallotRound) -> list[TotalsEntry]:
    """The per-name totals entered for a round, first entry first (the double entry compared by K9)."""
    return list(ballot_round.totals.order_by("sequence"))


def has_totals(user: Any, ballot_round: BallotRound) -> bool:
    return ballot_round.totals.exists()


def approvals_of(user: Any, project: ElectionProject) -> QuerySet[Approval]:
    return project.approvals.all()


def excusal_of(user: Any, project: ElectionProject) -> ExcusalDecision | None:
    """A1a: the higher body's consent and the congress's vote on the members left out of "due", if recorded."""
    return ExcusalDecision.objects.filter(project=project).select_related("consent_by", "vote_recorded_by").first()


def secretary_electorate_words(user: Any, project: ElectionProject) -> str:
    """A12 in words for the meeting page: who elects the secretary and deputy, and why."""
    by_committee = secretary_voted_by_committee(seats=project.seats, direct=project.method == ElectionMethod.DIRECT)
    if not has_committee(project.seats):
        why = f"应选{project.seats}名,不设支部委员会(《中国共产党支部工作条例(试行)》第二十条)"
    else:
        why = "直接选举" if project.method == ElectionMethod.DIRECT else "间接选举"
    voters = "新当选的委员参加投票" if by_committee else "全体有选举权的到会党员参加投票"
    return f"{why}:书记、副书记由{secretary_electorate(has_committee=by_committee)}选举,{voters}"


def seat_reduction_of(user: Any, project: ElectionProject) -> SeatReduction | None:
    """A5: the congress's vote to reduce the seats, if one was taken."""
    return SeatReduction.objects.filter(project=project).select_related("recorded_by").first()
