"""Daily reminders of rectification (issue 4 §6): overdue measures and stalled cases (no progress note in 30 days).

* The branch secretaries and liaison leaders of the organization and the township staff of its township hear about
  each case with overdue measures and each stalled case.
* The district staff get one line a day about the district as a whole.

One notification per recipient, per day, per thing (the title names the organization and what is late, never a
count that could change during the day): a second run the same day creates nothing. A new notification is also
mailed to a recipient who has an email address.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from organizations.models import Organization, RoleAssignment
from organizations.roles import Role
from partybuild.notifications import Reminder, reminders_deliver
from rectification import rules
from rectification.models import Case, Measure, ProgressNote
from rectification.rules import MeasureStatus, Phase

ORG_ROLES = (Role.BRANCH_SECRETARY, Role.LIAISON_LEADER)


def _holders(org_ids: set[int], roles: tuple[Role, ...]) -> dict[int, list[Any]]:
    result: dict[int, list[Any]] = defaultdict(list)
    for grant in RoleAssignment.objects.filter(
        role__in=roles, organization_id__in=org_ids, revoked_at__isnull=True, user__is_active=True
    ).select_related("user"):
        result[grant.organization_id].append(grant.user)
    return result


def _late_cases(today: date) -> tuple[dict[int, list[Measure]], list[Case], dict[int, Case]]:
    """Open cases with overdue measures (their measures) and stalled cases, whatever the viewer (the system)."""
    open_cases = {c.pk: c for c in Case.objects.exclude(phase=Phase.ACCEPTED).select_related("organization")}
    overdue: dict[int, list[Measure]] = defaultdict(list)
    for m in (
        Measure.objects.filter(problem__case_id__in=list(open_cases), deadline__lt=today)
        .exclude(status=MeasureStatus.DONE)
        .order_by("deadline", "pk")
    ):
        overdue[m.problem.case_id].append(m)
    last: dict[int, datetime] = {}
    for case_id, at in ProgressNote.objects.filter(case_id__in=list(open_cases)).values_list("case_id", "at"):
        if case_id not in last or at > last[case_id]:
            last[case_id] = at
    stalled = [
        c
        for c in open_cases.values()
        if rules.is_stalled(timezone.localdate(last[c.pk]) if c.pk in last else c.opened_on, today)
    ]
    return overdue, stalled, open_cases


def reminders_due(today: date) -> list[Reminder]:
    overdue, stalled, cases = _late_cases(today)
    if not overdue and not stalled:
        return []
    late_orgs = {cases[pk].organization_id for pk in overdue} | {c.organization_id for c in stalled}
    org_people = _holders(late_orgs, ORG_ROLES)
    township_paths = {cases[pk].organization.township_path() for pk in overdue} | {
        c.organization.township_path() for c in stalled
    }
    towns = {t.path: t for t in Organization.objects.filter(path__in=township_paths)}
    town_staff = _holders({t.pk for t in towns.values()}, (Role.TOWNSHIP_STAFF,))

    def people(case: Case) -> list[Any]:
        town = towns.get(case.organization.township_path())
        found = {u.pk: u for u in org_people.get(case.organization_id, [])}
        for u in town_staff.get(town.pk, []) if town else []:
            found[u.pk] = u
        return list(found.values())

    reminders: list[Reminder] = []
    for case_id, measures in overdue.items():
        case = cases[case_id]
        url = reverse("rectification:case_detail", args=[case.pk])
        names = ";".join(f"{m.text[:30]}(责任人{m.responsible},{m.deadline:%Y年%m月%d日}到期)" for m in measures[:5])
        for user in people(case):
            reminders.append(
                Reminder(
                    user,
                    f"【整改措施逾期】{case.organization.name}",
                    f"{case.organization.name}有{len(measures)}项整改措施已超过整改时限仍未完成:{names}。请督促落实并报告进展。",
                    url,
                )
            )
    for case in stalled:
        url = reverse("rectification:report", args=[case.pk])
        for user in people(case):
            reminders.append(
                Reminder(
                    user,
                    f"【整顿停滞】{case.organization.name}超过{rules.STALLED_AFTER_DAYS}天未报告整改进展",
                    f"{case.organization.name}的整顿已超过{rules.STALLED_AFTER_DAYS}天没有报告整改进展,请及时报告。",
                    url,
                )
            )
    district = (
        get_user_model()
        .objects.filter(
            is_active=True, role_assignments__role=Role.DISTRICT_STAFF, role_assignments__revoked_at__isnull=True
        )
        .distinct()
    )
    body = (
        f"全区有{len(overdue)}个整顿案件存在逾期整改措施,{len(stalled)}个超过{rules.STALLED_AFTER_DAYS}天未报告进展。"
    )
    board = reverse("rectification:district_board")
    reminders += [Reminder(user, "【整顿提醒】全区整改逾期与停滞情况", body, board) for user in district]
    return reminders


def reminders_send(*, today: date | None = None) -> int:
    """Daily: notify and mail. Idempotent per day (recipient + title + the real local day of creation)."""
    today = today or timezone.localdate()
    wanted = reminders_due(today)
    return reminders_deliver(wanted, once="per_day")
