"""The ledger (整改台账): problems, measures, projects and development targets (MANAGE_CASES); the progress notes and
evidence files reported against it are in ``rectification.services.progress``.

Every write locks the case, checks the permission on its organization and that the case is still open, and leaves
an audit event on the case so its page can show one timeline.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from core import audit
from organizations.roles import Perm
from rectification.access import require_on
from rectification.events import tracker_choices
from rectification.models import Case, DevelopmentTarget, Measure, Problem, Project
from rectification.rules import ledger as ledger_rules
from rectification.services.cases import lock_case

PROBLEM_FIELDS = ("category", "source", "description")
MEASURE_FIELDS = ("text", "responsible", "deadline", "budget", "spent", "status", "percent", "tracks")
PROJECT_FIELDS = ("name", "investment", "percent", "completed", "completed_on", "planned_completion")
TARGET_FIELDS = ("kind", "person_name", "birth_date", "education", "since")


def lock_open_case(actor: Any, case: Case, perm: Perm, what: str) -> Case:
    """The case, locked, once the actor holds ``perm`` on its organization and it is still open."""
    locked = lock_case(case)
    require_on(actor, perm, locked.organization, what)
    if not locked.is_open:
        raise ValidationError(f"{locked.organization.name}的整顿已验收结案,台账不能再修改")
    return locked


def _apply(obj: models.Model, fields: tuple[str, ...], values: dict[str, Any]) -> tuple[dict, dict]:
    unknown = set(values) - set(fields)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    before = audit.snapshot(obj, values)
    for name, value in values.items():
        setattr(obj, name, value.strip() if isinstance(value, str) else value)
    return before, audit.snapshot(obj, values)


def _clean(obj: models.Model, extra: list[str] | None = None) -> None:
    problems = list(extra or [])
    try:
        obj.full_clean()
    except ValidationError as exc:
        problems += exc.messages
    if problems:
        raise ValidationError(problems)


# --- Problems ---------------------------------------------------------------------------------------------


@transaction.atomic
def problem_create(*, actor: Any, case: Case, category: str, source: str, description: str) -> Problem:
    locked = lock_open_case(actor, case, Perm.MANAGE_CASES, "登记问题")
    problem = Problem(case=locked, category=category, source=source, description=description.strip())
    _clean(problem)
    problem.save()
    audit.record_on(
        locked,
        actor=actor,
        verb="rectification.problem_create",
        summary=f"登记问题:{problem.description[:60]}",
        after={"category": category},
    )
    return problem


@transaction.atomic
def problem_update(*, actor: Any, problem: Problem, **values: Any) -> Problem:
    locked = lock_open_case(actor, problem.case, Perm.MANAGE_CASES, "修改问题")
    problem = Problem.objects.get(pk=problem.pk)
    before, after = _apply(problem, PROBLEM_FIELDS, values)
    _clean(problem)
    problem.save()
    old, new = audit.changed(before, after)
    audit.record_on(
        locked,
        actor=actor,
        verb="rectification.problem_update",
        summary=f"修改问题:{problem.description[:60]}",
        before=old,
        after=new,
    )
    return problem


@transaction.atomic
def problem_delete(*, actor: Any, problem: Problem) -> None:
    locked = lock_open_case(actor, problem.case, Perm.MANAGE_CASES, "删除问题")
    if Measure.objects.filter(problem=problem, acceptance_issue__isnull=False).exists():
        raise ValidationError("该问题含验收不满意事项,不能删除")
    audit.record_on(
        locked,
        actor=actor,
        verb="rectification.problem_delete",
        summary=f"删除问题:{problem.description[:60]}",
        before={"pk": problem.pk},
    )
    problem.delete()


# --- Measures ---------------------------------------------------------------------------------------------


def _measure_checks(m: Measure) -> list[str]:
    found = ledger_rules.measure_problems(m.status, m.percent)
    found += ledger_rules.money_problems(m.budget, "预算")
    found += ledger_rules.money_problems(m.spent, "已支出")
    if m.tracks and m.tracks not in dict(tracker_choices()):
        found.append("对照的记录不存在,请重新选择")
    return found


@transaction.atomic
def measure_create(
    *,
    actor: Any,
    problem: Problem,
    text: str,
    responsible: str,
    deadline: date,
    budget: Decimal | None = None,
    spent: Decimal = Decimal("0"),
    tracks: str = "",
) -> Measure:
    locked = lock_open_case(actor, problem.case, Perm.MANAGE_CASES, "制定整改措施")
    measure = Measure(
        problem=problem,
        text=text.strip(),
        responsible=responsible.strip(),
        deadline=deadline,
        budget=budget,
        spent=spent,
        tracks=tracks,
    )
    _clean(measure, _measure_checks(measure))
    measure.save()
    audit.record_on(
        locked,
        actor=actor,
        verb="rectification.measure_create",
        summary=f"制定整改措施:{measure.text[:60]}(责任人{measure.responsible},时限{deadline})",
        after={"deadline": deadline.isoformat(), "budget": str(budget or "")},
    )
    return measure


@transaction.atomic
def measure_update(*, actor: Any, measure: Measure, today: date | None = None, **values: Any) -> Measure:
    """Edit a measure; a status without a percent (or the reverse) is made consistent (done ⇔ 100%)."""
    locked = lock_open_case(actor, measure.problem.case, Perm.MANAGE_CASES, "修改整改措施")
    measure = Measure.objects.get(pk=measure.pk)
    if "status" in values and "percent" not in values:
        if values["status"] == ledger_rules.MeasureStatus.DONE:
            values["percent"] = ledger_rules.PERCENT_DONE
        elif values["status"] == ledger_rules.MeasureStatus.PLANNED:
            values["percent"] = 0
    elif "percent" in values and "status" not in values:
        values["status"] = ledger_rules.status_for_percent(int(values["percent"]))
    before, after = _apply(measure, MEASURE_FIELDS, values)
    mark_done(measure, today)
    _clean(measure, _measure_checks(measure))
    measure.save()
    old, new = audit.changed(before, after)
    audit.record_on(
        locked,
        actor=actor,
        verb="rectification.measure_update",
        summary=f"修改整改措施:{measure.text[:60]}",
        before=old,
        after=new,
    )
    return measure


def mark_done(measure: Measure, today: date | None) -> None:
    if measure.status == ledger_rules.MeasureStatus.DONE and measure.done_on is None:
        measure.done_on = today or timezone.localdate()
    elif measure.status != ledger_rules.MeasureStatus.DONE:
        measure.done_on = None


@transaction.atomic
def measure_delete(*, actor: Any, measure: Measure) -> None:
    locked = lock_open_case(actor, measure.problem.case, Perm.MANAGE_CASES, "删除整改措施")
    if hasattr(measure, "acceptance_issue"):
        raise ValidationError("验收不满意事项的整改措施不能删除")
    audit.record_on(
        locked,
        actor=actor,
        verb="rectification.measure_delete",
        summary=f"删除整改措施:{measure.text[:60]}",
        before={"pk": measure.pk},
    )
    measure.delete()


# --- Projects ---------------------------------------------------------------------------------------------


def _project_checks(p: Project) -> list[str]:
    found = ledger_rules.money_problems(p.investment, "投资")
    if not 0 <= p.percent <= ledger_rules.PERCENT_DONE:
        found.append(f"完成进度须在0–100%之间(收到{p.percent}%)")
    if p.completed and p.completed_on is None:
        found.append("已竣工的项目请填写竣工日期")
    return found


@transaction.atomic
def project_create(
    *,
    actor: Any,
    case: Case,
    name: str,
    investment: Decimal | None = None,
    planned_completion: date | None = None,
) -> Project:
    locked = lock_open_case(actor, case, Perm.MANAGE_CASES, "登记整顿项目")
    project = Project(case=locked, name=name.strip(), investment=investment, planned_completion=planned_completion)
    _clean(project, _project_checks(project))
    project.save()
    audit.record_on(
        locked,
        actor=actor,
        verb="rectification.project_create",
        summary=f"登记项目:{project.name}",
        after={"investment": str(investment or "")},
    )
    return project


@transaction.atomic
def project_update(*, actor: Any, project: Project, **values: Any) -> Project:
    locked = lock_open_case(actor, project.case, Perm.MANAGE_CASES, "修改整顿项目")
    project = Project.objects.get(pk=project.pk)
    before, after = _apply(project, PROJECT_FIELDS, values)
    if project.completed:
        project.percent = ledger_rules.PERCENT_DONE
    _clean(project, _project_checks(project))
    project.save()
    old, new = audit.changed(before, after)
    audit.record_on(
        locked,
        actor=actor,
        verb="rectification.project_update",
        summary=f"修改项目:{project.name}",
        before=old,
        after=new,
    )
    return project


@transaction.atomic
def project_delete(*, actor: Any, project: Project) -> None:
    locked = lock_open_case(actor, project.case, Perm.MANAGE_CASES, "删除整顿项目")
    audit.record_on(
        locked,
        actor=actor,
        verb="rectification.project_delete",
        summary=f"删除项目:{project.name}",
        before={"pk": project.pk},
    )
    project.delete()


# --- Development targets (part 2 §五(六)) -------------------------------------------------------------------


def _target_checks(t: DevelopmentTarget) -> list[str]:
    if t.birth_date is None or t.since is None:
        return []
    return [
        f"{t.person_name}:{m}"
        for m in ledger_rules.development_person_problems(birth_date=t.birth_date, education=t.education, on=t.since)
    ]


@transaction.atomic
def target_create(
    *, actor: Any, case: Case, kind: str, person_name: str, birth_date: date, education: str, since: date
) -> DevelopmentTarget:
    locked = lock_open_case(actor, case, Perm.MANAGE_CASES, "登记党员发展培养对象")
    target = DevelopmentTarget(
        case=locked, kind=kind, person_name=person_name.strip(), birth_date=birth_date, education=education, since=since
    )
    _clean(target, _target_checks(target))
    target.save()
    audit.record_on(
        locked,
        actor=actor,
        verb="rectification.target_create",
        summary=f"登记{target.get_kind_display()}{target.person_name}",
        after={"kind": kind, "education": education},
    )
    return target


@transaction.atomic
def target_update(*, actor: Any, target: DevelopmentTarget, **values: Any) -> DevelopmentTarget:
    locked = lock_open_case(actor, target.case, Perm.MANAGE_CASES, "修改党员发展培养对象")
    target = DevelopmentTarget.objects.get(pk=target.pk)
    before, after = _apply(target, TARGET_FIELDS, values)
    _clean(target, _target_checks(target))
    target.save()
    old, new = audit.changed(before, after)
    audit.record_on(
        locked,
        actor=actor,
        verb="rectification.target_update",
        summary=f"修改培养对象{target.person_name}",
        before=old,
        after=new,
    )
    return target


@transaction.atomic
def target_delete(*, actor: Any, target: DevelopmentTarget) -> None:
    locked = lock_open_case(actor, target.case, Perm.MANAGE_CASES, "删除党员发展培养对象")
    audit.record_on(
        locked,
        actor=actor,
        verb="rectification.target_delete",
        summary=f"删除培养对象{target.person_name}",
        before={"pk": target.pk},
    )
    target.delete()
