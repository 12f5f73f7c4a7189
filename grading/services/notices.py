"""公示 (public notice) of a township's preliminary grades, and the objections raised while it is open.

The notice runs N days from the day after publication (D1); whether it is open is derived from its dates. The 好 cap
(C5) is checked over the township's graded organizations before publishing: exceeding it needs a written reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core import audit
from core.workdays import window_end
from grading.models import (
    Assessment,
    AssessmentStatus,
    Campaign,
    Notice,
    Objection,
    ObjectionStage,
)
from grading.rules import counting as counting_rules
from grading.rules import grades as grade_rules
from grading.services.assessments import township_problems
from grading.services.outcomes import objection_answer
from grading.services.workflow import Action, transition
from organizations.models import Organization
from organizations.roles import Perm
from organizations.scope import can


def notice_window(published_on: date, days: int) -> tuple[date, date]:
    """D1: a notice of N days published on day P runs from P+1 to P+N (calendar days)."""
    return window_end(published_on, 1, working_days=False), window_end(published_on, days, working_days=False)


def cap_check(campaign: Campaign, township: Organization, adding_good: int = 0) -> counting_rules.CapResult:
    """C5 over the township's graded organizations: those already graded 好 at any stage after scoring, plus the ones
    about to be published."""
    under = Assessment.objects.filter(campaign=campaign, organization__path__startswith=township.path)
    total = under.count()
    already = under.filter(
        township_grade=grade_rules.Grade.GOOD,
        status__in=[
            AssessmentStatus.IN_NOTICE,
            AssessmentStatus.NOTICE_CLOSED,
            AssessmentStatus.WITH_DISTRICT,
            AssessmentStatus.APPROVED,
            AssessmentStatus.OBJECTED,
            AssessmentStatus.FINAL,
        ],
    ).count()
    return counting_rules.good_cap_check(total, already + adding_good, campaign.good_cap_percent)


def default_title(campaign: Campaign, township: Organization, published_on: date) -> str:
    """Each batch of a township gets its own name: the sequence of the batch and the day it was published."""
    batch = Notice.objects.filter(campaign=campaign, township=township).count() + 1
    return (
        f"{township.name}{campaign.year}年度基层党组织分类定级初评结果公示"
        f"(第{batch}批,{published_on.month}月{published_on.day}日发布)"
    )


@transaction.atomic
def notice_publish(
    *,
    actor: Any,
    campaign: Campaign,
    township: Organization,
    assessments: Iterable[Assessment],
    title: str = "",
    body: str = "",
    contact: str = "",
    cap_reason: str = "",
    published_on: date | None = None,
) -> Notice:
    if not can(actor, Perm.SCORE_GRADES, township) or township.depth != 2:
        raise PermissionDenied("只有乡镇(街道)党(工)委可以发布公示")
    chosen = list(assessments)
    if not chosen:
        raise ValidationError("请选择要公示的党组织")
    for a in chosen:
        if a.campaign_id != campaign.pk or not a.organization.path.startswith(township.path):
            raise ValidationError(f"{a.organization.name}不属于本乡镇本年度的评定")
        if a.status != AssessmentStatus.SCORED:
            raise ValidationError(f"{a.organization.name}尚未完成评分(当前:{a.get_status_display()})")
        # The sheet may have been edited after 完成评分: publish only complete, consistent scores.
        problems = township_problems(a)
        if problems:
            raise ValidationError([f"{a.organization.name}:{p}" for p in problems])
    cap = cap_check(
        campaign, township, adding_good=sum(1 for a in chosen if a.township_grade == grade_rules.Grade.GOOD)
    )
    if cap.exceeds and not cap_reason.strip():
        raise ValidationError(cap.message)
    published_on = published_on or timezone.localdate()
    starts, ends = notice_window(published_on, campaign.notice_days)
    notice = Notice.objects.create(
        campaign=campaign,
        township=township,
        title=title or default_title(campaign, township, published_on),
        body=body,
        contact=contact,
        published_on=published_on,
        starts_on=starts,
        ends_on=ends,
        published_by=actor,
    )
    for a in chosen:
        if cap.exceeds:
            Assessment.objects.filter(pk=a.pk).update(cap_exceed_reason=cap_reason.strip())
        transition(actor=actor, assessment=a, action=Action.PUBLISH, notice=notice)
    audit.record(
        actor=actor,
        verb="grading.notice_publish",
        summary=f"发布公示“{notice.title}”,{starts}至{ends},共{len(chosen)}个党组织",
        target=notice,
        org_path=township.path,
        after={"starts_on": starts.isoformat(), "ends_on": ends.isoformat(), "count": len(chosen)},
    )
    return notice


@transaction.atomic
def notice_objection_record(
    *, actor: Any, assessment: Assessment, raised_by_name: str, content: str, raised_on: date | None = None
) -> Objection:
    """An objection received during the notice (by letter, phone or in person), recorded by the township."""
    if not can(actor, Perm.SCORE_GRADES, assessment.organization):
        raise PermissionDenied("只有乡镇(街道)党(工)委可以登记公示期间的异议")
    raised_on = raised_on or timezone.localdate()
    notice = assessment.notice
    if notice is None or not notice.is_open_on(raised_on):
        raise ValidationError("只能登记公示期内提出的异议")
    if not content.strip() or not raised_by_name.strip():
        raise ValidationError("请填写异议提出人和异议内容")
    objection = Objection.objects.create(
        assessment=assessment,
        stage=ObjectionStage.NOTICE,
        raised_by_name=raised_by_name.strip(),
        content=content.strip(),
        raised_on=raised_on,
    )
    audit.record(
        actor=actor,
        verb="grading.notice_objection",
        summary=f"登记对{assessment.organization.name}的公示异议",
        target=assessment,
        org_path=assessment.organization.path,
    )
    return objection


@transaction.atomic
def notice_objection_answer(*, actor: Any, objection: Objection, upheld: bool, answer: str) -> Objection:
    assessment = objection.assessment
    if objection.stage != ObjectionStage.NOTICE:
        raise ValidationError("该异议已答复")
    objection = objection_answer(actor=actor, objection=objection, upheld=upheld, answer=answer)
    audit.record(
        actor=actor,
        verb="grading.notice_objection_answer",
        summary=f"答复对{assessment.organization.name}的公示异议:{objection.get_outcome_display()}",
        target=assessment,
        org_path=assessment.organization.path,
    )
    return objection
