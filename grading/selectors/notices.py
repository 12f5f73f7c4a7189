"""Reads of the township's public notices (公示): the notice page with the objections recorded during it, the
batch that may go to the district, and the public (no login) pages.

A notice outside the user's scope is 404 (the same as missing). Whether a notice is open is derived from its dates
and today's date; list reads first apply the clock moves (``catch_up``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch
from django.http import Http404

from grading import rules
from grading.models import (
    Assessment,
    AssessmentStatus,
    Notice,
    Objection,
    ObjectionOutcome,
    ObjectionStage,
)
from grading.services.workflow import catch_up
from organizations.scope import get_visible_or_404

S = AssessmentStatus


def notice_state(notice: Notice, today: date) -> str:
    if notice.is_closed_on(today):
        return "已结束"
    if notice.is_open_on(today):
        return "公示中"
    return "未开始"


def notice_get(user: Any, pk: int) -> Notice:
    """A notice of a township in the user's scope (404 otherwise)."""
    return get_visible_or_404(
        Notice.objects.select_related("campaign", "township", "published_by"), user, path_field="township__path", pk=pk
    )


@dataclass(frozen=True)
class NoticeRow:
    assessment: Assessment
    objections: list[Objection]

    @property
    def pending(self) -> int:
        return sum(1 for o in self.objections if o.is_pending)


def notice_rows(notice: Notice) -> list[NoticeRow]:
    """The organizations of the batch with the objections recorded during the notice (2 queries after catch-up)."""
    ids = list(Assessment.objects.filter(notice=notice).values_list("pk", flat=True))
    catch_up(assessment_ids=ids)
    qs = (
        Assessment.objects.filter(notice=notice)
        .select_related("organization")
        .prefetch_related(
            Prefetch(
                "objections",
                queryset=Objection.objects.filter(stage=ObjectionStage.NOTICE).order_by("raised_on", "pk"),
                to_attr="notice_objections",
            )
        )
        .order_by("organization__path")
    )
    return [NoticeRow(a, a.notice_objections) for a in qs]


def objection_get(user: Any, notice: Notice, pk: int) -> Objection:
    return get_visible_or_404(
        Objection.objects.select_related("assessment__organization", "assessment__notice").filter(
            assessment__notice=notice, stage=ObjectionStage.NOTICE
        ),
        user,
        path_field="assessment__organization__path",
        pk=pk,
    )


def public_open_notices(today: date) -> list[Notice]:
    return list(
        Notice.objects.filter(starts_on__lte=today, ends_on__gte=today)
        .select_related("township")
        .order_by("-starts_on", "-pk")
    )


@dataclass(frozen=True)
class PublicRow:
    organization_name: str
    grade_label: str


class NoticeNotStarted(Exception):
    """A published notice whose period has not begun: the public learns when it starts, nothing else."""

    def __init__(self, starts_on: date) -> None:
        super().__init__(starts_on)
        self.starts_on = starts_on


def public_rows(notice: Notice) -> list[PublicRow]:
    """What the public reads of a notice (organization name and 初评等次 only), on the page and on the printed
    notice alike."""
    return [
        PublicRow(name, rules.Grade(grade).label if grade else "")
        for name, grade in Assessment.objects.filter(notice=notice)
        .order_by("organization__path")
        .values_list("organization__name", "township_grade")
    ]


def public_notice(pk: int, today: date) -> tuple[Notice, list[PublicRow]]:
    """An open notice and its list. A notice that has ended answers 404, the same as one that does not exist; one
    that has not started yet raises ``NoticeNotStarted`` with its start date only (its list is not yet public)."""
    notice = Notice.objects.filter(pk=pk, ends_on__gte=today).select_related("township").first()
    if notice is None:
        raise Http404("公示不存在或不在公示期内")
    if notice.starts_on > today:
        raise NoticeNotStarted(notice.starts_on)
    return notice, public_rows(notice)


def pending_notice_objections(notice: Notice) -> int:
    return Objection.objects.filter(
        assessment__notice=notice, stage=ObjectionStage.NOTICE, outcome=ObjectionOutcome.PENDING
    ).count()


def submittable(notice: Notice) -> list[Assessment]:
    """The batch's assessments whose notice has closed and that can go to the district."""
    return list(
        Assessment.objects.filter(notice=notice, status=S.NOTICE_CLOSED)
        .select_related("organization", "campaign", "notice")
        .order_by("organization__path")
    )
