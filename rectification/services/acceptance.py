"""Acceptance (检查验收, part 4 §四(三)) and supervision (督查, part 1 §三(二)4, part 4 §五(二)).

Only a passed acceptance closes a case ("整顿工作不达标,工作组不收队", part 4 §五(一)). A failed one sends the case back
to 整顿提高: each item the representatives were not satisfied with gets a deadline and re-enters the ledger as a
measure, so overdue checks, progress and the next acceptance see it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core import audit
from organizations.models import Organization
from organizations.roles import Perm
from organizations.scope import can
from rectification.access import may_accept
from rectification.models import (
    Acceptance,
    AcceptanceIssue,
    Case,
    Measure,
    Problem,
    SupervisionLevel,
    SupervisionVisit,
)
from rectification.rules import acceptance as acceptance_rules
from rectification.rules.acceptance import InspectionItem
from rectification.rules.cases import Phase
from rectification.rules.ledger import ProblemCategory, ProblemSource
from rectification.services.cases import case_transition, lock_case
from rectification.services.regrade import regrade_file


def acceptance_policy() -> acceptance_rules.AcceptancePolicy:
    """The pass rule; settings may override it: ``RECTIFICATION_ACCEPTANCE_POLICY = {"min_satisfied_share": "3/4"}``.

    Unknown keys are an error at the first acceptance, not silently ignored.
    """
    overrides = dict(getattr(settings, "RECTIFICATION_ACCEPTANCE_POLICY", {}) or {})
    if "min_satisfied_share" in overrides:
        overrides["min_satisfied_share"] = Fraction(str(overrides["min_satisfied_share"]))
    return acceptance_rules.AcceptancePolicy(**overrides)


@dataclass(frozen=True)
class Inspection:
    passed: bool
    findings: str = ""


@dataclass(frozen=True)
class UnsatisfiedItem:
    text: str
    deadline: date
    responsible: str = ""


def _input_problems(
    *,
    self_check: str,
    tally: acceptance_rules.Satisfaction,
    inspections: Mapping[str, Inspection],
    items: list[UnsatisfiedItem],
    held_on: date,
) -> list[str]:
    """What is missing or wrong in the acceptance's input (empty: it can be recorded)."""
    found: list[str] = []
    if not self_check.strip():
        found.append("请填写对照整顿方案的自查自纠情况(第四篇四(三))")
    found += acceptance_rules.satisfaction_errors(tally)
    missing = [InspectionItem(k).label for k in InspectionItem.values if k not in inspections]
    if missing:
        found.append("请填写检查考核情况:" + "、".join(missing))
    for item in items:
        if not item.text.strip():
            found.append("不满意事项的内容不能为空")
        elif item.deadline <= held_on:
            found.append(f"不满意事项“{item.text.strip()[:20]}”的整改期限须晚于验收日期{held_on}")
    return found


def _items_into_ledger(case: Case, acceptance: Acceptance, items: list[UnsatisfiedItem], held_on: date) -> None:
    """Part 4 §四(三): each unsatisfied item re-enters the ledger as a measure with its deadline."""
    problem = Problem.objects.create(
        case=case,
        category=ProblemCategory.OTHER,
        source=ProblemSource.ACCEPTANCE,
        description=f"{held_on}检查验收中代表不满意的事项",
    )
    for item in items:
        measure = Measure.objects.create(
            problem=problem,
            text=item.text.strip(),
            responsible=item.responsible.strip() or case.work_group_leader or "整顿工作组",
            deadline=item.deadline,
        )
        AcceptanceIssue.objects.create(
            acceptance=acceptance, text=item.text.strip(), deadline=item.deadline, measure=measure
        )


def _lock_for_acceptance(actor: Any, case: Case) -> Case:
    """The case, locked, once the actor may accept it and it is in 检查验收."""
    locked = lock_case(case)
    if not may_accept(actor, locked):
        raise PermissionDenied(f"您没有权限对{locked.organization.name}的整顿进行检查验收")
    if locked.phase != Phase.ACCEPTING:
        raise ValidationError(
            f"{locked.organization.name}的整顿处于“{locked.get_phase_display()}”阶段,申请检查验收后才能验收"
        )
    return locked


def acceptance_record(
    *,
    actor: Any,
    case: Case,
    held_on: date,
    self_check: str,
    representatives_total: int,
    satisfied: int,
    basically_satisfied: int,
    unsatisfied: int,
    inspections: Mapping[str, Inspection],
    items: Iterable[UnsatisfiedItem] = (),
    opinion: str = "",
) -> Acceptance:
    """Record one acceptance; the rule decides pass or fail. Pass closes the case and asks for re-grading; fail
    returns it to 整顿提高 with the unsatisfied items and their deadlines (at least one is required)."""
    items = list(items)
    with transaction.atomic():
        locked = _lock_for_acceptance(actor, case)
        tally = acceptance_rules.Satisfaction(representatives_total, satisfied, basically_satisfied, unsatisfied)
        found = _input_problems(
            self_check=self_check, tally=tally, inspections=inspections, items=items, held_on=held_on
        )
        if found:
            raise ValidationError(found)
        result = acceptance_rules.evaluate_acceptance(
            tally,
            {k: v.passed for k, v in inspections.items()},
            unsatisfied_items=len(items),
            policy=acceptance_policy(),
        )
        if not result.passed and not items:
            raise ValidationError("验收未通过:请列出需限期整改的事项和期限(第四篇四(三):对不满意的事项进行限期整改)")
        acceptance = Acceptance.objects.create(
            case=locked,
            held_on=held_on,
            self_check=self_check.strip(),
            representatives_total=representatives_total,
            satisfied=satisfied,
            basically_satisfied=basically_satisfied,
            unsatisfied=unsatisfied,
            passed=result.passed,
            reasons=";".join(result.reasons),
            opinion=opinion.strip(),
            decided_by=actor,
            **{f"{k}_passed": v.passed for k, v in inspections.items()},
            **{f"{k}_findings": v.findings.strip() for k, v in inspections.items()},
        )
        if items:
            _items_into_ledger(locked, acceptance, items, held_on)
        _acceptance_event(actor, locked, result, items)
        to = Phase.ACCEPTED if result.passed else Phase.RECTIFYING
        case_transition(actor=actor, case=locked, to=to, today=held_on, acceptance=acceptance)
        if result.passed:
            # Part 1 §三(三)1: the closed case asks grading for the re-grade (or waits for a final grade).
            regrade_file(case=locked, actor=actor)
    return acceptance


def _acceptance_event(
    actor: Any, case: Case, result: acceptance_rules.AcceptanceResult, items: list[UnsatisfiedItem]
) -> None:
    audit.record(
        actor=actor,
        verb="rectification.acceptance",
        summary=f"{case.organization.name}整顿检查验收{'通过' if result.passed else '未通过'}"
        + (f":{';'.join(result.reasons)}" if result.reasons else ""),
        target=case,
        org_path=case.organization.path,
        after={
            "passed": result.passed,
            "share": f"{float(result.share):.4f}",
            "items": [f"{i.text.strip()[:40]}({i.deadline})" for i in items],
        },
    )


@transaction.atomic
def supervision_visit_record(
    *,
    actor: Any,
    organization: Organization,
    visited_on: date,
    findings: str,
    case: Case | None = None,
    follow_up: str = "",
    follow_up_due: date | None = None,
) -> SupervisionVisit:
    """A supervision visit: by the district (part 1 §三(二)4: 不定期督查, results circulated) or by the township's
    supervision group (part 4 §五(二): 街道党委成立督导检查组). The level follows the actor's permission."""
    if case is not None:
        case = lock_case(case)
        organization = case.organization
    if can(actor, Perm.SUPERVISE, organization):
        level = SupervisionLevel.DISTRICT
    elif can(actor, Perm.MANAGE_CASES, organization):
        level = SupervisionLevel.TOWNSHIP
    else:
        raise PermissionDenied(f"您没有权限对{organization.name}进行督查")
    if not findings.strip():
        raise ValidationError("请填写督查发现的情况")
    if follow_up_due is not None and follow_up_due < visited_on:
        raise ValidationError("整改期限不能早于督查日期")
    visit = SupervisionVisit.objects.create(
        organization=organization,
        case=case,
        level=level,
        visited_on=visited_on,
        findings=findings.strip(),
        follow_up=follow_up.strip(),
        follow_up_due=follow_up_due,
        by=actor,
    )
    audit.record(
        actor=actor,
        verb="rectification.supervision",
        summary=f"{visit.get_level_display()}:{organization.name}({visited_on})",
        target=case if case is not None else visit,
        org_path=organization.path,
        after={"findings": visit.findings[:200], "follow_up": visit.follow_up[:200]},
    )
    return visit
