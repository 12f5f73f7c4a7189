"""Reads for the members' congress and its count: the meeting, who may attend, the rounds, a round's entries, the
township's approvals. The project or round was reached through ``elections.access``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from elections.models import (
    Approval,
    BallotRound,
    ElectionProject,
    ExcusalDecision,
    Meeting,
    TotalsEntry,
    Voter,
    VoterStatus,
)


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
