"""Year-end re-grading decisions (总结验收, source part 1 §三(三)): the district re-grades an organization, with or
without re-scoring it item by item on the township's template (附件4).

Status moves go through ``grading.services.workflow.transition`` (REGRADE); the requests and the widened 好 cap
are in ``grading.services.yearend``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from grading import rules
from grading.models import (
    Assessment,
    AssessmentStatus,
    Item,
    ItemScore,
    RegradeRequest,
    RegradeSupplement,
    ScoreLevel,
)
from grading.services.assessments import _save_scores
from grading.services.workflow import Action, transition
from grading.services.yearend import regrade_cap_check, require_on
from organizations.roles import Perm
from partybuild import audit


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
