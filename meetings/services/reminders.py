"""Daily reminders of organizational life: before a period closes (within ``REMIND_DAYS`` of its last day), the
secretaries of each organization still short of a required kind hear which one and by when; each township's staff
get one line listing how many of their organizations are short. A reminder's title names the period, so each is
sent once (``once="ever"``) however many days it stays due. Four queries for the whole district."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone

from core.notifications import Reminder, reminders_deliver
from meetings.rules import frequency as rules
from meetings.selectors.compliance import facts_of, graded_with_counts
from organizations.models import Organization, RoleAssignment
from organizations.roles import Role

REMIND_DAYS = 7  # [L] a week before a period's last day: time to call a meeting


def _holders(org_ids: set[int], role: Role) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = defaultdict(list)
    for grant in RoleAssignment.objects.filter(
        role=role, organization_id__in=org_ids, revoked_at__isnull=True, user__is_active=True
    ).select_related("user"):
        found[grant.organization_id].append(grant.user)
    return found


def reminders_due(today: date) -> list[Reminder]:
    year = today.year
    orgs, counts, reqs = graded_with_counts(None, year)
    short: dict[int, list[tuple[str, rules.Period]]] = {}
    for org in orgs:
        facts = facts_of(None, org)
        for kind, req in reqs.items():
            if not rules.applies(kind, facts):
                continue
            period = rules.period_of(req.rhythm, today.month)
            held = sum(
                counts.get(org.pk, {}).get(kind, {}).get(m, 0) for m in range(period.first_month, today.month + 1)
            )
            closing = rules.closing_soon(req, held, year=year, today=today, days=REMIND_DAYS)
            if closing is not None:
                short.setdefault(org.pk, []).append((rules.type_info(kind).label, closing))
    by_pk = {o.pk: o for o in orgs}
    wanted = []
    secretaries = _holders(set(short), Role.BRANCH_SECRETARY)
    for pk, items in short.items():
        org = by_pk[pk]
        url = reverse("meetings:org_meetings", args=[pk])
        for label, period in items:
            title = f"{org.name}:{year}年{period.label}的{label}尚未召开"
            body = f"请在{period.last_day(year):%Y年%m月%d日}前召开{label}并在系统中登记(含考勤)。"
            wanted += [Reminder(user, title, body, url) for user in secretaries.get(pk, [])]
    townships = {o.path[: 2 * Organization.steplen] for pk in short for o in [by_pk[pk]]}
    tops = {t.path: t for t in Organization.objects.filter(path__in=townships, depth=2)}
    staff = _holders({t.pk for t in tops.values()}, Role.TOWNSHIP_STAFF)
    for path, township in tops.items():
        n = sum(1 for pk in short if by_pk[pk].path.startswith(path))
        title = f"{township.name}:{year}年{today.month}月组织生活到期提醒"
        body = f"有{n}个党组织本期的组织生活尚未按要求开展,期末将至,请督促。"
        url = reverse("meetings:township_board", args=[township.pk])
        wanted += [Reminder(user, title, body, url) for user in staff.get(township.pk, [])]
    return wanted


def reminders_send(*, today: date | None = None) -> int:
    """Daily: notify (and mail). Each reminder once: its title names the period."""
    return reminders_deliver(reminders_due(today or timezone.localdate()), once="ever")
