"""The joint qualification review (资格联审) of a candidate, as pure functions: which departments must answer, what a
refusal (不同意) does, and when the county's group may re-review and the candidate may be confirmed.

Source: 第五篇 五(四) step 15, "县委组织部会同纪委监委、法院、检察院……民宗局等部门,对……候选人初步人选进行资格
联审,并报县村(社区)'两委'换届工作领导小组复审". The departments are reference data
(``fixtures/joint_review_departments.json``). Rules:

* Q1: every listed department gives its opinion on every candidate (同意, or 不同意 with its reason); one 不同意 stops
  the candidate, and the reason is what the township and the village read.
* Q2: the county's group re-reviews (复审) a candidate only once every department has answered; a candidate is
  confirmed (the township's approval of the list, step 18) only when every department agreed and the re-review
  agreed too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from elections.rules.failures import Failure
from fixtures.reader import joint_review_departments

_DATA = joint_review_departments()
# Q1: the departments in the plan's order, code → name.
DEPARTMENTS: dict[str, str] = {d.code: d.label for d in _DATA.departments}
LEAD = _DATA.lead  # 县委组织部 convenes the review
REREVIEW_BODY = _DATA.rereview_body  # Q2: 县村(社区)“两委”换届工作领导小组
REASON_MAX = 200


@dataclass(frozen=True)
class Opinion:
    """One department's answer on one candidate."""

    department: str  # a code of DEPARTMENTS
    agreed: bool
    reason: str = ""
    given_on: date | None = None


@dataclass(frozen=True)
class ReReview:
    """The county group's re-review (Q2) of one candidate."""

    agreed: bool
    reason: str = ""


@dataclass(frozen=True)
class ReviewState:
    """Where one candidate's joint review stands."""

    missing: tuple[str, ...]  # names of the departments that have not answered, in the plan's order
    refusals: tuple[tuple[str, str], ...]  # (department name, reason) of every 不同意
    rereview: ReReview | None
    answered: int = 0
    required: int = 0

    @property
    def all_answered(self) -> bool:
        return not self.missing

    @property
    def blocked(self) -> bool:
        """Q1/Q2: a department or the re-review said 不同意."""
        return bool(self.refusals) or (self.rereview is not None and not self.rereview.agreed)

    @property
    def cleared(self) -> bool:
        """Q2: every department agreed and the re-review agreed: the candidate may be confirmed."""
        return self.all_answered and not self.blocked and self.rereview is not None

    @property
    def label(self) -> str:
        if self.blocked:
            return "联审未通过"
        if self.cleared:
            return "联审通过"
        if self.all_answered:
            return "待复审"
        return f"联审中({self.answered}/{self.required})"


def review_state(
    opinions: Iterable[Opinion], rereview: ReReview | None, departments: Mapping[str, str] = DEPARTMENTS
) -> ReviewState:
    """Q1/Q2: the state of one candidate's review from the opinions recorded (unknown departments are ignored: a
    department taken off the list no longer counts)."""
    given = {o.department: o for o in opinions if o.department in departments}
    missing = tuple(name for code, name in departments.items() if code not in given)
    refusals = tuple(
        (departments[code], given[code].reason) for code in departments if code in given and not given[code].agreed
    )
    return ReviewState(
        missing=missing, refusals=refusals, rereview=rereview, answered=len(given), required=len(departments)
    )


def check_opinion(
    department: str, agreed: bool, reason: str, departments: Mapping[str, str] = DEPARTMENTS
) -> list[Failure]:
    """Q1: an opinion names a department of the list; a 不同意 says why (the township and the village read it)."""
    if department not in departments:
        return [Failure("Q1", "请选择资格联审部门(第五篇第15步所列部门)")]
    if not agreed and not reason.strip():
        return [Failure("Q1", f"{departments[department]}不同意的,须填写理由")]
    if len(reason) > REASON_MAX:
        return [Failure("Q1", f"理由不超过{REASON_MAX}字")]
    return []


def check_rereview(name: str, state: ReviewState, agreed: bool, reason: str) -> list[Failure]:
    """Q2: the group re-reviews once every department has answered; a 不同意 says why."""
    if not state.all_answered:
        return [
            Failure(
                "Q2",
                f"{name}尚有{len(state.missing)}个部门未反馈联审意见({'、'.join(state.missing)}),"
                f"{REREVIEW_BODY}暂不能复审",
            )
        ]
    if not agreed and not reason.strip():
        return [Failure("Q2", f"复审不同意{name}的,须填写理由")]
    return []


def confirm_failures(name: str, state: ReviewState) -> list[Failure]:
    """Q1/Q2: why the candidate cannot be confirmed yet (empty: cleared). Messages name the departments and reasons."""
    if state.refusals:
        said = ";".join(f"{dept}不同意:{reason}" for dept, reason in state.refusals)
        return [Failure("Q1", f"{name}资格联审未通过({said})")]
    if state.rereview is not None and not state.rereview.agreed:
        return [Failure("Q2", f"{name}经{REREVIEW_BODY}复审不同意:{state.rereview.reason}")]
    if state.missing:
        return [Failure("Q1", f"{name}资格联审尚有{len(state.missing)}个部门未反馈意见:{'、'.join(state.missing)}")]
    if state.rereview is None:
        return [Failure("Q2", f"{name}资格联审意见已齐全,尚待{REREVIEW_BODY}复审")]
    return []
