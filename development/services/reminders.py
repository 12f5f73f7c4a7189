"""Daily reminders before a probation ends (F6): within 30 days of the last day of a probationary member's probation
(and after it, while no 转正 is recorded), the secretaries of the member's organization and the staff of its township
hear whose probation ends when. The title names the member and the day, so each reminder is sent once
(``once="ever"``) however many days it stays due; a day the worker missed is caught up the next. Three queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from core.notifications import Reminder, reminders_deliver
from development.rules import pipeline as rules
from organizations.models import Member, MemberStatus, Organization, RoleAssignment
from organizations.roles import Role


def _holders(org_ids: set[int]) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = defaultdict(list)
    grants = RoleAssignment.objects.filter(
        role__in=(Role.BRANCH_SECRETARY, Role.TOWNSHIP_STAFF),
        organization_id__in=org_ids,
        revoked_at__isnull=True,
        user__is_active=True,
    ).select_related("user")
    for grant in grants:
        found[grant.organization_id].append(grant.user)
    return found


def reminders_due(today: date) -> list[Reminder]:
    soon = rules.latest_admission_ending_by(today + timedelta(days=rules.REMIND_DAYS))
    members = list(
        Member.objects.filter(status=MemberStatus.PROBATIONARY, left_on__isnull=True, joined_on__lte=soon)
        .select_related("organization")
        .order_by("joined_on", "pk")
    )
    townships = {m.organization.path[: 2 * Organization.steplen] for m in members}
    township_ids = dict(Organization.objects.filter(path__in=townships, depth=2).values_list("path", "pk"))
    holders = _holders({m.organization_id for m in members} | set(township_ids.values()))
    wanted = []
    for m in members:
        ends = rules.probation_ends_on(m.joined_on)
        org = m.organization
        title = f"{org.name}:预备党员{m.name}的预备期于{ends:%Y年%m月%d日}期满"
        body = (
            f"{m.name}于{m.joined_on:%Y年%m月%d日}被接收为预备党员,预备期一年。"
            "请及时召开支部大会讨论其能否按期转为正式党员,并在系统中登记转正。"
        )
        url = reverse("development:org", args=[org.pk])
        township = township_ids.get(org.path[: 2 * Organization.steplen])
        users = {u.pk: u for pk in (org.pk, township) for u in holders.get(pk, [])}
        wanted += [Reminder(u, title, body, url) for u in users.values()]
    return wanted


def reminders_send(*, today: date | None = None) -> int:
    """Daily: notify (and mail). Each reminder once: its title names the member and the day."""
    return reminders_deliver(reminders_due(today or timezone.localdate()), once="ever")
