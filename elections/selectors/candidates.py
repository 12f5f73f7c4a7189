"""Reads for the candidates' pages: the final list with its pledges."""

from __future__ import annotations

from elections.models import Candidate, CandidateStatus, ElectionProject, ListStage


def pledge_rows(project: ElectionProject) -> list[Candidate]:
    """The candidates who sign pledges (step 19, step 25): the final list, with their pledges (two queries)."""
    return list(
        project.candidates.filter(stage=ListStage.FINAL)
        .exclude(status__in=[CandidateStatus.REFUSED, CandidateStatus.WITHDRAWN])
        .select_related("member")
        .prefetch_related("pledges")
        .order_by("member__name")
    )
