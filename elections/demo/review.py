"""The demo's joint qualification reviews (Q1/Q2) and posts in the two committees (T1–T4), through the services as
the township and district demo accounts: called by ``builder`` while it makes the projects."""

from __future__ import annotations

from datetime import date
from typing import Any

from elections.models import CandidatePost, ElectionProject
from elections.rules.joint_review import DEPARTMENTS
from elections.services.candidates import candidate_add
from elections.services.posts import committee_posts_record, new_committee
from elections.services.review import joint_opinions_record, joint_rereview_record
from organizations.models import Member, MemberStatus, Post

# Q1: the demo's one candidate stopped by the joint review, and why (a barring ground of 第五篇 三(五)(6)).
DEMO_REFUSAL = ("petitions", "近三年多次组织群众越级集体上访,影响社会稳定")
DEMO_REVIEWERS = ("张建国", "李卫东", "王秀兰", "赵志刚")


def _review_day(project: ElectionProject, today: date) -> date:
    return min(project.steps.get(template__number=15).due_on, today)


def review(actors: Any, project: ElectionProject, ids: list[int], today: date, *, rereview: bool) -> None:
    """Q1/Q2: every department agrees on these candidates (two returned forms, two signers), then the county group's
    re-review when ``rereview``."""
    on = _review_day(project, today)
    codes = list(DEPARTMENTS)
    half = len(codes) // 2
    for part, reviewer in ((codes[:half], DEMO_REVIEWERS[0]), (codes[half:], DEMO_REVIEWERS[1])):
        joint_opinions_record(
            actor=actors.township, project=project, candidate_ids=ids, departments=part, agreed=True, given_on=on,
            reviewer=reviewer,
        )  # fmt: skip
    if rereview:
        joint_rereview_record(actor=actors.district, project=project, candidate_ids=ids, agreed=True, reviewed_on=on)


def review_pending(actors: Any, project: ElectionProject, others: list[Member], today: date) -> None:
    """The project choosing its candidates: every candidate agreed by every department and waiting for the county's
    re-review, but one (beyond the list when there is one) stopped by a department's 不同意 (Q1)."""
    blocked = project.candidates.filter(post=CandidatePost.COMMITTEE, member__in=others).order_by("pk").first()
    if blocked is None:  # no one beyond the list (a small village): one more member nominated, so the list keeps A11
        taken = project.candidates.values("member")
        member = project.organization.members.filter(left_on__isnull=True, status=MemberStatus.FULL)
        blocked = candidate_add(actor=actors.township, project=project, member=member.exclude(pk__in=taken).first())
    review(actors, project, list(project.candidates.exclude(pk=blocked.pk).values_list("pk", flat=True)), today,
           rereview=False)  # fmt: skip
    on = _review_day(project, today)
    code, reason = DEMO_REFUSAL
    joint_opinions_record(
        actor=actors.township, project=project, candidate_ids=[blocked.pk], departments=[code], agreed=False,
        reason=reason, given_on=on, reviewer=DEMO_REVIEWERS[2],
    )  # fmt: skip
    joint_opinions_record(
        actor=actors.township, project=project, candidate_ids=[blocked.pk],
        departments=[c for c in DEPARTMENTS if c != code], agreed=True, given_on=on, reviewer=DEMO_REVIEWERS[3],
    )  # fmt: skip


def record_posts(actors: Any, project: ElectionProject) -> None:
    """T1–T4 on the committee just approved: 一肩挑, the secretary and one member on the villagers' committee, the
    women's federation chair joined, the youth league secretary not yet."""
    positions = new_committee(project)
    secretary = [p.member_id for p in positions if p.post == Post.SECRETARY]
    members = [p.member_id for p in positions if p.post != Post.SECRETARY]
    committee_posts_record(
        actor=actors.township,
        project=project,
        villagers_committee_size=5,
        secretary_is_director=bool(secretary),
        cross_member_ids=secretary + members[:1],
        women_chair_joined=True,
        women_chair_name="刘秀英",
        youth_secretary_joined=False,
    )
