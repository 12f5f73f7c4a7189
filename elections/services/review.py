"""The joint qualification review (资格联审, Q1/Q2): the township's clerk records each department's opinion on the
candidates (in a batch: the departments and candidates of one returned form), the district records the county group's
re-review (复审). A 不同意 stops the candidate (its eligibility review is run again, and the reason is one of its
findings); the township's approval of the list (``candidates.candidates_approve``) asks ``confirm_problems`` first.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from elections.access import require_perm
from elections.models import Candidate, CandidateStatus, ElectionProject, JointReReview, JointReviewOpinion
from elections.rules.joint_review import DEPARTMENTS, REREVIEW_BODY, check_opinion, check_rereview
from elections.services.candidates import candidate_review
from elections.services.review_state import state_of
from elections.services.workflow import bump, event, lock
from organizations.roles import Perm

REVIEWER_MAX = 40
CLOSED = (CandidateStatus.WITHDRAWN, CandidateStatus.APPROVED)


def _chosen(project: ElectionProject, candidate_ids: Iterable[int]) -> list[Candidate]:
    ids = set(candidate_ids)
    if not ids:
        raise ValidationError("请选择候选人")
    chosen = list(
        project.candidates.filter(pk__in=ids)
        .select_related("member", "joint_rereview")
        .prefetch_related("joint_opinions")
        .order_by("member__name")
    )
    if len(chosen) != len(ids):
        raise ValidationError("所选人员不是本项目的候选人")
    closed = [c.member.name for c in chosen if c.status in CLOSED]
    if closed:
        raise ValidationError(f"已批准或已退出的人选不再联审:{'、'.join(closed)}")
    return chosen


def _recheck(actor: Any, candidates: list[Candidate]) -> None:
    """Run each candidate's eligibility review again: a 不同意 (or its correction) changes its status."""
    for c in candidates:
        candidate_review(actor=actor, candidate=c)


@transaction.atomic
def joint_opinions_record(
    *,
    actor: Any,
    project: ElectionProject,
    candidate_ids: Iterable[int],
    departments: Iterable[str],
    agreed: bool,
    given_on: date,
    reviewer: str,
    reason: str = "",
) -> int:
    """Q1: the opinion of each chosen department on each chosen candidate, as the township's clerk copies it from
    the returned review form (``reviewer``: the name that signed it). Before the re-review only: a re-reviewed
    candidate's opinions stand. Returns the number of opinions written."""
    project = lock(project)
    require_perm(actor, Perm.ELECTION_MANAGE, project)
    departments = list(dict.fromkeys(departments))
    if not departments:
        raise ValidationError("请选择联审部门")
    reason, reviewer = reason.strip(), reviewer.strip()
    problems = [f.message for d in departments for f in check_opinion(d, agreed, reason)]
    if not reviewer:
        problems.append("请填写审核人姓名")
    elif len(reviewer) > REVIEWER_MAX:
        problems.append(f"审核人姓名不超过{REVIEWER_MAX}字")
    if given_on > timezone.localdate():
        problems.append("意见日期不能晚于今天")
    if problems:
        raise ValidationError(list(dict.fromkeys(problems)))
    chosen = _chosen(project, candidate_ids)
    done = [c.member.name for c in chosen if state_of(c).rereview is not None]
    if done:
        raise ValidationError(f"{REREVIEW_BODY}已复审,部门意见不能再修改:{'、'.join(done)}")
    for c in chosen:
        for d in departments:
            JointReviewOpinion.objects.update_or_create(
                candidate=c,
                department=d,
                defaults={
                    "department_name": DEPARTMENTS[d],
                    "agreed": agreed,
                    "reason": "" if agreed else reason,
                    "given_on": given_on,
                    "reviewer": reviewer,
                    "recorded_by": actor,
                },
            )
    _recheck(actor, chosen)
    bump(project)
    names = "、".join(c.member.name for c in chosen)
    depts = "、".join(DEPARTMENTS[d] for d in departments)
    event(
        actor,
        project,
        "joint_review",
        f"录入资格联审意见:{depts}对{names}{'同意' if agreed else '不同意(' + reason + ')'},审核人{reviewer}",
        after={"departments": [DEPARTMENTS[d] for d in departments], "agreed": agreed},
    )
    return len(chosen) * len(departments)


@transaction.atomic
def joint_rereview_record(
    *,
    actor: Any,
    project: ElectionProject,
    candidate_ids: Iterable[int],
    agreed: bool,
    reviewed_on: date,
    reason: str = "",
) -> int:
    """Q2: the county group's re-review of the chosen candidates, recorded by the district once every department
    has answered on them."""
    project = lock(project)
    require_perm(actor, Perm.ELECTION_COUNTY, project)
    if reviewed_on > timezone.localdate():
        raise ValidationError("复审日期不能晚于今天")
    reason = reason.strip()[:200]
    chosen = _chosen(project, candidate_ids)
    problems = [f.message for c in chosen for f in check_rereview(c.member.name, state_of(c), agreed, reason)]
    if problems:
        raise ValidationError(problems)
    for c in chosen:
        JointReReview.objects.update_or_create(
            candidate=c,
            defaults={"agreed": agreed, "reason": reason, "reviewed_on": reviewed_on, "recorded_by": actor},
        )
    _recheck(actor, chosen)
    bump(project)
    names = "、".join(c.member.name for c in chosen)
    event(
        actor,
        project,
        "joint_rereview",
        f"{REREVIEW_BODY}复审{names}:{'同意' if agreed else '不同意(' + reason + ')'}",
        after={"agreed": agreed},
    )
    return len(chosen)
