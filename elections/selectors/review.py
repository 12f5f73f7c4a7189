"""Reads for the joint qualification review page (资格联审, Q1/Q2): the candidates × departments matrix of a project
the user reached through ``elections.access``. Three queries whatever the number of candidates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from elections.models import Candidate, CandidateStatus, ElectionProject, JointReReview, JointReviewOpinion
from elections.rules.joint_review import DEPARTMENTS, ReviewState
from elections.services.review_state import state_of


@dataclass
class MatrixRow:
    candidate: Candidate
    cells: list[tuple[str, str, JointReviewOpinion | None]]  # (code, department name, opinion) in the plan's order
    state: ReviewState
    rereview: JointReReview | None

    @property
    def open(self) -> bool:
        """Still takes opinions or a re-review (not approved, not withdrawn)."""
        return self.candidate.status not in (CandidateStatus.APPROVED, CandidateStatus.WITHDRAWN)


def joint_review_matrix(user: Any, project: ElectionProject) -> list[MatrixRow]:
    """Every candidate of the project but those who withdrew, with each department's opinion and the re-review."""
    candidates = (
        project.candidates.exclude(status=CandidateStatus.WITHDRAWN)
        .select_related("member", "joint_rereview")
        .prefetch_related("joint_opinions")
        .order_by("post", "member__name")
    )
    rows = []
    for c in candidates:
        given = {o.department: o for o in c.joint_opinions.all()}
        try:
            rereview = c.joint_rereview
        except JointReReview.DoesNotExist:
            rereview = None
        rows.append(
            MatrixRow(
                candidate=c,
                cells=[(code, name, given.get(code)) for code, name in DEPARTMENTS.items()],
                state=state_of(c),
                rereview=rereview,
            )
        )
    return rows
