"""Reads for the township's board: every organization of the township in a campaign, its status and deadlines.

Every read takes the user: a township outside the user's scope, or an assessment under one, is 404 (the same as
missing); in scope but not allowed is 403. Rows are read as they stand today (``Assessment.as_of``) so that a
notice that has ended shows as ended even if no worker ran, and a page load writes nothing. Query counts do not
grow with the number of rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from grading import access
from grading.models import (
    Assessment,
    AssessmentStatus,
    Campaign,
    CampaignStatus,
    Notice,
)
from organizations.models import Organization

S = AssessmentStatus

# Statuses that count as "the branch has submitted" and "the township has scored" for the progress bars.
SUBMITTED_OR_LATER = frozenset(set(S.values) - {S.DRAFT, S.RETURNED})
SCORED_OR_LATER = frozenset(SUBMITTED_OR_LATER - {S.SUBMITTED})


# --- Campaigns -------------------------------------------------------------------------------------------------


def current_campaign(user: Any) -> Campaign | None:
    """The township's way in: the open campaign, else the latest closed one (a draft is the district's business)."""
    opened = Campaign.objects.filter(status=CampaignStatus.OPEN).order_by("-year").first()
    return opened or Campaign.objects.filter(status=CampaignStatus.CLOSED).order_by("-year").first()


# --- The board --------------------------------------------------------------------------------------------


# The board's filter (``?status=``): an assessment status, or one of these two views across statuses. Anything else
# (unknown, empty, "todo" for a reader who may not score) shows the whole list.
TODO = "todo"  # rows waiting for the township itself: to score, to publish, to report to the district
OVERDUE = "overdue"  # rows past their deadline: the branch's self-assessment or the township's review
TOWNSHIP_ACTION = frozenset({S.SUBMITTED, S.SCORED, S.NOTICE_CLOSED})
# A published batch whose notice starts tomorrow or later: counted and filtered apart from 公示中 (open today).
AWAITING_NOTICE = "awaiting_notice"
AWAITING_NOTICE_LABEL = "待公示"


def _board_status(a: Assessment, today: date) -> str:
    """The status the board counts and filters by: 公示中 only while the notice is open today."""
    if a.status == S.IN_NOTICE and a.notice is not None and a.notice.starts_on > today:
        return AWAITING_NOTICE
    return str(a.status)


@dataclass(frozen=True)
class BoardRow:
    assessment: Assessment
    self_overdue: bool
    review_overdue: bool
    publishable: bool
    needs_action: bool = False  # waiting for the township (only ever true for a user who may score)
    status_label: str = ""

    @property
    def overdue(self) -> bool:
        return self.self_overdue or self.review_overdue


def _status_label(a: Assessment, today: date) -> str:
    """The status as the township reads it on ``today``: a batch published today is 待公示 until its notice starts the
    next day (D1: the notice runs from the day after publication), then 公示中. ``a.notice`` must be loaded."""
    if a.status == S.IN_NOTICE and a.notice is not None and a.notice.starts_on > today:
        return f"待公示({a.notice.starts_on:%m-%d}起)"
    return str(a.get_status_display())


@dataclass(frozen=True)
class StatusCount:
    value: str
    label: str
    count: int


@dataclass
class Board:
    township: Organization
    campaign: Campaign
    today: date
    rows: list[BoardRow]
    counts: list[StatusCount]
    total: int
    submitted: int
    scored: int
    notices: list[Notice] = field(default_factory=list)
    status: str = ""  # the filter applied: "" (everything), an assessment status, TODO or OVERDUE
    todo: int | None = None  # rows waiting for the township; None for a user who may not score
    self_overdue_count: int = 0
    review_overdue_count: int = 0

    @property
    def publishable_count(self) -> int:
        return sum(1 for r in self.rows if r.publishable)

    @property
    def overdue(self) -> int:
        return self.self_overdue_count + self.review_overdue_count

    @property
    def filters(self) -> list[StatusCount]:
        """The filter tabs after 全部: 待处理 (scorers only) and 逾期 when there are any, then each status present."""
        views = []
        if self.todo is not None:
            views.append(StatusCount(TODO, "待处理", self.todo))
        if self.overdue:
            views.append(StatusCount(OVERDUE, "逾期", self.overdue))
        return views + self.counts


def _assessments_of(campaign: Campaign, township: Organization) -> QuerySet[Assessment]:
    return Assessment.objects.filter(campaign=campaign, organization__path__startswith=township.path).select_related(
        "organization"
    )


def _board_filter(status: Any, scorer: bool) -> str:
    """The filter as asked when it is one the user may apply, else "" (the whole list): never an error."""
    if not isinstance(status, str):
        return ""
    if status in S.values or status in (OVERDUE, AWAITING_NOTICE) or (status == TODO and scorer):
        return status
    return ""


_STATUS_TABS = [
    *((s.value, s.label) for s in S if s != S.IN_NOTICE),
]
_STATUS_TABS.insert([v for v, _ in _STATUS_TABS].index(S.NOTICE_CLOSED.value), (AWAITING_NOTICE, AWAITING_NOTICE_LABEL))
_STATUS_TABS.insert([v for v, _ in _STATUS_TABS].index(S.NOTICE_CLOSED.value), (S.IN_NOTICE.value, S.IN_NOTICE.label))


def _shown(row: BoardRow, status: str, today: date) -> bool:
    if status == TODO:
        return row.needs_action
    if status == OVERDUE:
        return row.overdue
    return not status or _board_status(row.assessment, today) == status


def board(user: Any, campaign: Campaign, township: Organization, *, status: Any = "") -> Board:
    """Every assessment of the township with its deadlines (逾期 derived from today's date), counts per status.

    ``status`` is the filter as the request gave it: an assessment status, ``TODO`` (waiting for the township; only
    for a user who may score) or ``OVERDUE``; anything else shows the whole list (``Board.status`` says which applied).
    One query for the rows (with their notices): a township has tens of organizations, so the counts, the filter and
    the list of notices are worked out from those rows rather than with more queries.
    """
    today = timezone.localdate()
    everything = [
        a.as_of(today)
        for a in _assessments_of(campaign, township).select_related("notice").order_by("organization__path")
    ]
    counted = Counter(_board_status(a, today) for a in everything)
    scorer = access.may_score(user, township)
    status = _board_filter(status, scorer)
    every_row = [
        BoardRow(
            a,
            self_overdue=a.status in (S.DRAFT, S.RETURNED) and today > campaign.self_assessment_due,
            review_overdue=a.status in (S.SUBMITTED, S.SCORED) and today > campaign.township_review_due,
            publishable=scorer and a.status == S.SCORED,
            needs_action=scorer and a.status in TOWNSHIP_ACTION,
            status_label=_status_label(a, today),
        )
        for a in everything
    ]
    notices = {a.notice.pk: a.notice for a in everything if a.notice is not None}
    return Board(
        township=township,
        campaign=campaign,
        today=today,
        rows=[r for r in every_row if _shown(r, status, today)],
        counts=[StatusCount(value, label, counted[value]) for value, label in _STATUS_TABS if counted.get(value)],
        total=len(everything),
        submitted=sum(1 for a in everything if a.status in SUBMITTED_OR_LATER),
        scored=sum(1 for a in everything if a.status in SCORED_OR_LATER),
        notices=sorted(notices.values(), key=lambda n: (n.published_on, n.pk), reverse=True),
        status=status,
        todo=sum(1 for r in every_row if r.needs_action) if scorer else None,
        self_overdue_count=sum(1 for r in every_row if r.self_overdue),
        review_overdue_count=sum(1 for r in every_row if r.review_overdue),
    )


def publish_candidates(user: Any, campaign: Campaign, township: Organization, ids: list[int]) -> list[Assessment]:
    """The selected assessments of this township and campaign that are scored (others are silently dropped: the
    service checks again and the confirm page lists exactly what will be published)."""
    return list(
        _assessments_of(campaign, township)
        .filter(pk__in=ids, status=S.SCORED)
        .select_related("campaign")
        .order_by("organization__path")
    )


# --- One assessment's township ---------------------------------------------------------------------------------


def township_of(user: Any, assessment: Assessment) -> Organization:
    """The township of an assessment the user has through ``grading.access``."""
    return Organization.objects.get(path=assessment.organization.township_path())
