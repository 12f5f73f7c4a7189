"""The daily reminders of the open campaign's deadlines (issue 3 item 8).

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
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from core.notifications import Reminder, reminders_deliver
from grading.models import Assessment, AssessmentStatus, Campaign, CampaignStatus
from grading.selectors.overdue import NOT_SUBMITTED, WITH_DISTRICT, WITH_TOWNSHIP
from organizations.models import Organization, RoleAssignment
from organizations.roles import Role

S = AssessmentStatus

REMIND_DAYS_BEFORE = 3  # reminders start this many days before a deadline


# --- Who is late: the overdue page ----------------------------------------------------------------------------


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
