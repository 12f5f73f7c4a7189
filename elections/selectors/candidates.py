"""Reads for the candidates' pages: the organization's members to recommend, the lists, a candidate's eligibility
checks, the final list with its pledges. The project or candidate was reached through ``elections.access``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from elections.models import Candidate, CandidateStatus, ElectionProject, EligibilityCheck, ListStage
from organizations.models import Member


def current_members(user: Any, project: ElectionProject) -> list[Member]:
    """The organization's members today (the recommendation form's rows)."""
    return list(project.organization.members.filter(left_on__isnull=True))


def member_names(user: Any, project: ElectionProject) -> dict[int, str]:
    """Every member of the organization (also those who left) by id: the names the recommendation form refers to."""
    return dict(project.organization.members.values_list("pk", "name"))


def candidates_of(user: Any, project: ElectionProject) -> QuerySet[Candidate]:
    return project.candidates.select_related("member").prefetch_related("pledges")


def eligibility_checks(user: Any, candidate: Candidate) -> dict[str, EligibilityCheck]:
    """The recorded checks of a candidate by rule, with who checked."""
    return {c.rule: c for c in candidate.checks.select_related("checked_by")}


def pledge_rows(user: Any, project: ElectionProject) -> list[Candidate]:
    """The candidates who sign pledges (step 19, step 25): the final list, with their pledges (two queries)."""
    return list(
        project.candidates.filter(stage=ListStage.FINAL)
        .exclude(status__in=[CandidateStatus.REFUSED, CandidateStatus.WITHDRAWN])
        .select_related("member")
        .prefetch_related("pledges")
        .order_by("member__name")
    )
