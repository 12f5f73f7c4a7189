"""Rules of differentiated management and rectification, as pure functions (no ORM, no settings).

Sources (the working plans of docs/domain.md, "Sources"): part 1 §三(二) (categories and what follows each), §三(三)
(year-end re-grading); part 2 (a lagging branch's rectification: six typical problems, member-development targets);
part 4 (a weak organization's rectification: phases, problem sources, acceptance, "不达标不收队").
Every threshold is a named constant with its source; every refusal is a Chinese message naming the rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.db.models import TextChoices

from fixtures import reader
from grading.rules import Category, Grade, category_for_grade
from organizations.rules import HIGH_SCHOOL_OR_ABOVE
from rectification.upload_rules import (
    UPLOAD_HEAD_BYTES,
    UPLOAD_HINT,
    UPLOAD_MAX_BYTES,
    UPLOAD_TYPES,
    content_type_for,
    display_name,
    stored_name,
    upload_extension,
    upload_problems,
)

__all__ = [
    "UPLOAD_HEAD_BYTES",
    "UPLOAD_HINT",
    "UPLOAD_MAX_BYTES",
    "UPLOAD_TYPES",
    "Category",
    "Grade",
    "category_for_grade",
    "content_type_for",
    "display_name",
    "stored_name",
    "upload_extension",
    "upload_problems",
]

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


# --- Problems (part 2 §三 six kinds; part 4 §三 difficulties; free text) ------------------------------------


# The lists are data: fixtures/rectification.json (with each entry's source). The file may add entries and reword
# labels; the codes that stored rows, the acceptance and the demo name must stay, so a file without them is refused
# when this module loads.
_LISTS = reader.rectification_lists()
_NAMED_PROBLEM_CATEGORIES = (
    "system_nominal",
    "openness_irregular",
    "security_petitions",
    "no_venue",
    "poor_service",
    "no_new_members",
    "disunited_team",
    "funding_difficult",
    "other",
)
_NAMED_PROBLEM_SOURCES = ("self_check", "visits", "forum", "petition", "acceptance")

# Part 2 §三 (1)–(6) the six typical problems; part 4 §三 一、二、三 the difficulties; 其他.
ProblemCategory = TextChoices(
    "ProblemCategory",
    reader.choice_members(
        _LISTS.problem_categories, required=_NAMED_PROBLEM_CATEGORIES, what="问题类别(problem_categories)"
    ),
    module=__name__,
)
# Part 4 §四(一): 两委自查; 驻点接待及走访群众; 党员、居民代表、外出人员代表座谈会. Petitions (信访): part 2 §三(3),
# §五(七). Part 4 §四(三): 对代表们不满意的事项进行限期整改 — items from a failed acceptance re-enter the ledger.
ProblemSource = TextChoices(
    "ProblemSource",
    reader.choice_members(_LISTS.problem_sources, required=_NAMED_PROBLEM_SOURCES, what="问题来源(problem_sources)"),
    module=__name__,
)


# --- Measures, progress, overdue, stalled -------------------------------------------------------------------


class MeasureStatus(TextChoices):
    PLANNED = "planned", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"


PERCENT_DONE = 100
# "Stalled": no progress note in 30 days (issue 4 §6). Counted like every window here (RULES.md D1): the 30 days
# start the day after the last note, so a note on 06-01 keeps the case active through 07-01 and 07-02 is stalled.
STALLED_AFTER_DAYS = 30


def measure_problems(status: str, percent: int) -> list[str]:
    found: list[str] = []
    if not 0 <= percent <= PERCENT_DONE:
        found.append(f"完成进度须在0–100%之间(收到{percent}%)")
    elif status == MeasureStatus.DONE and percent != PERCENT_DONE:
        found.append("已完成的措施进度应为100%")
    elif status == MeasureStatus.PLANNED and percent != 0:
        found.append("未开始的措施进度应为0%")
    elif status == MeasureStatus.IN_PROGRESS and percent == PERCENT_DONE:
        found.append("进度为100%的措施应标为已完成")
    return found


def status_for_percent(percent: int) -> MeasureStatus:
    if percent >= PERCENT_DONE:
        return MeasureStatus.DONE
    return MeasureStatus.IN_PROGRESS if percent > 0 else MeasureStatus.PLANNED


def effective_percent(status: str, percent: int) -> int:
    """What a measure counts for in the case's progress: done is 100, planned is 0, in progress its own share."""
    if status == MeasureStatus.DONE:
        return PERCENT_DONE
    if status == MeasureStatus.PLANNED:
        return 0
    return percent


def case_progress(measures: Iterable[tuple[str, int]]) -> int:
    """A case's progress (0–100) rolls up from its measures, each counting equally; no measures → 0."""
    values = [effective_percent(s, p) for s, p in measures]
    if not values:
        return 0
    return int(Fraction(sum(values), len(values)))  # floor: 99.9% is not done


def is_overdue(deadline: date | None, status: str, today: date) -> bool:
    """Deadlines are calendar dates (part 2/4 set months and dates, not working days): overdue the day after."""
    return deadline is not None and status != MeasureStatus.DONE and today > deadline


def is_stalled(last_activity: date, today: date) -> bool:
    """``last_activity``: the last progress note's date, or the opening date when there is none."""
    return (today - last_activity).days > STALLED_AFTER_DAYS


# --- Member development (part 2 §五(六)) --------------------------------------------------------------------


# Part 2 §五(六): "培养成积极分子3名,发展对象2名,发展党员1名" (fixtures/rectification.json, development_targets).
TargetKind = TextChoices(
    "TargetKind",
    reader.choice_members(
        _LISTS.development_targets,
        required=("activist", "development_target", "new_member"),
        what="发展党员目标(development_targets)",
    ),
    module=__name__,
)
DEVELOPMENT_TARGETS: dict[str, int] = {TargetKind(t.code): t.need for t in _LISTS.development_targets}
# Part 2 §五(六): "年龄在35岁以下" — 以下 includes the number (RULES.md, 民法典 Art. 1259): 35 is allowed.
DEVELOPMENT_MAX_AGE = 35


def age_on(birth_date: date, day: date) -> int:
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def development_person_problems(*, birth_date: date, education: str, on: date) -> list[str]:
    """Part 2 §五(六): 35 or younger and high school or above (HIGH_SCHOOL_OR_ABOVE, the roster's own reading)."""
    found: list[str] = []
    age = age_on(birth_date, on)
    if age > DEVELOPMENT_MAX_AGE:
        found.append(f"年龄{age}岁,超过35岁(第二篇五(六):年龄在35岁以下)")
    if education not in HIGH_SCHOOL_OR_ABOVE:
        found.append("文化程度须为高中以上(第二篇五(六))")
    return found


@dataclass(frozen=True)
class TargetCount:
    kind: TargetKind
    have: int
    need: int

    @property
    def met(self) -> bool:
        return self.have >= self.need


def development_check(counts: Mapping[str, int]) -> list[TargetCount]:
    """Each kind's count against part 2's target, in the order of the plan."""
    return [TargetCount(kind, counts.get(kind, 0), need) for kind, need in DEVELOPMENT_TARGETS.items()]


def development_targets_met(counts: Mapping[str, int]) -> bool:
    return all(t.met for t in development_check(counts))


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


# --- Money (万元) -------------------------------------------------------------------------------------------

# Part 2 §五(三) budgets in 万元 (3万元, 10万元): two decimals is 100 yuan, enough for a ledger.
MONEY_PLACES = Decimal("0.01")
MONEY_MAX = Decimal("99999999.99")


def money_problems(value: Decimal | None, what: str) -> list[str]:
    if value is None:
        return []
    if value < 0:
        return [f"{what}不能为负数"]
    if value > MONEY_MAX:
        return [f"{what}超出上限"]
    return []


# --- The year-end written report (part 1 §三(三)1–2) -------------------------------------------------------------

# Part 1 §三(三)1 puts the report in the step due "12月10日前" (the campaign's ``regrade_request_due``): a 软弱涣散
# case not accepted by that day owes it from the next day (``rectification.yearend_report.due_for``; day 1 is the day
# after, D1). The plan gives the report no date of its own after that, and 10 Dec itself cannot be it (the report is
# owed only once that day has passed). It is wanted for the district's re-grading, §三(三)2 "12月20日前" (the
# campaign's ``regrade_due``): that is the deadline the reminder names. Past it the reminder goes on, marked overdue,
# until the report is filed (the district board lists the case as missing for as long).


@dataclass(frozen=True)
class YearEndReportReminder:
    year: int  # the year-end the report is for
    cutoff: date  # the day that decided it is owed (10 Dec)
    deadline: date  # the district's re-grade (20 Dec)
    days_left: int  # 0 on the deadline, negative once it has passed

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def yearend_report_reminder(
    *, year: int, cutoff: date, deadline: date, filed: bool, today: date
) -> YearEndReportReminder | None:
    """Whether to remind today of the written report a case owes for ``year``'s year-end (the caller has found it
    owed: a 软弱涣散 case not accepted by ``cutoff``). None before the window (up to and including the cut-off day
    itself) and once the report is filed; otherwise every day, with the days left to ``deadline``."""
    if filed or today <= cutoff:
        return None
    return YearEndReportReminder(year=year, cutoff=cutoff, deadline=deadline, days_left=(deadline - today).days)
