"""Daily reminders of rectification (issue 4 §6): overdue measures, stalled cases (no progress note in 30 days) and
missing year-end written reports (source part 1 §三(三)1, ``yearend_rules.yearend_report_reminder``).

* The branch secretaries and liaison leaders of the organization and the township staff of its township hear about
  each case with overdue measures, each stalled case and each case whose year-end report is missing (the township
  staff, who file it, are sent to the upload page; the others to the case).
* The district staff get one line a day about the district as a whole for overdue and stalled cases, and one for
  the missing year-end reports when there are any.

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

from core.notifications import Reminder, reminders_deliver
from grading.models import Campaign
from grading.rules.grades import Category
from organizations.models import Organization, RoleAssignment
from organizations.roles import Role
from rectification.models import Case, Measure, ProgressNote
from rectification.rules import ledger as ledger_rules
from rectification.rules import yearend as yearend_rules
from rectification.rules.cases import Phase
from rectification.rules.ledger import MeasureStatus
from rectification.services.yearend import statuses

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
        if ledger_rules.is_stalled(timezone.localdate(last[c.pk]) if c.pk in last else c.opened_on, today)
    ]
    return overdue, stalled, open_cases


def _missing_reports(today: date) -> list[tuple[Case, yearend_rules.YearEndReportReminder]]:
    """软弱涣散 cases (open, or accepted after the cut-off) whose year-end written report is owed and not filed."""
    weak = list(
        Case.objects.filter(category=Category.WEAK).select_related("organization").order_by("organization__path", "pk")
    )
    if not weak:
        return []
    owed = statuses(weak, today)
    deadlines = dict(Campaign.objects.values_list("year", "regrade_due"))
    found: list[tuple[Case, yearend_rules.YearEndReportReminder]] = []
    for case in weak:
        status = owed[case.pk]
        if not status.required or status.year is None or status.due is None:
            continue
        reminder = yearend_rules.yearend_report_reminder(
            year=status.year,
            cutoff=status.due,
            deadline=deadlines[status.year],
            filed=not status.missing,
            today=today,
        )
        if reminder is not None:
            found.append((case, reminder))
    return found


def _report_text(case: Case, r: yearend_rules.YearEndReportReminder, today: date) -> tuple[str, str]:
    name = case.organization.name
    title = f"【整顿不力书面报告】{name}{r.year}年底未报送"
    why = (
        f"{name}的整顿在{r.cutoff:%Y年%-m月%-d日}(年底申请复核截止日)仍未验收通过,"
        "须以党(工)委名义书面向区委报告(第一篇三(三)1)。"
    )
    if r.overdue:
        when = f"报送期限{r.deadline:%Y年%-m月%-d日}(区委组织部复核定级截止日)已过{-r.days_left}天,请尽快报送。"
    elif r.days_left == 0:
        when = f"今天({r.deadline:%Y年%-m月%-d日},区委组织部复核定级截止日)是报送期限,请今天报送。"
    else:
        when = f"请于{r.deadline:%Y年%-m月%-d日}(区委组织部复核定级截止日)前报送,还有{r.days_left}天。"
    return title, why + when


def _district_reminders(
    overdue: int, stalled: int, missing: list[tuple[Case, yearend_rules.YearEndReportReminder]]
) -> list[Reminder]:
    """The district staff's lines about the district as a whole: overdue and stalled cases, missing reports."""
    reminders: list[Reminder] = []
    district = list(
        get_user_model()
        .objects.filter(
            is_active=True, role_assignments__role=Role.DISTRICT_STAFF, role_assignments__revoked_at__isnull=True
        )
        .distinct()
    )
    board = reverse("rectification:district_board")
    if overdue or stalled:
        body = (
            f"全区有{overdue}个整顿案件存在逾期整改措施,{stalled}个超过{ledger_rules.STALLED_AFTER_DAYS}天未报告进展。"
        )
        reminders += [Reminder(user, "【整顿提醒】全区整改逾期与停滞情况", body, board) for user in district]
    if missing:
        shown = "、".join(f"{c.organization.name}({r.year}年底)" for c, r in missing[:10])
        more = f"等{len(missing)}个" if len(missing) > 10 else f"共{len(missing)}个"
        late = sum(1 for _, r in missing if r.overdue)
        body = (
            f"{shown}{more}软弱涣散支部的整顿在年底申请复核截止日仍未验收通过,乡镇(街道)党(工)委尚未报送整顿不力"
            f"书面报告(第一篇三(三)1)" + (f",其中{late}个已超过报送期限。" if late else "。")
        )
        title = "【整顿提醒】全区年底整顿不力书面报告未报送情况"
        reminders += [Reminder(user, title, body, board) for user in district]
    return reminders


def reminders_due(today: date) -> list[Reminder]:
    overdue, stalled, cases = _late_cases(today)
    missing = _missing_reports(today)
    if not overdue and not stalled and not missing:
        return []
    concerned = [cases[pk] for pk in overdue] + stalled + [c for c, _ in missing]
    org_people = _holders({c.organization_id for c in concerned}, ORG_ROLES)
    towns = {
        t.path: t for t in Organization.objects.filter(path__in={c.organization.township_path() for c in concerned})
    }
    town_staff = _holders({t.pk for t in towns.values()}, (Role.TOWNSHIP_STAFF,))

    def township_staff(case: Case) -> list[Any]:
        town = towns.get(case.organization.township_path())
        return town_staff.get(town.pk, []) if town else []

    def people(case: Case) -> list[Any]:
        found = {u.pk: u for u in org_people.get(case.organization_id, [])}
        for u in township_staff(case):
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
                    f"【整顿停滞】{case.organization.name}超过{ledger_rules.STALLED_AFTER_DAYS}天未报告整改进展",
                    f"{case.organization.name}的整顿已超过{ledger_rules.STALLED_AFTER_DAYS}天没有报告整改进展,请及时报告。",
                    url,
                )
            )
    for case, due in missing:
        title, body = _report_text(case, due, today)
        # The township committee files it ("以党委或工委名义"): its staff go straight to the upload page.
        upload = reverse("rectification:yearend_report", args=[case.pk])
        detail = reverse("rectification:case_detail", args=[case.pk])
        filers = {u.pk for u in township_staff(case)}
        for user in people(case):
            reminders.append(Reminder(user, title, body, upload if user.pk in filers else detail))
    return reminders + _district_reminders(len(overdue), len(stalled), missing)


def reminders_send(*, today: date | None = None) -> int:
    """Daily: notify and mail. Idempotent per day (recipient + title + the real local day of creation)."""
    today = today or timezone.localdate()
    wanted = reminders_due(today)
    return reminders_deliver(wanted, once="per_day")
