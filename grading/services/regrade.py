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

from core import audit
from grading.models import (
    Assessment,
    AssessmentStatus,
    Item,
    ItemScore,
    RegradeRequest,
    RegradeSupplement,
    ScoreLevel,
)
from grading.rules import grades as rules
from grading.services.assessments import DimensionRows, _save_scores
from grading.services.workflow import Action, transition
from grading.services.yearend import regrade_cap_check, require_on
from organizations.roles import Perm


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


def _locked_for_rescoring(actor: Any, request: RegradeRequest) -> tuple[Assessment, RegradeRequest]:
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
    return a, request


def _rescore(a: Assessment, items: list[Item], s: RegradeScoring, opinion: str) -> tuple[Decimal, bool]:
    """Write every item of the template at ``ScoreLevel.REGRADE`` (so no score of an earlier re-scoring survives this
    one): the total and whether a veto item was triggered; every refusal at once."""
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
    scores = {i.pk: s.item_scores.get(i.pk, ("", "")) for i in items}
    vetoes = {i.pk: bool(s.vetoes.get(i.pk, False)) for i in items if i.is_veto}
    total, vetoed = Decimal("0"), False
    try:
        total, vetoed = _save_scores(a, ScoreLevel.REGRADE, scores, vetoes)
    except ValidationError as exc:
        errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return total, vetoed


def _chosen_grade(total: Decimal, vetoed: bool, grade: str, override_reason: str) -> tuple[str, str, str]:
    """(the grade chosen, the band of the total, the reason when they differ): the band (C1) or 较差 after a veto
    (C4) unless another grade is chosen with a reason."""
    try:
        band = rules.grade_for_score(total, vetoed=vetoed).value
    except rules.RuleViolation as exc:
        raise ValidationError(exc.messages) from None
    chosen = grade or band
    if chosen not in rules.Grade.values:
        raise ValidationError("复核等次无效")
    if vetoed and chosen != rules.Grade.POOR:
        raise ValidationError("触发一票否决项,复核等次只能为“较差”")
    override = override_reason.strip() if chosen != band else ""
    if chosen != band and not override:
        raise ValidationError(
            f"复核得分{rules.fmt(total)}分对应“{rules.Grade(band).label}”,"
            f"复核定为“{rules.Grade(chosen).label}”须写明理由"
        )
    return chosen, band, override


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
    a, request = _locked_for_rescoring(actor, request)
    items = list(Item.objects.filter(dimension__template_id=a.template_id).order_by("dimension__order", "order", "pk"))
    before_items = _level_items(a, items, ScoreLevel.TOWNSHIP)
    earlier = _level_items(a, items, ScoreLevel.REGRADE)
    total, vetoed = _rescore(a, items, s, opinion)
    chosen, band, override = _chosen_grade(total, vetoed, grade, s.override_reason)
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
    after = {"final_grade": chosen, "final_score": str(total), "vetoed": vetoed, "band": band}
    _record_rescoring(actor, a, items, before, after | {"override_reason": override, "request": request.pk})
    return a


def _record_rescoring(
    actor: Any, a: Assessment, items: list[Item], before: dict[str, Any], after: dict[str, Any]
) -> None:
    """The re-scoring's own event: every item before (the township's scores) and after, and which changed."""
    before_items = before["items"]
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
            f"{a.organization.name}年底复核逐项评分{rules.fmt(Decimal(after['final_score']))}分(乡镇评分{township}分),"
            f"复核定为“{rules.Grade(after['final_grade']).label}”;改动{len(changed)}项"
        ),
        target=a,
        org_path=a.organization.path,
        before=before,
        after=after | {"items": after_items, "changed": changed},
    )


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
