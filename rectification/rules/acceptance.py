"""Rules of the acceptance (检查验收, part 4 §四(三), §五(一)), as pure functions (no ORM, no settings): the
inspection items, the representatives' satisfaction counts and the pass rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import TextChoices

from fixtures import reader

_LISTS = reader.rectification_lists()

# --- Acceptance (part 4 §四(三), §五(一)) -----------------------------------------------------------------------


# Part 4 §四(三): "采取听汇报、查资料、看现场、访群众等方式" (fixtures/rectification.json, inspection_items).
InspectionItem = TextChoices(
    "InspectionItem",
    reader.choice_members(
        _LISTS.inspection_items, required=("report", "records", "site", "masses"), what="检查验收方式(inspection_items)"
    ),
    module=__name__,
)


@dataclass(frozen=True)
class AcceptancePolicy:
    """When an acceptance passes. The source gives no number [L]: local practice, configurable in settings.

    * ``min_satisfied_share``: the share of all representatives (member and resident representatives, part 4
      §四(三)) who are satisfied; default 2/3, the usual qualified majority.
    * ``count_basically_satisfied``: 基本满意 counts as satisfied (the common 满意率 = (满意 + 基本满意) / 总数).
    * ``require_all_inspections``: every one of 听汇报/查资料/看现场/访群众 must be passed.
    * ``items_block_pass``: an acceptance that leaves unsatisfied items to rectify within a deadline is not a pass:
      the work group stays until they are done ("不达标不收队").
    """

    min_satisfied_share: Fraction = Fraction(2, 3)
    count_basically_satisfied: bool = True
    require_all_inspections: bool = True
    items_block_pass: bool = True


DEFAULT_ACCEPTANCE_POLICY = AcceptancePolicy()


@dataclass(frozen=True)
class Satisfaction:
    total: int
    satisfied: int
    basically_satisfied: int
    unsatisfied: int


def satisfaction_errors(s: Satisfaction) -> list[str]:
    """Count checks of the representatives' evaluation (numbered like the tally checks: they block saving)."""
    found: list[str] = []
    if min(s.total, s.satisfied, s.basically_satisfied, s.unsatisfied) < 0:
        found.append("测评人数不能为负数")
        return found
    if s.total == 0:
        found.append("S1:参加测评的代表人数须大于0")
    voted = s.satisfied + s.basically_satisfied + s.unsatisfied
    if voted > s.total:
        found.append(
            f"S2:满意{s.satisfied}+基本满意{s.basically_satisfied}+不满意{s.unsatisfied}={voted},超过参加测评代表{s.total}人"
        )
    return found


def satisfied_share(s: Satisfaction, policy: AcceptancePolicy = DEFAULT_ACCEPTANCE_POLICY) -> Fraction:
    """Over all representatives: one who did not mark a choice is not counted as satisfied."""
    if s.total <= 0:
        return Fraction(0)
    yes = s.satisfied + (s.basically_satisfied if policy.count_basically_satisfied else 0)
    return Fraction(yes, s.total)


@dataclass(frozen=True)
class AcceptanceResult:
    passed: bool
    reasons: tuple[str, ...]  # why it did not pass (empty when passed)
    share: Fraction


def evaluate_acceptance(
    s: Satisfaction,
    inspections: Mapping[str, bool],
    *,
    unsatisfied_items: int,
    policy: AcceptancePolicy = DEFAULT_ACCEPTANCE_POLICY,
) -> AcceptanceResult:
    share = satisfied_share(s, policy)
    reasons: list[str] = []
    if share < policy.min_satisfied_share:
        reasons.append(
            f"代表满意率{_percent(share)},低于{_percent(policy.min_satisfied_share)}"
            f"(满意{s.satisfied}、基本满意{s.basically_satisfied},共{s.total}人)"
        )
    if policy.require_all_inspections:
        failed = [InspectionItem(k).label for k in InspectionItem.values if not inspections.get(k, False)]
        if failed:
            reasons.append("检查考核未通过:" + "、".join(failed))
    if policy.items_block_pass and unsatisfied_items:
        reasons.append(f"代表不满意事项{unsatisfied_items}项尚须限期整改")
    return AcceptanceResult(passed=not reasons, reasons=tuple(reasons), share=share)


def _percent(value: Fraction) -> str:
    return f"{float(value) * 100:.1f}%"
