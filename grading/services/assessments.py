"""Writes to one organization's assessment: creating the year's assessments, the secretary's drafts (附件1–3) and
the township's scoring (附件4). Status moves are not here: they go through ``grading.services.workflow.transition``.

Every save carries the version the page was loaded with; a save from a stale page is refused with a clear message and
the newer data is kept (no lost updates from a second tab or a colleague).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch

from core import audit
from grading.models import (
    SECRETARY_EDITABLE,
    Assessment,
    AssessmentStatus,
    AttendeeCategory,
    Campaign,
    Dimension,
    EvaluationMeeting,
    Item,
    ItemScore,
    MeetingTallyRow,
    ScoreLevel,
    ScoringTemplate,
    SelfReport,
)
from grading.rules import counting as counting_rules
from grading.rules import grades as grade_rules
from organizations.models import Organization
from organizations.roles import Perm
from organizations.scope import can

REPORT_FIELDS = ("basic_situation", "self_building", "role_played", "problems", "measures")
STALE_MESSAGE = (
    "这份材料已在其他页面或由他人保存过(第{current}版,您打开的是第{seen}版)。"
    "为避免覆盖,本次修改未保存:请刷新页面后再改。"
)


# --- Setting up the year ---------------------------------------------------------------------------------


def template_for(campaign: Campaign, organization: Organization) -> ScoringTemplate:
    """The field's own template when the campaign has one, else the general template (C7: per year and field)."""
    templates = {t.field: t for t in campaign.templates.all()}
    template = templates.get(organization.field) or templates.get("")
    if template is None:
        raise ValidationError(f"{campaign.year}年度没有适用于{organization.name}的评分标准")
    return template


@transaction.atomic
def assessments_ensure(campaign: Campaign) -> int:
    """Create the assessment (with its empty report, meeting and tally rows) of every graded organization that has
    none yet. Idempotent; called when the campaign opens and safe to call again after restructuring."""
    existing = set(Assessment.objects.filter(campaign=campaign).values_list("organization_id", flat=True))
    orgs = Organization.objects.filter(is_graded=True, dissolved_on__isnull=True).exclude(pk__in=existing)
    templates = {t.field: t for t in campaign.templates.all()}
    fresh = [
        Assessment(campaign=campaign, organization=o, template=templates.get(o.field) or templates[""]) for o in orgs
    ]
    Assessment.objects.bulk_create(fresh, batch_size=500)
    created = list(Assessment.objects.filter(campaign=campaign).exclude(organization_id__in=existing))
    SelfReport.objects.bulk_create([SelfReport(assessment=a) for a in created], batch_size=500)
    meetings = EvaluationMeeting.objects.bulk_create([EvaluationMeeting(assessment=a) for a in created], batch_size=500)
    if meetings and meetings[0].pk is None:  # backends that do not return ids from bulk inserts
        meetings = list(EvaluationMeeting.objects.filter(assessment__in=created))
    MeetingTallyRow.objects.bulk_create(
        [MeetingTallyRow(meeting=m, category=c) for m in meetings for c in AttendeeCategory.values], batch_size=1000
    )
    return len(created)


# --- Reading an assessment's pieces ------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRow:
    item: Item
    self_score: ItemScore | None
    township_score: ItemScore | None
    regrade_score: ItemScore | None


@dataclass(frozen=True)
class DimensionRows:
    dimension: Dimension
    rows: list[ItemRow]


def scoring_sheet(assessment: Assessment) -> list[DimensionRows]:
    """The template's dimensions and items with every level's score side by side (3 queries)."""
    scores: dict[tuple[int, str], ItemScore] = {
        (s.item_id, s.level): s for s in ItemScore.objects.filter(assessment=assessment)
    }
    dims = Dimension.objects.filter(template_id=assessment.template_id).prefetch_related(
        Prefetch("items", queryset=Item.objects.order_by("order", "pk"))
    )
    return [
        DimensionRows(
            d,
            [
                ItemRow(
                    i,
                    scores.get((i.pk, ScoreLevel.SELF)),
                    scores.get((i.pk, ScoreLevel.TOWNSHIP)),
                    scores.get((i.pk, ScoreLevel.REGRADE)),
                )
                for i in d.items.all()
            ],
        )
        for d in dims
    ]


def tally_of(rows: Iterable[MeetingTallyRow]) -> counting_rules.MeetingTally:
    """附件2's tally (``counting_rules.tally_meeting``) of an assessment's tally rows; raises
    ``grade_rules.RuleViolation``."""
    rows = list(rows)
    return counting_rules.tally_meeting(
        {r.category: {grade_rules.Grade(g): getattr(r, g) for g in grade_rules.Grade.values} for r in rows},
        {r.category: r.attendees for r in rows},
    )


def meeting_tally(assessment: Assessment) -> counting_rules.MeetingTally:
    return tally_of(MeetingTallyRow.objects.filter(meeting__assessment=assessment))


def good_share_of(rows: Iterable[MeetingTallyRow]) -> Decimal | None:
    """The 测评“好”票比例 stored on the assessment (``Assessment.good_share``): the tally's share of 好 ballots, or
    None while no ballot is cast or the tally is refused."""
    try:
        tally = tally_of(rows)
    except grade_rules.RuleViolation:
        return None
    return tally.shares[grade_rules.Grade.GOOD] if tally.ballots else None


# --- Completeness checks (used by the workflow) ------------------------------------------------------------


def _level_problems(assessment: Assessment, level: str, who: str) -> list[str]:
    items = Item.objects.filter(dimension__template_id=assessment.template_id, is_veto=False)
    scored = set(
        ItemScore.objects.filter(assessment=assessment, level=level, points__isnull=False).values_list(
            "item_id", flat=True
        )
    )
    missing = [i.text for i in items if i.pk not in scored]
    if missing:
        shown = "、".join(missing[:3]) + ("等" if len(missing) > 3 else "")
        return [f"{who}还有{len(missing)}个评分项目未打分:{shown}"]
    return []


def submission_problems(assessment: Assessment) -> list[str]:
    """What the secretary must still fill in before submitting (附件1–3)."""
    problems: list[str] = []
    report = SelfReport.objects.filter(assessment=assessment).first()
    empty = [SelfReport._meta.get_field(f).verbose_name for f in REPORT_FIELDS if not getattr(report, f, "").strip()]
    if empty:
        problems.append("附件1自查自评报告还缺:" + "、".join(str(e) for e in empty))
    meeting = EvaluationMeeting.objects.filter(assessment=assessment).first()
    if meeting is None or meeting.held_on is None:
        problems.append("附件2请填写测评会日期")
    try:
        tally = meeting_tally(assessment)
        if tally.ballots == 0:
            problems.append("附件2请录入测评票数")
    except grade_rules.RuleViolation as exc:
        problems.extend(exc.messages)
    problems += _level_problems(assessment, ScoreLevel.SELF, "附件3自评")
    if not assessment.self_grade:
        problems.append("附件3请填写支委会提出的等次初步认定意见")
    if assessment.committee_for is None or assessment.committee_met_on is None:
        problems.append("附件3请填写支委会日期和表决结果")
    elif (assessment.committee_for or 0) <= (assessment.committee_against or 0) + (assessment.committee_abstain or 0):
        problems.append("附件3的自评意见须经支委会表决通过(赞成票须超过半数)")
    return problems


def township_problems(assessment: Assessment) -> list[str]:
    problems = _level_problems(assessment, ScoreLevel.TOWNSHIP, "附件4乡镇评分")
    if assessment.township_score is None or not assessment.township_grade:
        problems.append("请确定初定等次")
    elif assessment.township_grade != band_of(assessment) and not assessment.township_override_reason.strip():
        problems.append("初定等次与得分对应的等次不一致,须写明理由")
    return problems


def band_of(assessment: Assessment) -> str:
    """The grade the township's score falls in (C1), or 较差 when a veto item was triggered (C4)."""
    if assessment.township_score is None:
        return ""
    return grade_rules.grade_for_score(assessment.township_score, vetoed=assessment.township_vetoed).value


# --- Saving ------------------------------------------------------------------------------------------------


def _lock_for_save(assessment: Assessment, expected_version: int | None) -> Assessment:
    locked = Assessment.objects.select_for_update().select_related("organization", "campaign").get(pk=assessment.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(STALE_MESSAGE.format(current=locked.version, seen=expected_version))
    return locked


def _points(raw: Any, item: Item) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(f"“{item.text}”的得分“{raw}”不是数字") from None
    try:
        return counting_rules.validate_item_score(value, item.max_points)
    except grade_rules.RuleViolation as exc:
        raise ValidationError([f"“{item.text}”:{m}" for m in exc.messages]) from None


def _save_scores(
    assessment: Assessment, level: str, scores: Mapping[int, tuple[Any, str]], vetoes: Mapping[int, bool]
) -> tuple[Decimal, bool]:
    """Store item scores of one level; return their total and whether a veto item was triggered."""
    items = {i.pk: i for i in Item.objects.filter(dimension__template_id=assessment.template_id)}
    unknown = set(scores) - set(items)
    if unknown:
        raise ValidationError("评分项目不属于本组织的评分标准")
    errors: list[str] = []
    for item_id, (raw, note) in scores.items():
        item = items[item_id]
        try:
            points = None if item.is_veto else _points(raw, item)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        ItemScore.objects.update_or_create(
            assessment=assessment,
            item=item,
            level=level,
            defaults={"points": points, "note": (note or "")[:300], "vetoed": bool(vetoes.get(item_id, False))},
        )
    for item_id, flagged in vetoes.items():
        if item_id in items and items[item_id].is_veto and item_id not in scores:
            ItemScore.objects.update_or_create(
                assessment=assessment, item=items[item_id], level=level, defaults={"vetoed": bool(flagged)}
            )
    if errors:
        raise ValidationError(errors)
    rows = ItemScore.objects.filter(assessment=assessment, level=level)
    total = sum((r.points for r in rows if r.points is not None), Decimal("0"))
    vetoed = any(r.vetoed for r in rows if items.get(r.item_id) is not None and items[r.item_id].is_veto)
    return total, vetoed


def _save_meeting(
    a: Assessment, meeting: Mapping[str, Any] | None, tally: Mapping[str, Mapping[str, int]] | None
) -> None:
    """附件2: the evaluation meeting's facts and its tally rows; the tally is checked (ballots against attendees) and
    its 好 share kept on the assessment."""
    em = EvaluationMeeting.objects.get_or_create(assessment=a)[0]
    for f in ("held_on", "place", "supervised_by"):
        if meeting is not None and f in meeting:
            setattr(em, f, meeting[f])
    em.full_clean()
    em.save()
    if tally is not None:
        for category, counts in tally.items():
            if category not in AttendeeCategory.values:
                raise ValidationError("参会人员类别无效")
            row = MeetingTallyRow.objects.get_or_create(meeting=em, category=category)[0]
            for f in ("attendees", *grade_rules.Grade.values):
                if f in counts:
                    value = counts[f]
                    if value is None or int(value) < 0:
                        raise ValidationError(f"{AttendeeCategory(category).label}的票数不能为负数或为空")
                    setattr(row, f, int(value))
            row.save()
        try:
            counted = meeting_tally(a)
        except grade_rules.RuleViolation as exc:
            raise ValidationError(exc.messages) from None
        a.good_share = counted.shares[grade_rules.Grade.GOOD] if counted.ballots else None


@transaction.atomic
def self_assessment_save(
    *,
    actor: Any,
    assessment: Assessment,
    expected_version: int | None,
    report: Mapping[str, str] | None = None,
    meeting: Mapping[str, Any] | None = None,
    tally: Mapping[str, Mapping[str, int]] | None = None,
    item_scores: Mapping[int, tuple[Any, str]] | None = None,
    committee: Mapping[str, Any] | None = None,
) -> Assessment:
    """Save the secretary's draft of 附件1–3 (any subset of the parts). Refused once submitted or when stale."""
    a = _lock_for_save(assessment, expected_version)
    if not can(actor, Perm.SELF_ASSESS, a.organization):
        raise PermissionDenied("只有本组织书记可以填报自查自评")
    if a.status not in SECRETARY_EDITABLE:
        raise ValidationError(f"材料当前状态为“{a.get_status_display()}”,不能再修改;如需修改请联系乡镇退回")
    changed: list[str] = []
    if report is not None:
        sr = SelfReport.objects.get_or_create(assessment=a)[0]
        for f in REPORT_FIELDS:
            if f in report:
                setattr(sr, f, report[f])
        sr.save()
        changed.append("附件1")
    if meeting is not None or tally is not None:
        _save_meeting(a, meeting, tally)
        changed.append("附件2")
    if item_scores is not None:
        total, _ = _save_scores(a, ScoreLevel.SELF, item_scores, {})
        a.self_score = total
        changed.append("附件3评分")
    if committee is not None:
        for f in ("self_grade", "committee_met_on", "committee_for", "committee_against", "committee_abstain"):
            if f in committee:
                setattr(a, f, committee[f])
        if a.self_grade and a.self_grade not in grade_rules.Grade.values:
            raise ValidationError("自评等次无效")
        changed.append("附件3意见")
    a.version += 1
    a.save()
    audit.record(
        actor=actor,
        verb="grading.self_save",
        summary=f"{a.organization.name}保存自查自评草稿({'、'.join(changed) or '无改动'})",
        target=a,
        org_path=a.organization.path,
        after={"version": a.version, "self_score": str(a.self_score) if a.self_score is not None else ""},
    )
    return a


@transaction.atomic
def township_scores_save(
    *,
    actor: Any,
    assessment: Assessment,
    expected_version: int | None,
    item_scores: Mapping[int, tuple[Any, str]],
    vetoes: Mapping[int, bool] | None = None,
    grade: str = "",
    override_reason: str = "",
    opinion: str = "",
) -> Assessment:
    """附件4: the township's item scores; the preliminary grade is the score's band (C1, C4) unless the township
    chooses another grade and writes why."""
    a = _lock_for_save(assessment, expected_version)
    if not can(actor, Perm.SCORE_GRADES, a.organization):
        raise PermissionDenied("只有乡镇(街道)党(工)委可以评分")
    if a.status not in {AssessmentStatus.SUBMITTED, AssessmentStatus.SCORED}:
        raise ValidationError(f"{a.organization.name}当前状态为“{a.get_status_display()}”,不能评分")
    before = {"township_score": str(a.township_score), "township_grade": a.township_grade}
    total, vetoed = _save_scores(a, ScoreLevel.TOWNSHIP, item_scores, vetoes or {})
    a.township_score = total
    a.township_vetoed = vetoed
    band = grade_rules.grade_for_score(total, vetoed=vetoed).value
    chosen = grade or band
    if chosen not in grade_rules.Grade.values:
        raise ValidationError("初定等次无效")
    if vetoed and chosen != grade_rules.Grade.POOR:
        raise ValidationError("触发一票否决项,初定等次只能为“较差”")
    if chosen != band and not override_reason.strip():
        raise ValidationError(
            f"得分{grade_rules.fmt(total)}分对应“{grade_rules.Grade(band).label}”,初定为“{grade_rules.Grade(chosen).label}”须写明理由"
        )
    a.township_grade = chosen
    a.township_override_reason = override_reason.strip() if chosen != band else ""
    a.township_opinion = opinion
    a.version += 1
    a.save()
    audit.record(
        actor=actor,
        verb="grading.township_save",
        summary=f"{a.organization.name}乡镇评分{grade_rules.fmt(total)}分,初定“{grade_rules.Grade(chosen).label}”",
        target=a,
        org_path=a.organization.path,
        before=before,
        after={"township_score": str(total), "township_grade": chosen},
    )
    return a
