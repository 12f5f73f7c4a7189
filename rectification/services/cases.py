"""The rectification case: opening it, its header (people and planned dates), and the one phase transition.

Phases change only through ``case_transition``: it locks the row, looks the move up in ``rules.PHASE_MOVES``,
checks the actor's permission on the organization, checks the move's preconditions, saves and writes an event.
Moves out of 检查验收 are made by ``rectification.services.acceptance.acceptance_record`` only ("不达标不收队").
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from core import audit
from grading.models import Assessment
from grading.rules.grades import Category
from organizations.models import Organization
from organizations.roles import Perm
from organizations.scope import can
from rectification.access import MOVE_PERMS, require_on
from rectification.models import Case, CaseSource, CategoryAssignment, CategorySource, Measure, WorkGroupMember
from rectification.rules.cases import CASE_CATEGORIES, Phase, move_problems, phase_move
from rectification.rules.ledger import MeasureStatus
from rectification.services.categories import category_assign, current_category

# Header fields a case manager may edit (the people of part 1 §三(二)4 and part 2 §五(一), the planned dates).
HEADER_FIELDS = (
    "work_group_leader",
    "first_secretary",
    "replaced_secretary",
    "new_secretary",
    "liaison_leader",
    "finding_planned_from",
    "finding_planned_to",
    "rectifying_planned_from",
    "rectifying_planned_to",
    "accepting_planned_from",
    "accepting_planned_to",
)


def lock_case(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("organization").get(pk=case.pk)


def open_case_of(org: Organization) -> Case | None:
    return Case.objects.filter(organization=org).exclude(phase=Phase.ACCEPTED).first()


def _create(
    *,
    actor: Any,
    organization: Organization,
    year: int,
    category: str,
    source: str,
    opened_on: date,
    reason: str,
    assessment: Any = None,
    finalized_at: datetime | None = None,
) -> Case:
    case = Case.objects.create(
        organization=organization,
        year=year,
        category=category,
        source=source,
        source_assessment=assessment,
        source_finalized_at=finalized_at,
        reason=reason,
        opened_on=opened_on,
        opened_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        verb="rectification.case_open",
        summary=f"{organization.name}整顿立案({case.get_source_display()})" + (f"。{reason}" if reason else ""),
        target=case,
        org_path=organization.path,
        after={"phase": case.phase, "category": category, "source": source},
    )
    return case


def case_open_for_weak(
    *,
    actor: Any,
    organization: Organization,
    year: int,
    opened_on: date,
    reason: str = "",
    assessment: Any = None,
    finalized_at: datetime | None = None,
) -> Case | None:
    """Part 1 §三(二)4: every 软弱涣散 organization gets a work group and a case. Internal (the grade subscriber and
    ``category_set_by_hand`` decide); None when the organization already has an open case."""
    if open_case_of(organization) is not None:
        return None
    return _create(
        actor=actor,
        organization=organization,
        year=year,
        category=Category.WEAK,
        source=CaseSource.AUTO,
        opened_on=opened_on,
        reason=reason,
        assessment=assessment,
        finalized_at=finalized_at,
    )


@transaction.atomic
def case_open_by_hand(
    *, actor: Any, organization: Organization, year: int, reason: str, opened_on: date | None = None
) -> Case:
    """Open a case for a 后进支部 (part 2 is such a plan), or for a 软弱涣散 one that has none."""
    require_on(actor, Perm.MANAGE_CASES, organization, "整顿立案")
    category = current_category(organization)
    if category not in CASE_CATEGORIES:
        shown = category.label if category else "尚未分类"
        raise ValidationError(f"{organization.name}当前类别为“{shown}”,只有后进支部和软弱涣散支部可以整顿立案")
    if not reason.strip():
        raise ValidationError("请写明立案理由")
    if open_case_of(organization) is not None:
        raise ValidationError(f"{organization.name}已有未结案的整顿案件")
    return _create(
        actor=actor,
        organization=organization,
        year=year,
        category=category,
        source=CaseSource.HAND,
        opened_on=opened_on or timezone.localdate(),
        reason=reason.strip(),
    )


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(f"{case.organization.name}的整顿已验收结案,不能再修改")


@transaction.atomic
def case_update(*, actor: Any, case: Case, expected_version: int | None, **fields: Any) -> Case:
    """Edit the header. ``expected_version`` is the version the form was rendered from: a stale save is refused."""
    locked = lock_case(case)
    require_on(actor, Perm.MANAGE_CASES, locked.organization, "修改整顿案件")
    _require_open(locked)
    if expected_version is not None and expected_version != locked.version:
        raise ValidationError("该案件已被他人修改,您的修改未保存,请刷新后重试")
    unknown = set(fields) - set(HEADER_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    before = audit.snapshot(locked, fields)
    for name, value in fields.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    for start, end, label in (
        ("finding_planned_from", "finding_planned_to", "查摆问题"),
        ("rectifying_planned_from", "rectifying_planned_to", "整顿提高"),
        ("accepting_planned_from", "accepting_planned_to", "检查验收"),
    ):
        a, b = getattr(locked, start), getattr(locked, end)
        if a and b and b < a:
            raise ValidationError(f"{label}阶段的计划结束日期早于开始日期")
    locked.version += 1
    locked.save(update_fields=[*fields, "version", "updated_at"])
    old, new = audit.changed(before, audit.snapshot(locked, fields))
    audit.record(
        actor=actor,
        verb="rectification.case_update",
        summary=f"修改{locked.organization.name}整顿案件",
        target=locked,
        org_path=locked.organization.path,
        before=old,
        after=new,
    )
    return locked


@transaction.atomic
def workgroup_member_add(
    *, actor: Any, case: Case, person_name: str, unit: str = "", role: str = "", joined_on: date | None = None
) -> WorkGroupMember:
    locked = lock_case(case)
    require_on(actor, Perm.MANAGE_CASES, locked.organization, "调整工作组")
    _require_open(locked)
    if not person_name.strip():
        raise ValidationError("请填写工作组成员姓名")
    member = WorkGroupMember.objects.create(
        case=locked, person_name=person_name.strip(), unit=unit.strip(), role=role.strip(), joined_on=joined_on
    )
    audit.record(
        actor=actor,
        verb="rectification.workgroup_add",
        summary=f"{person_name.strip()}加入{locked.organization.name}整顿工作组",
        target=locked,
        org_path=locked.organization.path,
        after={"person_name": member.person_name, "unit": member.unit},
    )
    return member


@transaction.atomic
def workgroup_member_remove(*, actor: Any, member: WorkGroupMember) -> None:
    locked = lock_case(member.case)
    require_on(actor, Perm.MANAGE_CASES, locked.organization, "调整工作组")
    _require_open(locked)
    audit.record(
        actor=actor,
        verb="rectification.workgroup_remove",
        summary=f"{member.person_name}退出{locked.organization.name}整顿工作组",
        target=locked,
        org_path=locked.organization.path,
        before={"person_name": member.person_name},
    )
    member.delete()


def ledger_counts(case: Case) -> dict[str, int]:
    """What the move checks need to know about the ledger, in one query."""
    measures = Measure.objects.filter(problem__case=case)
    problems = case.problems.annotate(n=Count("measures"))
    return {
        "problems": problems.count(),
        "problems_without_measures": problems.filter(n=0).count(),
        "measures_not_done": measures.filter(~Q(status=MeasureStatus.DONE)).count(),
    }


def _stamp_dates(case: Case, source: Phase, to: Phase, today: date) -> list[str]:
    """Set the dates a move marks (a phase started, the case closed); the names of the fields set."""
    if to == Phase.RECTIFYING and source == Phase.FINDING_PROBLEMS:
        case.rectifying_started_on = today
        return ["rectifying_started_on"]
    if to == Phase.ACCEPTING:
        case.accepting_started_on = today
        return ["accepting_started_on"]
    if to == Phase.ACCEPTED:
        case.closed_on = today
        # Part 1 §三(三)1, part 2 §六(二): 重新评定级次. Grading's year-end re-grade reads this flag.
        case.regrade_requested_at = timezone.now()
        return ["closed_on", "regrade_requested_at"]
    return []


def case_transition(
    *,
    actor: Any,
    case: Case,
    to: Phase | str,
    note: str = "",
    expected_version: int | None = None,
    today: date | None = None,
    acceptance: Any = None,
) -> Case:
    """Make one phase move. Raises PermissionDenied (403) or ValidationError with a Chinese message.

    ``acceptance`` is passed by ``acceptance_record`` only: it decides the moves out of 检查验收.
    """
    to = Phase(to)
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = lock_case(case)
        source = Phase(locked.phase)
        move = phase_move(source, to)
        if move is not None and not move.by_acceptance_only:
            perm = MOVE_PERMS[(source, to)]
            if not can(actor, perm, locked.organization):
                raise PermissionDenied(f"您不能对{locked.organization.name}的整顿案件执行“{move.label}”")
        if expected_version is not None and expected_version != locked.version:
            raise ValidationError("该案件已被他人修改,请刷新后重试")
        problems = move_problems(
            source,
            to,
            **ledger_counts(locked),
            acceptance_passed=None if acceptance is None else bool(acceptance.passed),
        )
        if problems:
            raise ValidationError(problems)
        assert move is not None  # move_problems refuses unknown moves
        fields = ["phase", "version", "updated_at", *_stamp_dates(locked, source, to, today)]
        locked.phase = to
        locked.version += 1
        locked.save(update_fields=fields)
        audit.record(
            actor=actor,
            verb=f"rectification.case_{to.value}",
            summary=f"{locked.organization.name}整顿:{move.label}" + (f"。{note}" if note else ""),
            target=locked,
            org_path=locked.organization.path,
            before={"phase": source.value},
            after={"phase": to.value},
        )
        if to == Phase.ACCEPTED:
            audit.record(
                actor=actor,
                verb="rectification.regrade_requested",
                summary=f"{locked.organization.name}整顿验收通过,申请重新评定等次",
                target=locked,
                org_path=locked.organization.path,
                after={"regrade_requested": True},
            )
    return locked


@transaction.atomic
def category_set_by_hand(
    *,
    actor: Any,
    organization: Organization,
    year: int,
    category: Category | str,
    reason: str,
    since: date | None = None,
) -> CategoryAssignment | None:
    """The district sets a category before any final grade exists (issue 4: "until then, by hand with a reason").

    Once a final grade exists for the year, the category follows the grade (C3) and cannot be set by hand.
    A 软弱涣散 category opens a case as the grade would, which is why it lives here, beside the cases, and not in
    ``rectification.services.categories`` (that module would otherwise import this one, which imports it).
    """
    require_on(actor, Perm.SUPERVISE, organization, "认定分类")
    if not reason.strip():
        raise ValidationError("手工认定分类须写明理由")
    if Assessment.objects.filter(organization=organization, campaign__year=year).exclude(final_grade="").exists():
        raise ValidationError(f"{organization.name}{year}年度已有最终等次,类别随等次确定,不能手工认定")
    since = since or timezone.localdate()
    row = category_assign(
        actor=actor,
        organization=organization,
        year=year,
        category=category,
        source=CategorySource.HAND,
        since=since,
        reason=reason.strip(),
    )
    if Category(category) == Category.WEAK:
        case_open_for_weak(actor=actor, organization=organization, year=year, opened_on=since, reason=reason.strip())
    return row
