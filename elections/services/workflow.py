"""The election project's state machine: one transition service, one table of moves, and the steps that drive it.

A project's status is its current phase (DESIGN.md): each phase is done when its steps are done, and marking the
last step of a phase done advances the project through ``transition`` (the only code that sets a status). A step
cannot be marked done without its required documents; who may mark it depends on its owner level.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core import audit
from core.uploads import MEGABYTE, UploadPolicy, display_name, file_problems, stored_name
from elections.access import may_attach, may_do_step
from elections.models import (
    BallotRound,
    DecisionStatus,
    DocumentKind,
    ElectionProject,
    Phase,
    RoundStatus,
    Step,
    StepDocument,
)
from elections.models.project import PHASE_ORDER


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    label: str
    automatic: bool = True  # taken when the source phase's steps are all done; otherwise by a service, by name


# Each automatic move leaves a phase whose steps are all done: nobody chooses it by hand, finishing the steps does.
# "reopen" is taken by ``services.annulment.result_annul`` (第五篇 六.2 宣布当选无效 after the result was approved):
# the project goes back to the congress so that the vacated seats are elected again (A5 另行选举).
MOVES: dict[str, Move] = {
    "launch": Move(Phase.PREPARING, Phase.LAUNCHING, "前期准备完成,进入部署启动"),
    "mobilize": Move(Phase.LAUNCHING, Phase.MOBILIZING, "部署启动完成,进入宣传动员"),
    "nominate": Move(Phase.MOBILIZING, Phase.NOMINATING, "宣传动员完成,进入确定人选"),
    "elect": Move(Phase.NOMINATING, Phase.ELECTING, "确定人选完成,进入大会选举"),
    "follow_up": Move(Phase.ELECTING, Phase.FOLLOWING_UP, "大会选举完成,进入后续工作"),
    "close": Move(Phase.FOLLOWING_UP, Phase.CLOSED, "后续工作完成,换届结束"),
    "reopen": Move(Phase.FOLLOWING_UP, Phase.ELECTING, "宣布当选无效,重新进入大会选举", automatic=False),
}
NEXT_MOVE: dict[str, str] = {move.source: name for name, move in MOVES.items() if move.automatic}


@dataclass(frozen=True)
class RoundMove:
    sources: frozenset[str]
    target: str
    label: str


_ENTERING = frozenset({RoundStatus.OPEN, RoundStatus.COUNTED})
# A ballot round: open → counted (an entry is stored; entered again while not published) → valid / void (published
# from its count by ``services.rounds.round_close``); clearing the ballots entered one by one takes it back to open.
ROUND_MOVES: dict[str, RoundMove] = {
    "count": RoundMove(_ENTERING, RoundStatus.COUNTED, "录入计票结果"),
    "clear": RoundMove(_ENTERING, RoundStatus.OPEN, "清空逐张录入的选票"),
    "publish_valid": RoundMove(frozenset({RoundStatus.COUNTED}), RoundStatus.VALID, "公布计票结果"),
    "publish_void": RoundMove(frozenset({RoundStatus.COUNTED}), RoundStatus.VOID, "公布计票结果"),
}


# A step's documents (请示, 报告, 批复, 名单, photos of the meeting): the formats offices exchange, 20 MB each.
STEP_DOCUMENTS = UploadPolicy(
    extensions=("pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "ofd"), max_bytes=20 * MEGABYTE, what="材料"
)


def phase_index(phase: str) -> int:
    return PHASE_ORDER.index(phase)


def lock(project: ElectionProject) -> ElectionProject:
    return ElectionProject.objects.select_for_update().select_related("organization", "township").get(pk=project.pk)


def bump(project: ElectionProject) -> None:
    ElectionProject.objects.filter(pk=project.pk).update(version=F("version") + 1, updated_at=timezone.now())
    project.version += 1


def event(actor: Any, project: ElectionProject, verb: str, summary: str, **kw: Any) -> None:
    """The project's audit event ``election.<verb>`` (``core.audit.record_on``: the organization's name leads the
    summary, its path scopes the event)."""
    audit.record_on(project, actor=actor, verb=f"election.{verb}", summary=summary, **kw)


def missing_kinds(step: Step) -> list[str]:
    """The required document kinds (DocumentKind values) the step has no document of yet, in the template's order."""
    have = {d.kind for d in step.documents.all()}
    return [k for k in step.template.required_documents if k not in have]


def missing_documents(step: Step) -> list[str]:
    labels = dict(DocumentKind.choices)
    return [labels.get(k, k) for k in missing_kinds(step)]


def require_date_settled(project: ElectionProject) -> None:
    """A13 选举条例 Art. 3: a postponed or advanced election waits for the higher body's approval."""
    change = getattr(project, "date_change", None)
    if change is not None and change.status != DecisionStatus.APPROVED:
        raise ValidationError(
            f"换届{change.kind}至{change.election_date}{change.get_status_display()},"
            "须经上级党组织批准后才能继续(《中国共产党基层组织选举工作条例》第三条)"
        )


def phase_done(project: ElectionProject, phase: str) -> bool:
    return not project.steps.filter(template__phase=phase, done_on__isnull=True).exists()


@transaction.atomic
def transition(*, actor: Any, project: ElectionProject, action: str, note: str = "") -> ElectionProject:
    """Lock, look the move up, check that the phase's steps are done, save, write the event."""
    locked = lock(project)
    require_date_settled(locked)
    move = MOVES.get(action)
    if move is None or locked.status != move.source:
        raise ValidationError(f"当前阶段“{locked.get_status_display()}”不能执行“{move.label if move else action}”")
    undone = move.automatic and list(
        locked.steps.filter(template__phase=move.source, done_on__isnull=True).values_list(
            "template__number", flat=True
        )
    )
    if undone:
        raise ValidationError(f"本阶段还有环节未完成:第{'、'.join(map(str, undone))}步")
    before = locked.status
    locked.status = move.target
    locked.save(update_fields=["status", "updated_at"])
    bump(locked)
    event(
        actor,
        locked,
        "phase",
        move.label + (f"({note})" if note else ""),
        before={"status": before},
        after={"status": locked.status},
    )
    return locked


def round_transition(locked: BallotRound, action: str, *, update_fields: tuple[str, ...] = ()) -> BallotRound:
    """The only code that sets a ballot round's status: look the move up, refuse it from any other status, save it
    with the caller's other changed ``update_fields``. The caller (a count service) holds the round's lock, has
    checked the actor's permission and writes the event that says what was entered."""
    move = ROUND_MOVES[action]
    if locked.status not in move.sources:
        raise ValidationError(f"该轮次当前为“{locked.get_status_display()}”,不能{move.label}")
    locked.status = move.target
    locked.save(update_fields=[*update_fields, "status"])
    return locked


def advance(actor: Any, project: ElectionProject) -> ElectionProject:
    """Take the automatic moves the finished phases allow (after a re-election's approval, back to 后续工作)."""
    return _advance(actor, project)


def _advance(actor: Any, project: ElectionProject) -> ElectionProject:
    while project.status in NEXT_MOVE and phase_done(project, project.status):
        project = transition(actor=actor, project=project, action=NEXT_MOVE[project.status])
    return project


@transaction.atomic
def step_done(*, actor: Any, step: Step, done_on: date | None = None, note: str = "") -> Step:
    """Mark a step done (by its owner level), then advance the phase when its last step is done."""
    project = lock(step.project)
    step = Step.objects.select_related("template").get(pk=step.pk)
    step.project = project
    if not may_do_step(actor, step):
        raise PermissionDenied(f"第{step.template.number}步由{step.template.get_owner_display()}负责,您没有权限")
    if step.done_on is not None:
        raise ValidationError(f"第{step.template.number}步已于{step.done_on}完成")
    require_date_settled(project)
    if project.is_closed or phase_index(step.template.phase) > phase_index(project.status):
        raise ValidationError(f"第{step.template.number}步属于“{step.template.get_phase_display()}”阶段,尚未到该阶段")
    missing = missing_documents(step)
    if missing:
        raise ValidationError(f"第{step.template.number}步“{step.template.title}”缺少必备材料:{'、'.join(missing)}")
    today = timezone.localdate()
    done_on = done_on or today
    if done_on > today:
        raise ValidationError("完成日期不能晚于今天")
    step.done_on, step.done_by, step.note = done_on, actor, note[:200]
    step.save(update_fields=["done_on", "done_by", "note"])
    bump(project)
    event(
        actor,
        project,
        "step_done",
        f"完成第{step.template.number}步“{step.template.title}”",
        after={"step": step.template.number, "done_on": done_on.isoformat()},
    )
    _advance(actor, project)
    return step


def document_upload(*, actor: Any, step: Step, kind: str, upload: UploadedFile) -> StepDocument:
    """Store one document of a step; a refused file leaves nothing on disk and no row."""
    if kind not in DocumentKind.values:
        raise ValidationError("请选择材料类别")
    if not may_attach(actor, step):
        raise PermissionDenied("您没有上传该环节材料的权限")
    problems = file_problems(upload, STEP_DOCUMENTS)
    if problems:
        raise ValidationError(problems)
    saved = ""
    try:
        with transaction.atomic():
            project = lock(step.project)
            saved = default_storage.save(f"elections/steps/{project.pk}/{stored_name(upload.name or '')}", upload)
            document = StepDocument.objects.create(
                step=step,
                kind=kind,
                file=saved,
                original_name=display_name(upload.name or "") or "未命名文件",
                size=upload.size or 0,
                uploaded_by=actor,
            )
            bump(project)
            event(
                actor,
                project,
                "document",
                f"第{step.template.number}步上传{document.get_kind_display()}“{document.original_name}”",
                after={"step": step.template.number, "kind": kind},
            )
    except BaseException:
        if saved:
            default_storage.delete(saved)
        raise
    return document
