"""Election rules (RULES.md part A, B3/B5 and source 第五篇 §三–§四) as pure functions: plain values in, no ORM.

Every threshold of the elections app is a named constant in this module or ``elections.eligibility``, with its
source. Words follow 民法典 Art. 1259: 以上/以下/以内/不超过 include the number; 超过/不满/以外 exclude it.

Sources: 选举条例 = 《中国共产党基层组织选举工作条例》(2020); 1990条例 = the provisional regulation it replaced;
"the plan" = ``seed-documents.txt`` 第五篇 (2018 village/community election pilot plan). Where the plan and the
guides (DOMAIN.md, RULES.md) disagree, the plan wins, and the docstring says so.

Candidate eligibility (§三(四)–(五)) is in ``elections.eligibility``, re-exported here. Checks return a list of
``Failure`` (``elections.failures``; empty: nothing to report). A failure with severity ``warning`` does not refuse
the candidate or the setup; it asks a person to confirm (an approved exception, a "原则上"/"一般" rule).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import TextChoices

# Eligibility lives in its own module; its names are re-exported here so that a check finds every election rule in
# ``elections.rules`` (the issue names this module for the eligibility checks).
from elections.eligibility import (  # noqa: F401
    COMMUNITY,
    DISCIPLINE_CAP_PERCENT,
    HIGH_SCHOOL_OR_ABOVE,
    MAX_AGE_MEMBER,
    MAX_AGE_SECRETARY,
    RURAL,
    YOUNG_MEMBER_MAX_AGE,
    BarringGround,
    CandidateFacts,
    Discipline,
    MemberFacts,
    SecretaryGround,
    age_on,
    check_candidate,
    check_discipline_cap,
    composition_warnings,
    discipline_cap,
    needs_discipline_review,
)
from elections.failures import Failure, Severity, errors  # noqa: F401
from organizations.rules import (
    COMMITTEE_REQUIRED_FROM_FULL_MEMBERS,
    RuleViolation,
    add_years,
    check_committee_seats,
    committee_required,
)

# --- Constants ------------------------------------------------------------------------------------------------

# A1 选举条例; 1990条例: valid only if those present are 超过 (strictly more than) 4/5 of those due.
# Integer form, no floats: 5 * present > 4 * (due - excused).
QUORUM_NUMERATOR = 4
QUORUM_DENOMINATOR = 5
# A3 1990条例 Art. 22: elected only with 超过半数 (more than half) of the voters PRESENT: 2 * votes > present.
MAJORITY_NUMERATOR = 1
MAJORITY_DENOMINATOR = 2
# A11 选举条例 Arts. 9, 13; the plan §五 steps 12 and 16 "不低于委员应选人数20%的差额比例": candidates at least
# seats + 20 %, rounded up (a fraction of a person is a whole person): n + ceil(n / 5).
MARGIN_PERCENT = 20
# K8 (RULES.md count checks): invalid ballots 超过 10 % of the returned ballots → a warning.
INVALID_WARNING_PERCENT = 10
# B3 支部条例 Art. 20: fewer than 7 full members → a secretary only, plus a deputy if needed.
SECRETARY_ONLY_MAX_SEATS = 2
# A13 选举条例 Art. 3: postponing or advancing an election is at most (不超过) one year; the higher body reminds
# about six months before the term ends.
MAX_POSTPONEMENT_YEARS = 1
TERM_REMINDER_MONTHS = 6
# --- A1, A3, A11: the numbers of a vote ----------------------------------------------------------------------


def quorum_met(*, due: int, present: int, excused: int = 0) -> bool:
    """A1/A1a: ``5 * present > 4 * (due - excused)``; due 100 → 81 needed, due 50 with 2 excused → 39."""
    return QUORUM_DENOMINATOR * present > QUORUM_NUMERATOR * (due - excused)


def quorum_needed(*, due: int, excused: int = 0) -> int:
    """A1: the smallest number present that makes the vote valid."""
    return QUORUM_NUMERATOR * (due - excused) // QUORUM_DENOMINATOR + 1


def majority_needed(present: int) -> int:
    """A3: the fewest votes that are more than half of those present (80 present → 41)."""
    return MAJORITY_NUMERATOR * present // MAJORITY_DENOMINATOR + 1


def has_majority(votes: int, present: int) -> bool:
    """A3: strictly more than half of those present; exactly half fails."""
    return MAJORITY_DENOMINATOR * votes > MAJORITY_NUMERATOR * present


def min_candidates(seats: int) -> int:
    """A11: at least 20 % more candidates than seats, rounded up: 3 → 4, 5 → 6, 7 → 9, 9 → 11."""
    if seats < 1:
        raise ValueError(f"应选名额须至少为1,当前为{seats}")
    return seats + -(-seats * MARGIN_PERCENT // 100)


def check_margin(seats: int, candidates: int) -> list[Failure]:
    """A11 on a recommendation, inspection or ballot list."""
    needed = min_candidates(seats)
    if candidates >= needed:
        return []
    return [
        Failure(
            "A11",
            f"应选{seats}名,候选人{candidates}名,差额不足{MARGIN_PERCENT}%:至少应有{needed}名候选人"
            f"(《中国共产党基层组织选举工作条例》第九条、第十三条)",
        )
    ]


# --- A2, A9, A10: voters, proxies, scrutineers ----------------------------------------------------------------


@dataclass(frozen=True)
class VoterFacts:
    name: str
    is_full_member: bool
    under_party_probation: bool = False  # 留党察看


def counts_toward_due(voter: VoterFacts) -> bool:
    """A2 选举条例 Art. 5: only full members not under 留党察看 vote, stand and count toward "due".

    Who is excused (A1a) is decided by the congress with the higher body's consent; the caller subtracts them
    through ``TallyInput.excused``, never by leaving them out of ``due``.
    """
    return voter.is_full_member and not voter.under_party_probation


def due_count(voters: Iterable[VoterFacts]) -> int:
    """A2: 10 full + 2 probationary → due is 10."""
    return sum(1 for v in voters if counts_toward_due(v))


def check_proxy(*, is_proxy: bool, voter_present: bool = True) -> list[Failure]:
    """A9 选举条例 Art. 24: no proxy voting for absent members."""
    if is_proxy or not voter_present:
        return [Failure("A9", "不得委托他人代为投票,缺席党员不能投票(《中国共产党基层组织选举工作条例》第二十四条)")]
    return []


def check_scrutineers(scrutineers: Iterable[str], candidates: Iterable[str]) -> list[Failure]:
    """A10 选举条例 Arts. 22–24: a candidate may not be a scrutineer (监票人)."""
    on_ballot = set(candidates)
    return [Failure("A10", f"{name}是候选人,不得担任监票人") for name in scrutineers if name in on_ballot]


# --- A12: the secretary ---------------------------------------------------------------------------------------


class PostStatus(TextChoices):
    """A12 支部条例 Arts. 20–21: the secretary (and deputy) need the higher body's approval; members are filed."""

    PENDING_APPROVAL = "pending_approval", "待上级党组织批准"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "未批准"
    FILED = "filed", "已报备"


# A12: the moves a secretary's or deputy's status may make, and what a committee member's record starts as.
SECRETARY_MOVES: dict[PostStatus, frozenset[PostStatus]] = {
    PostStatus.PENDING_APPROVAL: frozenset({PostStatus.APPROVED, PostStatus.REFUSED}),
    PostStatus.APPROVED: frozenset(),
    PostStatus.REFUSED: frozenset(),
}


def status_after_election(*, is_secretary_or_deputy: bool) -> PostStatus:
    """A12: a newly elected secretary shows "pending approval" until approved; a committee member is filed."""
    return PostStatus.PENDING_APPROVAL if is_secretary_or_deputy else PostStatus.FILED


def secretary_electorate(*, has_committee: bool) -> str:
    """A12: the new committee elects the secretary; a branch without a committee: the members' congress."""
    return "新一届委员会全体会议" if has_committee else "党员大会"


# --- A13: terms -----------------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later or earlier; a missing day falls back to the month's last (民法典 Art. 202)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def reminder_date(term_ends: date) -> date:
    """A13: the higher body reminds about six months before the term ends."""
    return add_months(term_ends, -TERM_REMINDER_MONTHS)


def check_postponement(term_ends: date, new_date: date, *, approved: bool = False) -> list[Failure]:
    """A13 选举条例 Art. 3: a postponed or advanced election needs approval and is at most one year off.

    One year is counted as in 民法典 Art. 202 (the same calendar day, 29 February → 28 February) and "at most"
    includes the day itself: term ends 2025-06-30 → 2026-06-30 allowed, 2026-07-01 refused.
    """
    if new_date == term_ends:
        return []
    failures: list[Failure] = []
    latest = add_years(term_ends, MAX_POSTPONEMENT_YEARS)
    earliest = add_years(term_ends, -MAX_POSTPONEMENT_YEARS)
    word = "延期" if new_date > term_ends else "提前"
    if not earliest <= new_date <= latest:
        failures.append(
            Failure(
                "A13",
                f"任期届满{term_ends.isoformat()},换届{word}至{new_date.isoformat()}超过一年"
                f"(最迟{latest.isoformat()},最早{earliest.isoformat()})(《中国共产党基层组织选举工作条例》第三条)",
            )
        )
    if not approved:
        failures.append(Failure("A13", f"换届{word}须报上级党组织批准(《中国共产党基层组织选举工作条例》第三条)"))
    return failures


# --- B3 / B5: committee size for a new term -------------------------------------------------------------------


def check_committee_size(
    *, field: str, seats: int, previous_seats: int | None = None, full_members: int | None = None
) -> list[Failure]:
    """B3 and B5: village 3–5, community 5–9, not above the previous term; fewer than 7 full members: no committee.

    The sizes themselves are ``organizations.rules`` (one place). The plan says "原则上不超过上届职数,具体由乡镇党委
    确定": organizations.rules refuses a larger committee, and so do we; a township decision to grow it is a
    change to that rule, not to this wrapper.
    """
    if full_members is not None and not committee_required(full_members):
        if seats > SECRETARY_ONLY_MAX_SEATS:
            return [
                Failure(
                    "B3",
                    f"正式党员{full_members}名,不足{COMMITTEE_REQUIRED_FROM_FULL_MEMBERS}名,不设支部委员会,"
                    f"只设书记(必要时设副书记),拟选{seats}名(《中国共产党支部工作条例(试行)》第二十条)",
                )
            ]
        return []
    try:
        check_committee_seats(field=field, seats=seats, previous_seats=previous_seats)
    except RuleViolation as exc:
        code, _, source = exc.rule.partition(" ")
        words = str(exc).removesuffix(f"({exc.rule})")
        return [Failure(code, f"{words}({source})" if source else words)]
    return []
