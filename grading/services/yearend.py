"""Year-end (总结验收, source part 1 §三(三)): re-grading requests and the widened 好 cap. The decisions are in
``grading.services.regrade``; the township summaries with experience papers and the excellence award in
``grading.services.yearend_summaries``.

Status moves go through ``grading.services.workflow.transition`` (REQUEST_REGRADE); the rest are plain writes that
check the actor's permission on the organization, run in a transaction and leave an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core import audit
from grading.models import (
    Assessment,
    AssessmentStatus,
    Campaign,
    RegradeDirection,
    RegradeRequest,
    RegradeSupplement,
    YearEndReview,
)
from grading.rules import counting as counting_rules
from grading.rules import grades as grade_rules
from grading.services.objections import validate_upload
from grading.services.workflow import Action, transition
from organizations.models import Organization
from organizations.roles import Perm
from organizations.scope import can


def require_on(actor: Any, perm: Perm, org: Organization, message: str) -> None:
    if not can(actor, perm, org):
        raise PermissionDenied(message)


def district_root() -> Organization:
    return Organization.objects.get_first_root_node()


# --- The year-end cap (C5) ------------------------------------------------------------------------------------


def year_end_of(campaign: Campaign) -> YearEndReview | None:
    return YearEndReview.objects.filter(campaign=campaign).first()


def effective_cap(campaign: Campaign, review: YearEndReview | None = None) -> Decimal:
    """C5: the campaign's cap, or the one the district widened at the year-end review."""
    review = review if review is not None else year_end_of(campaign)
    if review is not None and review.widened_cap_percent is not None:
        return review.widened_cap_percent
    return campaign.good_cap_percent


@transaction.atomic
def year_end_cap_set(*, actor: Any, campaign: Campaign, widened_cap_percent: Decimal, reason: str) -> YearEndReview:
    """C5, the plan §四.2: at the year-end review the district may widen the 好 share, with a written reason."""
    root = district_root()
    require_on(actor, Perm.REVIEW_GRADES, root, "只有区委组织部可以调整年底复核“好”等次比例")
    if widened_cap_percent < campaign.good_cap_percent or widened_cap_percent > 100:
        raise ValidationError(
            f"年底复核比例应在{grade_rules.fmt(campaign.good_cap_percent)}%(年初比例)至100%之间,"
            f"当前为{grade_rules.fmt(widened_cap_percent)}%"
        )
    if widened_cap_percent > campaign.good_cap_percent and not reason.strip():
        raise ValidationError(
            f"扩大“好”等次比例(由{grade_rules.fmt(campaign.good_cap_percent)}%扩大到{grade_rules.fmt(widened_cap_percent)}%)"
            "须写明理由"
        )
    review, _ = YearEndReview.objects.select_for_update().get_or_create(campaign=campaign)
    before = {"widened_cap_percent": str(review.widened_cap_percent or "")}
    review.widened_cap_percent = widened_cap_percent
    review.reason = reason.strip()
    review.decided_by = actor
    review.decided_at = timezone.now()
    review.save()
    audit.record(
        actor=actor,
        verb="grading.year_end_cap",
        summary=f"{campaign}年底复核“好”等次比例上限定为{grade_rules.fmt(widened_cap_percent)}%。{reason.strip()}",
        target=campaign,
        org_path=root.path,
        before=before,
        after={"widened_cap_percent": str(widened_cap_percent)},
    )
    return review


def regrade_cap_check(campaign: Campaign, assessment: Assessment, grade: str) -> list[counting_rules.CapResult]:
    """C5 after a re-grade to ``grade``: the district's and the township's share of 好 among final grades."""
    cap = effective_cap(campaign)
    results = []
    township_path = assessment.organization.township_path()
    for prefix in ("", township_path):
        qs = Assessment.objects.filter(campaign=campaign, organization__path__startswith=prefix)
        good = qs.filter(final_grade=grade_rules.Grade.GOOD).exclude(pk=assessment.pk).count()
        results.append(counting_rules.good_cap_check(qs.count(), good + (grade == grade_rules.Grade.GOOD), cap))
    return results


# --- Re-grading requests and decisions -------------------------------------------------------------------------


@dataclass(frozen=True)
class RegradeInput:
    direction: str
    reason: str
    proposed_score: Decimal | None = None
    evidence: UploadedFile | None = None
    written_report: UploadedFile | None = None


def _direction_problem(current: str, direction: str, score: Decimal | None) -> str | None:
    order = grade_rules.grade_order(current)
    if direction == RegradeDirection.UP and order == 0:
        return "已是“好”等次,不能再申请提档升级"
    if direction == RegradeDirection.DOWN and order == len(grade_rules.GRADE_ORDER) - 1:
        return "已是“较差”等次,不能再申请降级"
    if score is not None:
        band = grade_rules.grade_for_score(score)
        moved = grade_rules.grade_order(band) - order
        if (direction == RegradeDirection.UP and moved >= 0) or (direction == RegradeDirection.DOWN and moved <= 0):
            return (
                f"重新量化考核得分{grade_rules.fmt(score)}分对应“{band.label}”,与现等次“{grade_rules.Grade(current).label}”相比"
                f"不是{RegradeDirection(direction).label}"
            )
    return None


@transaction.atomic
def regrade_request_create(
    *, actor: Any, assessment: Assessment, data: RegradeInput, today: date | None = None
) -> RegradeRequest:
    """The township asks by the campaign's date (10 Dec) to move a final grade up or down, with the re-scored total,
    evidence and, for a weak organization whose rectification failed, the committee's written report."""
    today = today or timezone.localdate()
    a = Assessment.objects.select_related("campaign", "organization").get(pk=assessment.pk)
    require_on(actor, Perm.REQUEST_REGRADE, a.organization, "只有乡镇(街道)党(工)委可以申请复核")
    due = a.campaign.regrade_request_due
    if today > due:
        raise ValidationError(
            f"申请复核截止日期为{due.year}年{due.month}月{due.day}日,已过期,不能再申请(方案第三部分(三)1)"
        )
    if a.status != AssessmentStatus.FINAL or not a.final_grade:
        raise ValidationError(f"{a.organization.name}当前状态为“{a.get_status_display()}”,等次确定后才能申请复核")
    if data.direction not in RegradeDirection.values:
        raise ValidationError("请选择提档升级或降级")
    if not data.reason.strip():
        raise ValidationError("请写明申请复核的理由")
    if data.proposed_score is not None and not (grade_rules.SCORE_MIN <= data.proposed_score <= grade_rules.SCORE_MAX):
        raise ValidationError(f"重新量化考核得分应在0至100分之间,当前为{grade_rules.fmt(data.proposed_score)}分")
    problem = _direction_problem(a.final_grade, data.direction, data.proposed_score)
    if problem:
        raise ValidationError(problem)
    validate_upload(data.evidence, what="佐证材料")
    validate_upload(data.written_report, what="书面报告")
    request = RegradeRequest(
        assessment=a,
        direction=data.direction,
        reason=data.reason.strip(),
        proposed_score=data.proposed_score,
        requested_by=actor,
    )
    if data.evidence is not None:
        request.evidence.save(data.evidence.name, data.evidence, save=False)
    request.save()
    supplement = RegradeSupplement(request=request)
    if data.written_report is not None:
        supplement.written_report.save(data.written_report.name, data.written_report, save=False)
    supplement.save()
    transition(
        actor=actor,
        assessment=a,
        action=Action.REQUEST_REGRADE,
        note=f"{request.get_direction_display()}:{request.reason}",
        today=today,
        request=request,
    )
    return request


def written_report_missing(request: RegradeRequest) -> bool:
    """A weak (较差) organization's request without the committee's written report (needed when its rectification
    failed, source part 1 §三(三)1): shown to the district, not refused, since a successful rectification needs none
    (so a request filed because a rectification was accepted is never flagged)."""
    if is_from_rectification(request):
        return False
    supplement = getattr(request, "supplement", None)
    return request.assessment.final_grade == grade_rules.Grade.POOR and not (supplement and supplement.written_report)


# --- Requests filed because a rectification was accepted ------------------------------------------------------

# The reason of every such request starts with this; it is how the district's queue (and ``written_report_missing``)
# tells them from the township's own. Grading knows no rectification case: the caller passes the acceptance's summary.
RECTIFICATION_REASON_PREFIX = "整顿验收通过"


def is_from_rectification(request: RegradeRequest) -> bool:
    return request.reason.startswith(RECTIFICATION_REASON_PREFIX)


@transaction.atomic
def regrade_request_from_rectification(
    *, assessment: Assessment, reason: str, actor: Any, proposed_score: Decimal | None = None
) -> RegradeRequest:
    """File the request to move a final grade up after the organization's rectification was accepted.

    Differs from ``regrade_request_create`` on purpose:
    - who: the officer who accepted (district: SUPERVISE, township: REQUEST_REGRADE), through
      ``workflow.transition`` (REQUEST_REGRADE, whose move admits SUPERVISE for exactly this) like every request;
    - when: no 10 Dec deadline (``campaign.regrade_request_due``). The source re-grades an organization once its
      rectification is accepted ("整顿验收通过再撤离", part 2 §六(二) "验收合格后重新评定级次"), and an acceptance
      may come after that date; the district still decides on its own page and by its own date;
    - idempotent: when the assessment already waits for a decision (filed before, or the township asked itself), that
      pending request is returned and nothing new is filed.
    Raises PermissionDenied, or ValidationError when there is nothing to file (grade not final, already 好).
    """
    a = Assessment.objects.select_related("campaign", "organization").get(pk=assessment.pk)
    org = a.organization
    if not (can(actor, Perm.SUPERVISE, org) or can(actor, Perm.REQUEST_REGRADE, org)):
        raise PermissionDenied(f"您不能为{org.name}申请整顿验收后的重新定级")
    if a.status == AssessmentStatus.REGRADE_REQUESTED:
        pending = a.regrade_requests.filter(decided_at__isnull=True).order_by("-requested_at", "-pk").first()
        if pending is not None:
            return pending
    if a.status != AssessmentStatus.FINAL or not a.final_grade:
        raise ValidationError(f"{org.name}当前状态为“{a.get_status_display()}”,等次确定后才能申请复核")
    if proposed_score is not None and not (grade_rules.SCORE_MIN <= proposed_score <= grade_rules.SCORE_MAX):
        raise ValidationError(f"重新量化考核得分应在0至100分之间,当前为{grade_rules.fmt(proposed_score)}分")
    problem = _direction_problem(a.final_grade, RegradeDirection.UP, proposed_score)
    if problem:
        raise ValidationError(problem)
    text = reason.strip()
    if not text.startswith(RECTIFICATION_REASON_PREFIX):
        text = f"{RECTIFICATION_REASON_PREFIX}:{text}" if text else RECTIFICATION_REASON_PREFIX
    request = RegradeRequest.objects.create(
        assessment=a,
        direction=RegradeDirection.UP,
        reason=text,
        proposed_score=proposed_score,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    RegradeSupplement.objects.create(request=request)
    transition(
        actor=actor,
        assessment=a,
        action=Action.REQUEST_REGRADE,
        note=f"{request.get_direction_display()}:{request.reason}",
        request=request,
    )
    return request


# --- Reading the re-scoring ------------------------------------------------------------------------------------
