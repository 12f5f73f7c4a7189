"""Year-end (总结验收, source part 1 §三(三)): re-grading requests and decisions and the widened 好 cap. The
township summaries with experience papers and the excellence award are in ``grading.yearend_summaries``.

Status moves go through ``grading.workflow.transition`` (REQUEST_REGRADE, REGRADE); the rest are plain writes that
check the actor's permission on the organization, run in a transaction and leave an audit event.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from grading import rules
from grading.assessments import DimensionRows, _save_scores
from grading.models import (
    Assessment,
    AssessmentStatus,
    Campaign,
    Item,
    ItemScore,
    RegradeDirection,
    RegradeRequest,
    RegradeSupplement,
    ScoreLevel,
    YearEndReview,
)
from grading.objections import validate_upload
from grading.workflow import Action, transition
from organizations.models import Organization
from organizations.roles import Perm
from organizations.scope import can
from partybuild import audit


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
            f"年底复核比例应在{rules.fmt(campaign.good_cap_percent)}%(年初比例)至100%之间,"
            f"当前为{rules.fmt(widened_cap_percent)}%"
        )
    if widened_cap_percent > campaign.good_cap_percent and not reason.strip():
        raise ValidationError(
            f"扩大“好”等次比例(由{rules.fmt(campaign.good_cap_percent)}%扩大到{rules.fmt(widened_cap_percent)}%)"
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
        summary=f"{campaign}年底复核“好”等次比例上限定为{rules.fmt(widened_cap_percent)}%。{reason.strip()}",
        target=campaign,
        org_path=root.path,
        before=before,
        after={"widened_cap_percent": str(widened_cap_percent)},
    )
    return review


def regrade_cap_check(campaign: Campaign, assessment: Assessment, grade: str) -> list[rules.CapResult]:
    """C5 after a re-grade to ``grade``: the district's and the township's share of 好 among final grades."""
    cap = effective_cap(campaign)
    results = []
    township_path = assessment.organization.township_path()
    for prefix in ("", township_path):
        qs = Assessment.objects.filter(campaign=campaign, organization__path__startswith=prefix)
        good = qs.filter(final_grade=rules.Grade.GOOD).exclude(pk=assessment.pk).count()
        results.append(rules.good_cap_check(qs.count(), good + (grade == rules.Grade.GOOD), cap))
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
    order = rules.grade_order(current)
    if direction == RegradeDirection.UP and order == 0:
        return "已是“好”等次,不能再申请提档升级"
    if direction == RegradeDirection.DOWN and order == len(rules.GRADE_ORDER) - 1:
        return "已是“较差”等次,不能再申请降级"
    if score is not None:
        band = rules.grade_for_score(score)
        moved = rules.grade_order(band) - order
        if (direction == RegradeDirection.UP and moved >= 0) or (direction == RegradeDirection.DOWN and moved <= 0):
            return (
                f"重新量化考核得分{rules.fmt(score)}分对应“{band.label}”,与现等次“{rules.Grade(current).label}”相比"
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
    if data.proposed_score is not None and not (rules.SCORE_MIN <= data.proposed_score <= rules.SCORE_MAX):
        raise ValidationError(f"重新量化考核得分应在0至100分之间,当前为{rules.fmt(data.proposed_score)}分")
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
    return request.assessment.final_grade == rules.Grade.POOR and not (supplement and supplement.written_report)


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
    if proposed_score is not None and not (rules.SCORE_MIN <= proposed_score <= rules.SCORE_MAX):
        raise ValidationError(f"重新量化考核得分应在0至100分之间,当前为{rules.fmt(proposed_score)}分")
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


@dataclass(frozen=True)
class RegradeScoring:
    """The district's re-scoring of an organization on the template the township scored it on (附件4), item by item.

    ``item_scores``: item id → (points as typed, 扣分说明); every scored (non-veto) item of the template is needed.
    ``vetoes``: veto item id → triggered; a veto item left out is not triggered.
    ``override_reason``: why the re-grade differs from the band of the re-scored total (C1).
    """

    item_scores: Mapping[int, tuple[Any, str]]
    vetoes: Mapping[int, bool] = field(default_factory=dict)
    override_reason: str = ""


@transaction.atomic
def regrade_decide(
    *,
    actor: Any,
    request: RegradeRequest,
    grade: str = "",
    opinion: str,
    cap_reason: str = "",
    today: date | None = None,
    scoring: RegradeScoring | None = None,
) -> Assessment:
    """The district re-grades (by 20 Dec) with a written opinion; above the (widened) 好 cap only with a reason.

    With ``scoring`` (the district's year-end page) the organization is re-scored item by item at
    ``ScoreLevel.REGRADE`` beside the township's scores: the total is the items' sum, the grade is its band (C1) or
    较差 after a veto (C4) unless ``grade`` differs with ``scoring.override_reason``; the total becomes the final score.
    Without it (callers that only grade, e.g. the re-grade form's 不逐项评分 path), ``grade`` is required and the
    final score is the township's re-scored total of the request (``proposed_score``), as before.
    """
    if scoring is not None:
        return _regrade_by_items(
            actor=actor, request=request, grade=grade, opinion=opinion, cap_reason=cap_reason, today=today, s=scoring
        )
    a = request.assessment
    require_on(actor, Perm.REVIEW_GRADES, a.organization, "只有区委组织部可以复核定级")
    if request.decided_at is not None:
        raise ValidationError("该复核申请已经处理")
    if grade not in rules.Grade.values:
        raise ValidationError("请选择复核等次")
    _cap_reason_keep(a, request, grade, cap_reason)
    _drop_stale_regrade_scores(actor, a)
    return transition(
        actor=actor, assessment=a, action=Action.REGRADE, note=opinion, grade=grade, request=request, today=today
    )


def _cap_reason_keep(a: Assessment, request: RegradeRequest, grade: str, cap_reason: str) -> None:
    exceeded = [r for r in regrade_cap_check(a.campaign, a, grade) if r.exceeds]
    if exceeded and not cap_reason.strip():
        raise ValidationError([r.message or "" for r in exceeded])
    supplement, _ = RegradeSupplement.objects.get_or_create(request=request)
    if exceeded:
        supplement.cap_exceed_reason = cap_reason.strip()
        supplement.save(update_fields=["cap_exceed_reason"])


def _point_text(row: ItemScore | None, item: Item) -> str:
    if row is None:
        return ""
    if item.is_veto:
        return "触发" if row.vetoed else "未触发"
    return rules.fmt(row.points) if row.points is not None else ""


def _level_items(a: Assessment, items: list[Item], level: str) -> dict[str, str]:
    rows = {r.item_id: r for r in ItemScore.objects.filter(assessment=a, level=level)}
    return {str(i.pk): _point_text(rows.get(i.pk), i) for i in items if i.pk in rows}


def _drop_stale_regrade_scores(actor: Any, a: Assessment) -> None:
    """``ScoreLevel.REGRADE`` holds the item scores behind the current year-end grade: a decision without item
    scores replaces an earlier re-scoring with none (its scores stay in this event, nothing is lost)."""
    stale = ItemScore.objects.filter(assessment=a, level=ScoreLevel.REGRADE)
    if not stale.exists():
        return
    items = list(Item.objects.filter(dimension__template_id=a.template_id))
    audit.record(
        actor=actor,
        verb="grading.regrade_score_cleared",
        summary=f"{a.organization.name}:年底复核未逐项评分,此前的复核逐项评分不再作为定级依据",
        target=a,
        org_path=a.organization.path,
        before={"items": _level_items(a, items, ScoreLevel.REGRADE)},
        after={"items": {}},
    )
    stale.delete()


def _regrade_by_items(
    *,
    actor: Any,
    request: RegradeRequest,
    grade: str,
    opinion: str,
    cap_reason: str,
    today: date | None,
    s: RegradeScoring,
) -> Assessment:
    # of=self: the lock stays on the assessment row whatever select_related joins (PostgreSQL refuses FOR UPDATE on
    # the nullable side of an outer join).
    a = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("organization", "campaign")
        .get(pk=request.assessment_id)
    )
    require_on(actor, Perm.REVIEW_GRADES, a.organization, "只有区委组织部可以复核定级")
    request = RegradeRequest.objects.select_for_update().get(pk=request.pk)
    if request.decided_at is not None:
        raise ValidationError("该复核申请已经处理")
    if a.status != AssessmentStatus.REGRADE_REQUESTED:
        raise ValidationError(f"{a.organization.name}当前状态为“{a.get_status_display()}”,不能复核定级")
    items = list(Item.objects.filter(dimension__template_id=a.template_id).order_by("dimension__order", "order", "pk"))
    known = {i.pk for i in items}
    if set(s.item_scores) - known or {k for k, v in s.vetoes.items() if v} - known:
        raise ValidationError("评分项目不属于本组织的评分标准")
    errors: list[str] = []
    if not opinion.strip():
        errors.append("请写明复核意见")
    missing = [i.text for i in items if not i.is_veto and str(s.item_scores.get(i.pk, ("", ""))[0] or "").strip() == ""]
    if missing:
        shown = "、".join(missing[:3]) + ("等" if len(missing) > 3 else "")
        errors.append(f"复核评分还有{len(missing)}个评分项目未打分:{shown}")
    before_items = _level_items(a, items, ScoreLevel.TOWNSHIP)
    earlier = _level_items(a, items, ScoreLevel.REGRADE)
    # Every item of the template is written, so no score of an earlier re-scoring survives this one.
    scores = {i.pk: s.item_scores.get(i.pk, ("", "")) for i in items}
    vetoes = {i.pk: bool(s.vetoes.get(i.pk, False)) for i in items if i.is_veto}
    total, vetoed = Decimal("0"), False
    try:
        total, vetoed = _save_scores(a, ScoreLevel.REGRADE, scores, vetoes)
    except ValidationError as exc:
        errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    try:
        band = rules.grade_for_score(total, vetoed=vetoed).value
    except rules.RuleViolation as exc:
        raise ValidationError(exc.messages) from None
    chosen = grade or band
    if chosen not in rules.Grade.values:
        raise ValidationError("复核等次无效")
    if vetoed and chosen != rules.Grade.POOR:
        raise ValidationError("触发一票否决项,复核等次只能为“较差”")
    override = s.override_reason.strip() if chosen != band else ""
    if chosen != band and not override:
        raise ValidationError(
            f"复核得分{rules.fmt(total)}分对应“{rules.Grade(band).label}”,"
            f"复核定为“{rules.Grade(chosen).label}”须写明理由"
        )
    _cap_reason_keep(a, request, chosen, cap_reason)
    before = {
        "final_grade": a.final_grade,
        "final_score": str(a.final_score) if a.final_score is not None else "",
        "items": before_items,
    }
    if earlier:
        before["earlier_regrade_items"] = earlier
    note = opinion.strip() + (f"(复核等次与得分对应等次不一致的理由:{override})" if override else "")
    a = transition(
        actor=actor,
        assessment=a,
        action=Action.REGRADE,
        note=note,
        grade=chosen,
        request=request,
        score=total,
        today=today,
    )
    after_items = _level_items(a, items, ScoreLevel.REGRADE)
    changed = [
        f"“{i.text}”{before_items.get(str(i.pk)) or '未评'}→{after_items.get(str(i.pk)) or '未评'}"
        for i in items
        if (before_items.get(str(i.pk)) or "") != (after_items.get(str(i.pk)) or "")
        and not (i.is_veto and {before_items.get(str(i.pk)), after_items.get(str(i.pk))} <= {None, "", "未触发"})
    ]
    township = rules.fmt(a.township_score) if a.township_score is not None else "—"
    audit.record(
        actor=actor,
        verb="grading.regrade_score",
        summary=(
            f"{a.organization.name}年底复核逐项评分{rules.fmt(total)}分(乡镇评分{township}分),"
            f"复核定为“{rules.Grade(chosen).label}”;改动{len(changed)}项"
        ),
        target=a,
        org_path=a.organization.path,
        before=before,
        after={
            "final_grade": chosen,
            "final_score": str(total),
            "vetoed": vetoed,
            "band": band,
            "override_reason": override,
            "request": request.pk,
            "items": after_items,
            "changed": changed,
        },
    )
    return a


# --- Reading the re-scoring ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegradeRequests:
    pending: RegradeRequest | None
    last_decided: RegradeRequest | None


def requests_of(a: Assessment) -> RegradeRequests:
    """The assessment's pending re-grading request and its last decided one (one query)."""
    rows = list(
        RegradeRequest.objects.filter(assessment=a)
        .select_related("supplement", "requested_by", "decided_by")
        .order_by("-requested_at", "-pk")
    )
    pending = next((r for r in rows if r.decided_at is None), None)
    decided = sorted((r for r in rows if r.decided_at is not None), key=lambda r: (r.decided_at, r.pk))
    return RegradeRequests(pending, decided[-1] if decided else None)


@dataclass(frozen=True)
class SheetTotals:
    township: Decimal
    regrade: Decimal
    regrade_vetoed: bool
    township_vetoed: bool
    regraded: bool  # the sheet holds item scores of a year-end re-scoring

    @property
    def regrade_band(self) -> str:
        return rules.grade_for_score(self.regrade, vetoed=self.regrade_vetoed).label if self.regraded else ""


def sheet_totals(sheet: list[DimensionRows]) -> SheetTotals:
    rows = [r for d in sheet for r in d.rows]

    def total(scores: list[ItemScore | None]) -> Decimal:
        return sum((x.points for x in scores if x is not None and x.points is not None), Decimal("0"))

    return SheetTotals(
        township=total([r.township_score for r in rows if not r.item.is_veto]),
        regrade=total([r.regrade_score for r in rows if not r.item.is_veto]),
        regrade_vetoed=any(r.regrade_score and r.regrade_score.vetoed for r in rows if r.item.is_veto),
        township_vetoed=any(r.township_score and r.township_score.vetoed for r in rows if r.item.is_veto),
        regraded=any(r.regrade_score is not None for r in rows),
    )
