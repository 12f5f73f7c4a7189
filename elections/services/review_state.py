"""Where a candidate's joint qualification review stands (Q1/Q2), read from its stored opinions: what the
candidates' eligibility review and the township's approval of the list ask (``services.candidates``), and what the
review's own services check (``services.review``)."""

from __future__ import annotations

from collections.abc import Iterable

from elections.models import Candidate, JointReReview
from elections.rules.failures import Failure
from elections.rules.joint_review import Opinion, ReReview, ReviewState, confirm_failures, review_state


def state_of(candidate: Candidate) -> ReviewState:
    """Q1/Q2 for one candidate (its ``joint_opinions`` and ``joint_rereview`` may be prefetched)."""
    opinions = [Opinion(o.department, o.agreed, o.reason, o.given_on) for o in candidate.joint_opinions.all()]
    try:
        rereview: JointReReview | None = candidate.joint_rereview
    except JointReReview.DoesNotExist:
        rereview = None
    return review_state(opinions, ReReview(rereview.agreed, rereview.reason) if rereview else None)


def review_failures(candidate: Candidate) -> list[Failure]:
    """The refusals (不同意) of a candidate's review: errors that stop it at its eligibility review."""
    state = state_of(candidate)
    return [f for f in confirm_failures(candidate.member.name, state) if state.blocked]


def confirm_problems(candidates: Iterable[Candidate]) -> list[str]:
    """Q1/Q2: why these candidates cannot be confirmed yet, one sentence each (empty: every one is cleared)."""
    problems: list[str] = []
    for c in candidates:
        problems += [f.message for f in confirm_failures(c.member.name, state_of(c))]
    return problems
