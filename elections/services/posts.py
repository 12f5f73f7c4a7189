"""Posts in the two committees (T1–T4, 第五篇 四), recorded by the township on an elected committee once the result
is approved: the villagers' (residents') committee's size, 一肩挑, the cross-holding members, the women's federation
chair and the youth league secretary."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from elections.access import require_perm
from elections.models import CommitteePosts, ElectionProject
from elections.rules.failures import Failure, errors
from elections.rules.posts import CommitteePostFacts, check_posts
from elections.services.workflow import bump, event, lock
from organizations.models import Position, Post
from organizations.roles import Perm

NAME_MAX = 40


def new_committee(project: ElectionProject) -> list[Position]:
    """The positions of the committee the election produced (empty before the result is approved)."""
    if project.new_term_id is None:
        return []
    return list(
        Position.objects.filter(term_id=project.new_term_id).select_related("member").order_by("post", "member__name")
    )


def facts_of(
    project: ElectionProject,
    positions: list[Position],
    *,
    size: int,
    director: bool,
    cross: set[int],
    women: bool,
    youth: bool,
) -> CommitteePostFacts:
    secretary = {p.member_id for p in positions if p.post == Post.SECRETARY}
    members = {p.member_id for p in positions}
    return CommitteePostFacts(
        field=project.organization.field or "",
        party_members=len(members),
        villagers_committee_size=size,
        cross_members=len(cross & members),
        secretary_is_director=director,
        secretary_is_cross=bool(secretary) and secretary <= cross,
        women_chair_joined=women,
        youth_secretary_joined=youth,
    )


def posts_findings(project: ElectionProject, posts: CommitteePosts | None) -> list[Failure]:
    """T1–T3 warnings of a recorded committee (for its page)."""
    if posts is None:
        return []
    positions = new_committee(project)
    return check_posts(
        facts_of(
            project,
            positions,
            size=posts.villagers_committee_size,
            director=posts.secretary_is_director,
            cross={m.pk for m in posts.cross_members.all()},
            women=posts.women_chair_joined,
            youth=posts.youth_secretary_joined,
        )
    )


def _name_problems(women: bool, women_name: str, youth: bool, youth_name: str) -> list[str]:
    problems = []
    if women and not women_name:
        problems.append("请填写进入“两委”班子的妇联主席姓名")
    if youth and not youth_name:
        problems.append("请填写进入“两委”班子的团支部书记姓名")
    if max(len(women_name), len(youth_name)) > NAME_MAX:
        problems.append(f"姓名不超过{NAME_MAX}字")
    return problems


@transaction.atomic
def committee_posts_record(
    *,
    actor: Any,
    project: ElectionProject,
    villagers_committee_size: int,
    secretary_is_director: bool,
    cross_member_ids: Iterable[int],
    women_chair_joined: bool,
    youth_secretary_joined: bool,
    women_chair_name: str = "",
    youth_secretary_name: str = "",
) -> CommitteePosts:
    """T1–T4 on the elected committee (created or corrected); refused before the result is approved."""
    project = lock(project)
    require_perm(actor, Perm.ELECTION_MANAGE, project)
    positions = new_committee(project)
    if not positions:
        raise ValidationError("选举结果批复后,新一届班子产生,才能填写“两委”任职情况")
    members = {p.member_id: p.member for p in positions}
    cross = set(cross_member_ids)
    if cross - set(members):
        raise ValidationError("交叉任职的人员须为新一届党组织委员会成员")
    women_chair_name, youth_secretary_name = women_chair_name.strip(), youth_secretary_name.strip()
    facts = facts_of(
        project,
        positions,
        size=villagers_committee_size,
        director=secretary_is_director,
        cross=cross,
        women=women_chair_joined,
        youth=youth_secretary_joined,
    )
    problems = _name_problems(women_chair_joined, women_chair_name, youth_secretary_joined, youth_secretary_name)
    problems += [f.message for f in errors(check_posts(facts))]
    if problems:
        raise ValidationError(problems)
    posts, created = CommitteePosts.objects.update_or_create(
        project=project,
        defaults={
            "villagers_committee_size": villagers_committee_size,
            "secretary_is_director": secretary_is_director,
            "women_chair_joined": women_chair_joined,
            "women_chair_name": women_chair_name if women_chair_joined else "",
            "youth_secretary_joined": youth_secretary_joined,
            "youth_secretary_name": youth_secretary_name if youth_secretary_joined else "",
            "recorded_by": actor,
        },
    )
    posts.cross_members.set([members[i] for i in cross])
    bump(project)
    event(
        actor,
        project,
        "committee_posts",
        f"{'填写' if created else '修改'}“两委”任职情况:村(居)委会{villagers_committee_size}人,"
        f"{'一肩挑' if secretary_is_director else '未一肩挑'},交叉任职{facts.cross_members}/{facts.party_members}人,"
        f"妇联主席{'已' if women_chair_joined else '未'}进入,团支部书记{'已' if youth_secretary_joined else '未'}进入",
        after={"villagers_committee_size": villagers_committee_size, "cross_members": sorted(cross)},
    )
    return posts
