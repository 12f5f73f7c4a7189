"""The Assessment state machine: one transition service and one table of allowed moves.

Every status change goes through ``transition``: it locks the row, catches up with the clock, looks the move up
in ``MOVES``, checks the actor's permission on the organization, runs the move's checks and effects, saves, writes
an audit event and queues side effects after commit. No view sets a status.

Time windows live in the database: a notice is over when its end date has passed and an objection window when its
last working day has passed, whether or not a worker ran. ``catch_up`` applies those clock moves (in bulk, with
events) and is called by every transition, by the list selectors and by the periodic sweep.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from core import audit
from core.models import Event
from core.names import display_name
from core.workdays import provisional_window_end
from grading.models import (
    Assessment,
    AssessmentStatus,
    GradeRecord,
    Objection,
    ObjectionOutcome,
    ObjectionStage,
)
from grading.rules import grades as rules
from grading.services.cap import require_cap_reason
from grading.services.finals import finalize, readjust, regrade, request_regrade
from grading.services.outcomes import objection_answer
from organizations.roles import Perm
from organizations.scope import can

S = AssessmentStatus


class Action:
    SUBMIT = "submit"
    RETURN = "return"
    SCORE = "score"
    PUBLISH = "publish"
    SUBMIT_TO_DISTRICT = "submit_to_district"
    APPROVE = "approve"
    OBJECT = "object"
    RESOLVE_OBJECTION = "resolve_objection"
    REQUEST_REGRADE = "request_regrade"
    REGRADE = "regrade"
    READJUST = "readjust"


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str
    perm: Perm
    label: str
    # Others who may make the same move, with the reason in MOVES' comment.
    also: frozenset[Perm] = frozenset()

    def allows(self, user: Any, org: Any) -> bool:
        return any(can(user, p, org) for p in (self.perm, *self.also))


MOVES: dict[str, Move] = {
    Action.SUBMIT: Move(frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, Perm.SELF_ASSESS, "提交自查自评"),
    Action.RETURN: Move(frozenset({S.SUBMITTED, S.SCORED}), S.RETURNED, Perm.SCORE_GRADES, "退回修改"),
    Action.SCORE: Move(frozenset({S.SUBMITTED, S.SCORED}), S.SCORED, Perm.SCORE_GRADES, "完成乡镇评分和初定等次"),
    Action.PUBLISH: Move(frozenset({S.SCORED}), S.IN_NOTICE, Perm.SCORE_GRADES, "发布公示"),
    Action.SUBMIT_TO_DISTRICT: Move(
        frozenset({S.NOTICE_CLOSED}), S.WITH_DISTRICT, Perm.SCORE_GRADES, "报区委组织部审批"
    ),
    Action.APPROVE: Move(frozenset({S.WITH_DISTRICT}), S.APPROVED, Perm.REVIEW_GRADES, "审定等次"),
    Action.OBJECT: Move(frozenset({S.APPROVED}), S.OBJECTED, Perm.RAISE_OBJECTION, "提出异议"),
    Action.RESOLVE_OBJECTION: Move(frozenset({S.OBJECTED}), S.FINAL, Perm.REVIEW_GRADES, "复核异议"),
    # The township asks (part 1 §三(三)1); the district officer who accepted a weak organization's rectification asks
    # too, by rule: "验收合格后重新评定级次" (part 2 §六(二)), "整顿工作不达标,工作组不收队" (part 4 §五(一)).
    Action.REQUEST_REGRADE: Move(
        frozenset({S.FINAL}), S.REGRADE_REQUESTED, Perm.REQUEST_REGRADE, "申请复核", also=frozenset({Perm.SUPERVISE})
    ),
    Action.REGRADE: Move(frozenset({S.REGRADE_REQUESTED}), S.FINAL, Perm.REVIEW_GRADES, "复核定级"),
    # Outside an objection, the district re-adjusts a final grade for a major omission or misjudgment (第一篇
    # 三(一)3(2) "如有重大信息遗漏、重大判断失误等情况,由区委组织部对原评价结果作出重新调整").
    Action.READJUST: Move(frozenset({S.FINAL}), S.FINAL, Perm.REVIEW_GRADES, "重新调整等次"),
}


def allowed_actions(user: Any, assessment: Assessment) -> list[str]:
    """The moves this user may make now (for buttons: no dead buttons)."""
    return [
        name
        for name, move in MOVES.items()
        if assessment.status in move.sources and move.allows(user, assessment.organization)
    ]


# --- Clock moves -----------------------------------------------------------------------------------------


def catch_up(*, today: date | None = None, assessment_ids: list[int] | None = None) -> int:
    """Apply the moves that the clock makes: notices that ended, objection windows that passed. Idempotent."""
    today = today or timezone.localdate()
    scope = Q(pk__in=assessment_ids) if assessment_ids is not None else Q()
    moved = 0
    with transaction.atomic():
        closing = list(
            Assessment.objects.filter(scope, status=S.IN_NOTICE, notice__ends_on__lt=today)
            .select_for_update(skip_locked=True)
            .select_related("organization", "notice")
        )
        if closing:
            Assessment.objects.filter(pk__in=[a.pk for a in closing]).update(
                status=S.NOTICE_CLOSED, version=F("version") + 1, updated_at=timezone.now()
            )
            _clock_events(closing, "grading.notice_closed", "公示期满({ends})", S.IN_NOTICE, S.NOTICE_CLOSED)
            moved += len(closing)
        finishing = list(
            Assessment.objects.filter(scope, status=S.APPROVED, objection_due__lt=today)
            .select_for_update(skip_locked=True)
            .select_related("organization", "campaign")
        )
    for assessment in finishing:
        with transaction.atomic():
            locked = (
                Assessment.objects.select_for_update().select_related("organization", "campaign").get(pk=assessment.pk)
            )
            if locked.status != S.APPROVED:
                continue
            finalize(locked, actor=None, grade=locked.district_grade, stage=GradeRecord.WINDOW_PASSED, reason="")
            audit.record(
                actor=None,
                verb="grading.final",
                summary=f"{locked.organization.name}异议期满无异议,等次确定为“{rules.Grade(locked.final_grade).label}”",
                target=locked,
                org_path=locked.organization.path,
                before={"status": S.APPROVED},
                after={"status": S.FINAL, "final_grade": locked.final_grade},
            )
            moved += 1
    return moved


def _clock_events(rows: list[Assessment], verb: str, template: str, before: str, after: str) -> None:
    Event.objects.bulk_create(
        [
            Event(
                actor=None,
                actor_name="系统",
                verb=verb,
                summary=f"{a.organization.name}:" + template.format(ends=a.notice.ends_on if a.notice else ""),
                target_type=a._meta.label_lower,
                target_id=str(a.pk),
                target_label=str(a)[:200],
                org_path=a.organization.path,
                before={"status": before},
                after={"status": after},
            )
            for a in rows
        ]
    )


# --- The one transition service --------------------------------------------------------------------------


Check = Callable[[Assessment, dict[str, Any]], None]


def transition(
    *, actor: Any, assessment: Assessment, action: str, note: str = "", today: date | None = None, **payload: Any
) -> Assessment:
    """Make one move. Raises PermissionDenied (403) or ValidationError with a Chinese message naming the rule.

    ``today`` is the date the move happens on (default: today in Asia/Shanghai); the clock moves are applied first.
    """
    move = MOVES.get(action)
    if move is None:
        raise ValueError(f"unknown action {action}")
    today = today or timezone.localdate()
    catch_up(today=today, assessment_ids=[assessment.pk])
    with transaction.atomic():
        locked = (
            # of=self: PostgreSQL refuses FOR UPDATE on the nullable side of the outer join to notice
            Assessment.objects.select_for_update(of=("self",))
            .select_related("organization", "campaign", "notice")
            .get(pk=assessment.pk)
        )
        if not move.allows(actor, locked.organization):
            raise PermissionDenied(f"您不能对{locked.organization.name}执行“{move.label}”")
        if action == Action.OBJECT and locked.status == S.FINAL and locked.objection_due is not None:
            raise ValidationError(f"异议期已于{locked.objection_due}届满,等次已确定,不能再提出异议(7个工作日,D2)")
        if locked.status not in move.sources:
            raise ValidationError(
                f"{locked.organization.name}当前状态为“{locked.get_status_display()}”,不能{move.label}"
            )
        before = {"status": locked.status}
        _EFFECTS[action](locked, actor=actor, note=note, today=today, **payload)
        locked.status = move.target
        locked.version += 1
        locked.save()
        audit.record(
            actor=actor,
            verb=f"grading.{action}",
            summary=f"{locked.organization.name}:{move.label}" + (f"。{note}" if note else ""),
            target=locked,
            org_path=locked.organization.path,
            before=before,
            after={"status": move.target, **{k: str(v) for k, v in payload.items() if isinstance(v, str | Decimal)}},
        )
    return locked


def _submit(a: Assessment, *, actor: Any, note: str, **_: Any) -> None:
    from grading.services.assessments import submission_problems

    problems = submission_problems(a)
    if problems:
        raise ValidationError(problems)
    a.submitted_at = timezone.now()
    a.returned_reason = ""


def _return(a: Assessment, *, actor: Any, note: str, **_: Any) -> None:
    if not note.strip():
        raise ValidationError("退回时须写明原因,以便支部修改")
    a.returned_reason = note.strip()


def _score(a: Assessment, *, actor: Any, note: str, **_: Any) -> None:
    from grading.services.assessments import township_problems

    problems = township_problems(a)
    if problems:
        raise ValidationError(problems)
    a.scored_at = timezone.now()


def _publish(a: Assessment, *, actor: Any, note: str, notice: Any = None, **_: Any) -> None:
    if notice is None:
        raise ValidationError("请通过公示批次发布")
    a.notice = notice


def _submit_to_district(a: Assessment, *, actor: Any, note: str, **_: Any) -> None:
    pending = a.objections.filter(stage=ObjectionStage.NOTICE, outcome=ObjectionOutcome.PENDING).count()
    if pending:
        raise ValidationError(f"公示期间收到的{pending}条异议尚未答复,答复后才能报送区委组织部")


def _approve(
    a: Assessment, *, actor: Any, note: str, grade: str = "", cap_reason: str = "", today: date | None = None, **_: Any
) -> None:
    grade = grade or a.township_grade
    if grade not in rules.Grade.values:
        raise ValidationError("请选择审定等次")
    if a.township_vetoed and grade != rules.Grade.POOR:
        raise ValidationError("该组织触发一票否决,等次只能为“较差”")
    if grade != a.township_grade and not note.strip():
        raise ValidationError(
            f"审定等次“{rules.Grade(grade).label}”与乡镇初定等次“{rules.Grade(a.township_grade).label}”不一致,须写明调整理由"
        )
    # C5 (第一篇 四.2): raising to 好 past the share needs a reason, as at the township's notice.
    a.district_cap_reason = require_cap_reason(a, grade, cap_reason)
    today = today or timezone.localdate()
    a.district_grade = grade
    a.district_adjust_reason = note.strip() if grade != a.township_grade else ""
    a.approved_at = timezone.now()
    # D2/D4: objections within N working days of the notification; the window starts the day after (D1).
    # D3: a year nobody has entered gives a Monday–Friday estimate marked 暂定, recomputed when the year is entered.
    a.objection_due, a.objection_due_provisional = provisional_window_end(today, a.campaign.objection_working_days)
    a.objection_counted_from = today
    GradeRecord.objects.create(
        organization=a.organization,
        assessment=a,
        year=a.campaign.year,
        stage=GradeRecord.APPROVED,
        grade=grade,
        score=a.township_score,
        reason=a.district_adjust_reason,
        recorded_by=actor,
    )


def _object(
    a: Assessment, *, actor: Any, note: str, raised_by_name: str = "", today: date | None = None, **_: Any
) -> None:
    today = today or timezone.localdate()
    if a.objection_due is None or today > a.objection_due:
        raise ValidationError(f"异议期已于{a.objection_due}届满,不能再提出异议(7个工作日,D2)")
    if not note.strip():
        raise ValidationError("请写明异议内容")
    Objection.objects.create(
        assessment=a,
        stage=ObjectionStage.DISTRICT,
        raised_by=actor,
        raised_by_name=raised_by_name or display_name(actor),
        content=note.strip(),
        raised_on=today,
    )


def _resolve_objection(
    a: Assessment, *, actor: Any, note: str, upheld: bool = False, grade: str = "", cap_reason: str = "", **_: Any
) -> None:
    if not note.strip():
        raise ValidationError("请写明复核意见")
    pending = list(a.objections.filter(stage=ObjectionStage.DISTRICT, outcome=ObjectionOutcome.PENDING))
    if upheld and grade not in rules.Grade.values:
        raise ValidationError("异议成立时须选择调整后的等次")
    final = grade if upheld else a.district_grade
    if upheld:
        a.district_cap_reason = require_cap_reason(a, final, cap_reason) or a.district_cap_reason
    for objection in pending:
        objection_answer(actor=actor, objection=objection, upheld=upheld, answer=note, new_grade=grade)
    finalize(a, actor=actor, grade=final, stage=GradeRecord.OBJECTION_REVIEWED, reason=note.strip())


_EFFECTS: dict[str, Callable[..., None]] = {
    Action.SUBMIT: _submit,
    Action.RETURN: _return,
    Action.SCORE: _score,
    Action.PUBLISH: _publish,
    Action.SUBMIT_TO_DISTRICT: _submit_to_district,
    Action.APPROVE: _approve,
    Action.OBJECT: _object,
    Action.RESOLVE_OBJECTION: _resolve_objection,
    Action.REQUEST_REGRADE: request_regrade,
    Action.REGRADE: regrade,
    Action.READJUST: readjust,
}
