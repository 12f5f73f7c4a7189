"""A13: remind about a committee term six months before it ends, until the township opens the election project.

Daily (``elections.tasks``). For each active organization whose latest term ends within six months and which has no
running project, the branch secretaries of the organization and the staff of its township get one notification at
each stage — six months, three months, one month, and once the term has ended — so a daily run does not repeat itself
and a missed day is caught up by the next run. Dedup is on the notification's recipient and title (the title names
the organization, the stage and the end date); no extra table. A new notification is also mailed when the recipient
has an email address.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from core.notifications import Reminder, reminders_deliver
from elections.models import ElectionProject, Phase
from organizations.models import CommitteeTerm, Organization, RoleAssignment
from organizations.roles import Role

# (days left at most, the stage's words), latest stage first. Six months: RULES A13.
STAGES: tuple[tuple[int, str], ...] = ((-1, "已届满"), (30, "1个月内届满"), (91, "3个月内届满"), (183, "半年内届满"))
WINDOW_DAYS = STAGES[-1][0]


def stage_of(days_left: int) -> str | None:
    """The reminder stage of a term with ``days_left`` days to its end (negative: ended), None outside six months."""
    for limit, words in STAGES:
        if days_left <= limit:
            return words
    return None


def terms_without_project(today: date) -> list[CommitteeTerm]:
    """Latest terms of active organizations ending within six months (or ended) with no running project."""
    latest = (
        CommitteeTerm.objects.filter(organization=OuterRef("organization")).order_by("-elected_on").values("pk")[:1]
    )
    running = ElectionProject.objects.exclude(status=Phase.CLOSED).values("organization_id")
    return list(
        CommitteeTerm.objects.filter(pk=Subquery(latest), ends_on__lte=today + timedelta(days=WINDOW_DAYS))
        .filter(organization__dissolved_on__isnull=True)
        .exclude(organization_id__in=running)
        .select_related("organization")
        .order_by("ends_on", "organization__path")
    )


def _holders(role: Role, org_ids: set[int]) -> dict[int, list[Any]]:
    result: dict[int, list[Any]] = defaultdict(list)
    grants = RoleAssignment.objects.filter(
        role=role, organization_id__in=org_ids, revoked_at__isnull=True, user__is_active=True
    ).select_related("user")
    for grant in grants:
        result[grant.organization_id].append(grant.user)
    return result


def reminders_due(today: date) -> list[Reminder]:
    terms = terms_without_project(today)
    if not terms:
        return []
    towns = {t.path: t for t in Organization.objects.filter(path__in={t.organization.township_path() for t in terms})}
    secretaries = _holders(Role.BRANCH_SECRETARY, {t.organization_id for t in terms})
    staff = _holders(Role.TOWNSHIP_STAFF, {t.pk for t in towns.values()})
    url = reverse("elections:terms")
    reminders = []
    for term in terms:
        org = term.organization
        days_left = (term.ends_on - today).days
        stage = stage_of(days_left)
        if stage is None:
            continue
        title = f"【换届提醒】{org.name}班子{stage}({term.ends_on:%Y年%m月%d日})"
        when = (
            f"已于{term.ends_on:%Y年%m月%d日}届满{-days_left}天"
            if days_left < 0
            else f"将于{term.ends_on:%Y年%m月%d日}届满"
        )
        body = f"{org.name}本届委员会{when},尚未启动换届选举。请乡镇党委按两推一选的32个环节及早启动。"
        town = towns.get(org.township_path())
        people = secretaries.get(org.pk, []) + (staff.get(town.pk, []) if town else [])
        reminders += [Reminder(user, title, body, url) for user in people]
    return reminders


def reminders_send(*, today: date | None = None) -> int:
    """Create (and mail) the reminders not sent before; returns how many were created. Idempotent."""
    today = today or timezone.localdate()
    wanted = reminders_due(today)
    return reminders_deliver(wanted, once="ever")
