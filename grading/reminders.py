"""Deadlines of the open campaign (issue 3 item 8): who is late, and the daily reminders.

* Branch secretaries whose organization has not submitted 附件1–3: from ``self_assessment_due`` − 3 days, and
  every day after it (逾期); the township staff get one line per township about their overdue organizations.
* Township staff whose organizations wait for scoring, the notice or the report to the district: from
  ``township_review_due`` − 3 days on.
* District staff with approvals pending: from ``district_review_due`` − 3 days on.

One notification per recipient, per day, per thing (its title names the thing): a second run the same day
creates nothing, without any extra table (Notification's recipient + title + created date). A new notification
is also mailed to a recipient who has an email address.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from grading.models import Assessment, AssessmentStatus, Campaign, CampaignStatus
from organizations.models import Organization, RoleAssignment
from organizations.roles import Role
from organizations.scope import path_q, scope_paths
from partybuild.notifications import Reminder, reminders_deliver

S = AssessmentStatus

REMIND_DAYS_BEFORE = 3  # reminders start this many days before a deadline
NOT_SUBMITTED = (S.DRAFT, S.RETURNED)
WITH_TOWNSHIP = (S.SUBMITTED, S.SCORED, S.NOTICE_CLOSED)  # waiting for the township to score, publish or report
WITH_DISTRICT = (S.WITH_DISTRICT, S.OBJECTED)


# --- Who is late: the overdue page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LateRow:
    assessment: Assessment
    township: str
    stage: str
    due: date
    days_overdue: int  # 0 or less: not yet overdue

    @property
    def is_overdue(self) -> bool:
        return self.days_overdue > 0


@dataclass(frozen=True)
class OverdueReport:
    campaign: Campaign
    today: date
    not_submitted: list[LateRow]
    with_township: list[LateRow]
    with_district: list[LateRow]

    @property
    def overdue_count(self) -> int:
        return sum(r.is_overdue for r in [*self.not_submitted, *self.with_township, *self.with_district])


def _township_names() -> dict[str, str]:
    return dict(Organization.objects.filter(depth=2).values_list("path", "name"))


def _rows(qs: Any, stage: str, due: date, today: date, townships: dict[str, str]) -> list[LateRow]:
    steplen = Organization.steplen
    rows = [
        LateRow(a, townships.get(a.organization.path[: 2 * steplen], ""), stage, due, (today - due).days) for a in qs
    ]
    return sorted(rows, key=lambda r: (r.township, r.assessment.organization.path))


def overdue_report(user: Any, campaign_pk: Any, *, today: date | None = None) -> OverdueReport:
    """The campaign's organizations still waiting at a stage, inside the user's scope (township staff: their
    township; district staff: all). A user without any scope gets 404, like a missing campaign."""
    paths = scope_paths(user)
    campaign = Campaign.objects.filter(pk=campaign_pk).first() if str(campaign_pk).isdigit() else None
    if campaign is None or not paths:
        raise Http404("对象不存在或不在您的管辖范围内")
    today = today or timezone.localdate()
    base = (
        Assessment.objects.filter(campaign=campaign)
        .filter(path_q(paths, "organization__path"))
        .select_related("organization")
    )
    names = _township_names()
    return OverdueReport(
        campaign,
        today,
        _rows(base.filter(status__in=NOT_SUBMITTED), "自查自评未提交", campaign.self_assessment_due, today, names),
        _rows(base.filter(status__in=WITH_TOWNSHIP), "乡镇初审未完成", campaign.township_review_due, today, names),
        _rows(base.filter(status__in=WITH_DISTRICT), "区委组织部待审定", campaign.district_review_due, today, names),
    )


# --- Reminders --------------------------------------------------------------------------------------------------


def _holders(role: Role, org_ids: Iterable[int]) -> dict[int, list[Any]]:
    """Active holders of ``role`` at each organization (one query)."""
    result: dict[int, list[Any]] = defaultdict(list)
    grants = RoleAssignment.objects.filter(
        role=role, organization_id__in=list(org_ids), revoked_at__isnull=True, user__is_active=True
    ).select_related("user")
    for grant in grants:
        result[grant.organization_id].append(grant.user)
    return result


def _when(due: date, today: date) -> tuple[str, str]:
    """(title word, sentence) for a deadline seen from today."""
    late = (today - due).days
    if late > 0:
        return "已逾期", f"截止日期为{due:%Y年%m月%d日},已逾期{late}天"
    left = -late
    return "即将截止", f"截止日期为{due:%Y年%m月%d日}" + ("(今天)" if left == 0 else f",还剩{left}天")


def _in_window(due: date, today: date) -> bool:
    return today >= due - timedelta(days=REMIND_DAYS_BEFORE)


def _self_assessment(campaign: Campaign, today: date, overdue_url: str) -> list[Reminder]:
    due = campaign.self_assessment_due
    if not _in_window(due, today):
        return []
    late = list(
        Assessment.objects.filter(campaign=campaign, status__in=NOT_SUBMITTED)
        .select_related("organization")
        .order_by("organization__path")
    )
    word, sentence = _when(due, today)
    reminders = []
    secretaries = _holders(Role.BRANCH_SECRETARY, [a.organization_id for a in late])
    for a in late:
        for user in secretaries.get(a.organization_id, []):
            reminders.append(
                Reminder(
                    user,
                    f"【{word}】{a.organization.name}{campaign.year}年度自查自评",
                    f"{a.organization.name}的自查自评(附件1–3)尚未提交,{sentence}。请尽快填写并提交。",
                    reverse("home"),
                )
            )
    if today > due:  # the township hears about its overdue organizations
        by_township: dict[str, list[Assessment]] = defaultdict(list)
        for a in late:
            by_township[a.organization.township_path()].append(a)
        towns = {t.path: t for t in Organization.objects.filter(path__in=list(by_township))}
        staff = _holders(Role.TOWNSHIP_STAFF, [t.pk for t in towns.values()])
        for path, items in by_township.items():
            town = towns.get(path)
            if town is None:
                continue
            names = "、".join(a.organization.name for a in items[:10]) + ("等" if len(items) > 10 else "")
            for user in staff.get(town.pk, []):
                reminders.append(
                    Reminder(
                        user,
                        f"【已逾期】{town.name}有党组织未提交{campaign.year}年度自查自评",
                        f"{len(items)}个党组织尚未提交自查自评:{names}。{sentence}。",
                        overdue_url,
                    )
                )
    return reminders


def _township_review(campaign: Campaign, today: date, overdue_url: str) -> list[Reminder]:
    due = campaign.township_review_due
    if not _in_window(due, today):
        return []
    waiting = Assessment.objects.filter(campaign=campaign, status__in=WITH_TOWNSHIP).values_list(
        "organization__path", flat=True
    )
    counts: dict[str, int] = defaultdict(int)
    for path in waiting:
        counts[path[: 2 * Organization.steplen]] += 1
    towns = list(Organization.objects.filter(path__in=list(counts)))
    staff = _holders(Role.TOWNSHIP_STAFF, [t.pk for t in towns])
    word, sentence = _when(due, today)
    return [
        Reminder(
            user,
            f"【{word}】{town.name}{campaign.year}年度乡镇初审",
            f"{counts[town.path]}个党组织的评分、公示或报送尚未完成,{sentence}。",
            overdue_url,
        )
        for town in towns
        for user in staff.get(town.pk, [])
    ]


def _district_review(campaign: Campaign, today: date, overdue_url: str) -> list[Reminder]:
    due = campaign.district_review_due
    if not _in_window(due, today):
        return []
    pending = Assessment.objects.filter(campaign=campaign, status__in=WITH_DISTRICT).count()
    if not pending:
        return []
    word, sentence = _when(due, today)
    district_staff = (
        get_user_model()
        .objects.filter(
            is_active=True, role_assignments__role=Role.DISTRICT_STAFF, role_assignments__revoked_at__isnull=True
        )
        .distinct()
    )
    return [
        Reminder(
            user,
            f"【{word}】{campaign.year}年度区委组织部审定",
            f"{pending}个党组织待审定或异议待复核,{sentence}。",
            overdue_url,
        )
        for user in district_staff
    ]


def reminders_due(campaign: Campaign, today: date) -> list[Reminder]:
    url = reverse("grading:overdue", args=[campaign.pk])
    return [
        *_self_assessment(campaign, today, url),
        *_township_review(campaign, today, url),
        *_district_review(campaign, today, url),
    ]


def reminders_send(*, today: date | None = None) -> int:
    """Daily: notify (and mail) everyone with something due for every open campaign. Idempotent per day: a
    reminder whose recipient already has a notification with the same title created today is skipped.
    Returns the number of notifications created."""
    today = today or timezone.localdate()
    wanted: list[Reminder] = []
    for campaign in Campaign.objects.filter(status=CampaignStatus.OPEN):
        wanted += reminders_due(campaign, today)
    return reminders_deliver(wanted, once="per_day")
