"""Rules of a rectification case, as pure functions (no ORM, no settings): which categories get a case or a
liaison, and the case's phases with the table of moves between them.

Sources (the working plans of docs/domain.md, "Sources"): part 1 §三(二) (categories and what follows each); part 4
(a weak organization's rectification: phases, acceptance, "不达标不收队"). Every refusal is a Chinese message naming
the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import TextChoices

from grading.rules.grades import Category

# --- Categories (part 1 §三(二)1–4; the mapping itself lives in grading.rules, used here, never duplicated) ----

# Categories whose organization gets a rectification case: 软弱涣散 always and automatically (part 1 §三(二)4,
# C3), 后进 by hand when the township decides to (part 2 is such a case for a 后进 branch).
CASE_CATEGORIES = frozenset({Category.WEAK, Category.LAGGING})
# Part 1 §三(二)3: liaisons (挂点联系包干) for 后进; part 4 names a 挂点领导 for a 软弱涣散 organization too.
LIAISON_CATEGORIES = frozenset({Category.LAGGING, Category.WEAK})


# --- Case phases (part 4 §四: 查摆问题 → 整顿提高 → 检查验收) ---------------------------------------------------


class Phase(TextChoices):
    FINDING_PROBLEMS = "finding_problems", "查摆问题"
    RECTIFYING = "rectifying", "整顿提高"
    ACCEPTING = "accepting", "检查验收"
    ACCEPTED = "accepted", "已验收"


OPEN_PHASES = frozenset({Phase.FINDING_PROBLEMS, Phase.RECTIFYING, Phase.ACCEPTING})
# Phases in which the ledger (problems, measures, projects, targets) may still change.
LEDGER_EDITABLE_PHASES = OPEN_PHASES


@dataclass(frozen=True)
class PhaseMove:
    label: str
    # Moves out of 检查验收 are decided by an acceptance record only (part 4 §五(一) "整顿工作不达标,工作组不收队").
    by_acceptance_only: bool = False


PHASE_MOVES: dict[tuple[Phase, Phase], PhaseMove] = {
    (Phase.FINDING_PROBLEMS, Phase.RECTIFYING): PhaseMove("完成查摆问题,进入整顿提高"),
    (Phase.RECTIFYING, Phase.ACCEPTING): PhaseMove("整改完成,申请检查验收"),
    (Phase.ACCEPTING, Phase.RECTIFYING): PhaseMove("验收未通过,退回整顿提高", by_acceptance_only=True),
    (Phase.ACCEPTING, Phase.ACCEPTED): PhaseMove("验收通过,结案", by_acceptance_only=True),
}


def phase_move(source: Phase | str, target: Phase | str) -> PhaseMove | None:
    return PHASE_MOVES.get((Phase(source), Phase(target)))


def allowed_targets(source: Phase | str) -> list[Phase]:
    return [t for (s, t) in PHASE_MOVES if s == Phase(source)]


def move_problems(
    source: Phase | str,
    target: Phase | str,
    *,
    problems: int,
    problems_without_measures: int,
    measures_not_done: int,
    acceptance_passed: bool | None = None,
) -> list[str]:
    """Why this move cannot be made now (empty: it can). ``acceptance_passed`` is None when no acceptance decides."""
    source, target = Phase(source), Phase(target)
    move = phase_move(source, target)
    if move is None:
        return [f"整顿案件处于“{source.label}”阶段,不能转到“{target.label}”"]
    if move.by_acceptance_only and acceptance_passed is None:
        if target == Phase.ACCEPTED:
            return ["只有验收通过才能结案(整顿工作不达标,工作组不收队:第四篇五(一))"]
        return ["退回整顿提高须通过验收记录作出(列明不满意事项和整改期限)"]
    if target == Phase.ACCEPTED and not acceptance_passed:
        return ["验收未通过,不能结案(整顿工作不达标,工作组不收队:第四篇五(一))"]
    if target == Phase.RECTIFYING and source == Phase.ACCEPTING and acceptance_passed:
        return ["验收已通过,应结案而不是退回整顿提高"]
    found: list[str] = []
    if target == Phase.RECTIFYING and source == Phase.FINDING_PROBLEMS:
        # Part 4 §四(一): the problems are sorted into a ledger with a solution for each (建立台帐,提出解决方案).
        if problems == 0:
            found.append("尚未查摆出任何问题,请先登记问题并建立整改台账(第四篇四(一))")
        if problems_without_measures:
            found.append(f"有{problems_without_measures}个问题尚未制定整改措施(第一篇三(二)4:逐个明确整改目标和措施)")
    if target == Phase.ACCEPTING and measures_not_done:
        found.append(f"还有{measures_not_done}项整改措施未完成,完成后才能申请检查验收")
    return found
