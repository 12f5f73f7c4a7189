"""Demo data of annual classification (分类定级) on top of the demo district (``organizations.demo``).

Two campaigns, created and opened through ``grading.services`` as the ``district`` account: 2025, finished, with a
final grade for every graded organization (the grade history shows two years); 2026, copied from 2025, in which
T01–T10 are finished (notices in April, approved in April, final after the objection window) and T11–T12 are
at every stage of the live workflow, with one notice open today on the public page.

The hundreds of rows are written in bulk, but they are the rows the services would have written: statuses and
versions counted move by move, scores that are the sums of their item scores, preliminary grades that are the
band of the score (C1) or 较差 after a veto (C4) unless a reason is recorded, at most 20% 好 per township (C5),
grade records, C6 flags, notices with their D1 windows and objection windows in working days (D2). The audit
trail gets one event per township and step instead of one per organization.

Every random choice comes from one seeded ``random.Random`` and every date of a finished year is fixed; only the
live townships' dates are counted back from today, so that their notice is open whenever the demo is loaded.
"""

import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from core.models import Event
from grading.demo.builder import _Builder
from grading.demo.plan import CURRENT_YEAR, LIVE_TOWNSHIPS, PREVIOUS_YEAR, SEED, S, _at
from grading.models import (
    Assessment,
    Campaign,
    CampaignStatus,
    Notice,
)
from grading.services import campaigns as services
from grading.services.assessments import assessments_ensure
from organizations.demo.district import demo_root
from organizations.models import Organization


@dataclass
class GradingDemoSummary:
    created: bool
    message: str = ""
    seconds: float = 0.0
    final_grades: dict[int, Counter[str]] = field(default_factory=dict)
    statuses: Counter[str] = field(default_factory=Counter)
    open_notice: Notice | None = None
    rectification_applied: int | None = None


def already_built(root: Organization) -> bool:
    return (
        Assessment.objects.filter(campaign__year=CURRENT_YEAR, organization__path__startswith=root.path)
        .exclude(status=S.DRAFT)
        .exists()
    )


def build_grading_demo(*, seed: int = SEED, today: date | None = None) -> GradingDemoSummary:
    """Build both campaigns once; change nothing when the current year already has work in the demo tree."""
    started = time.perf_counter()
    root = demo_root()
    if root is None:
        return GradingDemoSummary(False, "尚未载入演示组织树,请先运行 manage.py load_demo")
    if already_built(root):
        return summarize(root, created=False)
    district = get_user_model().objects.filter(username="district").first()
    if district is None:
        return GradingDemoSummary(False, "缺少演示账号 district,请用 manage.py load_demo --reset 重建演示数据")
    _ensure_holidays()
    today = today or timezone.localdate()
    with transaction.atomic():
        builder = _Builder(random.Random(seed), root, district, today)
        previous = _campaign(district, PREVIOUS_YEAR, copy_from=None)
        builder.fill(previous, live=())
        Campaign.objects.filter(pk=previous.pk).update(status=CampaignStatus.CLOSED)  # no service closes a year yet
        current = _campaign(district, CURRENT_YEAR, copy_from=previous)
        builder.fill(current, live=LIVE_TOWNSHIPS)
        _review_evidence(district, current, root, today)
    applied = _rectification_catch_up()
    summary = summarize(root, created=True)
    summary.seconds = time.perf_counter() - started
    summary.rectification_applied = applied
    return summary


# 第一篇 三(一)3(1): how the district checked the first township's submission (one review with evidence).
REVIEW_CHECKS = (
    ("site_visit", 14, "到各村实地查看活动阵地、党建台账和为民服务记录,与乡镇初评意见基本一致"),
    ("forum", 15, "召开村干部和党员群众代表座谈会,群众反映的突出问题已记录,与初评意见核对"),
    ("discipline", 16, "听取区纪委监委意见:未发现班子成员违纪违法问题线索"),
)


def _review_evidence(district: Any, campaign: Campaign, root: Organization, today: date) -> None:
    from grading.services.review_evidence import review_evidence_add

    township = Organization.objects.filter(path__startswith=root.path, depth=2).order_by("path").first()
    if township is None:
        return
    for method, day, notes in REVIEW_CHECKS:
        held_on = min(date(campaign.year, 4, day), today)
        review_evidence_add(
            actor=district, campaign=campaign, township=township, method=method, held_on=held_on, notes=notes
        )


def summarize(root: Organization, *, created: bool) -> GradingDemoSummary:
    mine = Assessment.objects.filter(organization__path__startswith=root.path)
    finals: dict[int, Counter[str]] = defaultdict(Counter)
    for year, grade, n in (
        mine.exclude(final_grade="").values_list("campaign__year", "final_grade").annotate(n=Count("pk"))
    ):
        finals[year][grade] = n
    statuses = Counter(dict(mine.filter(campaign__year=CURRENT_YEAR).values_list("status").annotate(n=Count("pk"))))
    today = timezone.localdate()
    open_notice = Notice.objects.filter(
        campaign__year=CURRENT_YEAR, township__path__startswith=root.path, starts_on__lte=today, ends_on__gte=today
    ).first()
    return GradingDemoSummary(created, final_grades=dict(finals), statuses=statuses, open_notice=open_notice)


def _ensure_holidays() -> None:
    """Objection windows count working days (D2): the years used must be in the holiday table (seeded as
    ``make run`` does; a year entered by hand is left alone)."""
    from core.calendar_services import calendar_year_import
    from core.management.commands.seed_holidays import differing_days
    from core.models import CalendarYear

    for year in (PREVIOUS_YEAR, CURRENT_YEAR):
        if not CalendarYear.objects.filter(year=year).exists():
            calendar_year_import(year=year, days=differing_days(year))


def _campaign(actor: Any, year: int, *, copy_from: Campaign | None) -> Campaign:
    campaign = Campaign.objects.filter(year=year).first()
    if campaign is None:
        campaign = services.campaign_create(actor=actor, year=year, copy_from=copy_from)
        # The year was prepared in January, not today: the campaign's own date and its events say so.
        Campaign.objects.filter(pk=campaign.pk).update(created_at=_at(date(year, 1, 8), 10))
        Event.objects.filter(
            verb="grading.campaign_create", target_type="grading.campaign", target_id=str(campaign.pk)
        ).update(at=_at(date(year, 1, 8), 10))
    if campaign.status == CampaignStatus.DRAFT:
        campaign = services.campaign_open(actor=actor, campaign=campaign)
        Event.objects.filter(
            verb="grading.campaign_open", target_type="grading.campaign", target_id=str(campaign.pk)
        ).update(at=_at(date(year, 1, 15), 9))
        return campaign
    assessments_ensure(campaign)  # the year outlived a reset of the tree: give the new organizations theirs
    return campaign


def _rectification_catch_up() -> int | None:
    """Rectification applies final grades it has not seen (categories, a case per 较差); it is optional here."""
    try:
        from rectification.services.subscriber import grades_catch_up
    except ImportError:
        try:
            from rectification.services.subscriber import grades_catch_up
        except ImportError:
            return None
    # One transaction for all of them: a commit per organization (the handler's own) costs more than the work.
    with transaction.atomic():
        return grades_catch_up()
