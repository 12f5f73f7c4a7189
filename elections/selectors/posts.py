"""Reads for posts in the two committees (T1–T4): one project's record, and the district's summary per township
(committees recorded, 一肩挑, 交叉任职, 妇联主席, 团支部书记) over the projects in the user's scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from elections.models import CommitteePosts, ElectionProject
from elections.rules.posts import CommitteePostFacts, PostTotals, merged
from organizations.models import Organization, Position
from organizations.roles import Perm
from organizations.scope import path_q, scope_paths


def posts_of(user: Any, project: ElectionProject) -> CommitteePosts | None:
    """The record of a project the user reached through ``elections.access`` (None before it is filled in)."""
    return CommitteePosts.objects.filter(project=project).prefetch_related("cross_members").first()


@dataclass
class TownshipPosts:
    township: Organization
    totals: PostTotals


def posts_summary(user: Any) -> tuple[list[TownshipPosts], PostTotals]:
    """Per township in the user's scope, the posts recorded on its elected committees, and the total. Three queries
    whatever the number of committees."""
    paths = scope_paths(user, Perm.VIEW_RECORDS)
    records = list(
        CommitteePosts.objects.filter(path_q(paths, "project__organization__path"))
        .select_related("project__organization", "project__township")
        .annotate(n_cross=Count("cross_members", distinct=True))
        .order_by("project__township__path", "project__organization__path")
    )
    terms = {r.project.new_term_id for r in records if r.project.new_term_id}
    sizes = {
        row["term"]: row["members"]
        for row in Position.objects.filter(term_id__in=terms)
        .values("term")
        .annotate(members=Count("member", distinct=True))
    }
    by_town: dict[int, TownshipPosts] = {}
    for r in records:
        members = sizes.get(r.project.new_term_id, 0)
        facts = CommitteePostFacts(
            field=r.project.organization.field or "",
            party_members=members,
            villagers_committee_size=r.villagers_committee_size,
            cross_members=r.n_cross,
            secretary_is_director=r.secretary_is_director,
            secretary_is_cross=r.secretary_is_director,  # checked when saved (T1); only the totals are read here
            women_chair_joined=r.women_chair_joined,
            youth_secretary_joined=r.youth_secretary_joined,
        )
        town = r.project.township
        by_town.setdefault(town.pk, TownshipPosts(town, PostTotals())).totals.add(facts)
    rows = list(by_town.values())
    return rows, merged(r.totals for r in rows)
