"""Reads of the township's public notices (公示): the notice page with the objections recorded during it, the
batch that may go to the district, and the public (no login) pages.

A notice outside the user's scope is 404 (the same as missing). Whether a notice is open is derived from its dates
and today's date, and so is each assessment's status (``Assessment.as_of``): a page load writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from grading import access
from grading.models import (
    Assessment,
    AssessmentStatus,
    Notice,
    Objection,
    ObjectionStage,
    status_now_q,
)
from grading.rules import grades as rules

S = AssessmentStatus
OBJECTION_OPEN = frozenset({S.IN_NOTICE, S.NOTICE_CLOSED})


def _state(notice: Notice, today: date) -> str:
    if notice.is_closed_on(today):
        return "已结束"
    if notice.is_open_on(today):
        return "公示中"
    return "未开始"


@dataclass(frozen=True)
class NoticeRow:
    assessment: Assessment
    objections: list[Objection]

    @property
    def pending(self) -> int:
        return sum(1 for o in self.objections if o.is_pending)


def _rows(notice: Notice, today: date) -> list[NoticeRow]:
    """The organizations of the batch as they stand on ``today``, with the objections recorded during the notice
    (2 queries)."""
    qs = (
        Assessment.objects.filter(notice=notice)
        .select_related("organization", "notice")
        .prefetch_related(
            Prefetch(
                "objections",
                queryset=Objection.objects.filter(stage=ObjectionStage.NOTICE).order_by("raised_on", "pk"),
                to_attr="notice_objections",
            )
        )
        .order_by("organization__path")
    )
    return [NoticeRow(a.as_of(today), a.notice_objections) for a in qs]


@dataclass
class NoticePage:
    notice: Notice
    today: date
    rows: list[NoticeRow]
    state: str
    may_score: bool  # the township: records and answers objections, reports the batch
    recording: bool  # objections may be recorded now (the notice has started and some of the batch is still open)

    @property
    def is_open(self) -> bool:
        return self.state == "公示中"

    @property
    def closed_count(self) -> int:
        return sum(1 for r in self.rows if r.assessment.status == S.NOTICE_CLOSED)

    @property
    def pending(self) -> int:
        return sum(r.pending for r in self.rows)

    @property
    def objection_count(self) -> int:
        return sum(len(r.objections) for r in self.rows)


def notice_page(user: Any, notice: Notice, *, today: date | None = None) -> NoticePage:
    """The notice page of a notice the user has through ``grading.access``: the batch with its objections, the
    notice's state on ``today`` and what the user may do there."""
    today = today or timezone.localdate()
    rows = _rows(notice, today)
    may_score = access.may_score(user, notice.township)
    recording = may_score and notice.starts_on <= today and any(r.assessment.status in OBJECTION_OPEN for r in rows)
    return NoticePage(notice, today, rows, _state(notice, today), may_score, recording)


def objection_batch(user: Any, notice: Notice) -> QuerySet[Assessment]:
    """The assessments of the batch an objection may still be recorded against (the form's choices)."""
    return Assessment.objects.filter(notice=notice, status__in=OBJECTION_OPEN).select_related("organization")


def submittable(user: Any, notice: Notice) -> list[Assessment]:
    """The batch's assessments whose notice has closed (today, whether or not the sweep has written it) and that can
    go to the district; the transition writes the clock's move first."""
    return list(
        Assessment.objects.filter(status_now_q([S.NOTICE_CLOSED], timezone.localdate()), notice=notice)
        .select_related("organization", "campaign", "notice")
        .order_by("organization__path")
    )


# --- The public pages (no login) -------------------------------------------------------------------------------


def public_open_notices(user: Any, today: date) -> list[Notice]:
    """The notices open on ``today``, for anyone (logged in or not)."""
    return list(
        Notice.objects.filter(starts_on__lte=today, ends_on__gte=today)
        .select_related("township")
        .order_by("-starts_on", "-pk")
    )


@dataclass(frozen=True)
class PublicRow:
    organization_name: str
    grade_label: str


def public_rows(user: Any, notice: Notice) -> list[PublicRow]:
    """What the public reads of a notice (organization name and 初评等次 only), on the page and on the printed
    notice alike: the same for every reader."""
    return [
        PublicRow(name, rules.Grade(grade).label if grade else "")
        for name, grade in Assessment.objects.filter(notice=notice)
        .order_by("organization__path")
        .values_list("organization__name", "township_grade")
    ]
