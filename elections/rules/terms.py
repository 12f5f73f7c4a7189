"""The committee, its secretary and its term (RULES.md A12, A13, B3, B5) as pure functions: plain values in, no ORM.

The committee sizes themselves are ``organizations.rules`` (one place); sources and words as in
``elections.rules.votes``.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.db.models import TextChoices

from elections.rules.failures import Failure
from organizations.rules import SECRETARY_ONLY_MAX_SEATS, add_years, committee_seat_violations

# A13 选举条例 Art. 3: postponing or advancing an election is at most (不超过) one year; the higher body reminds
# about six months before the term ends.
MAX_POSTPONEMENT_YEARS = 1


TERM_REMINDER_MONTHS = 6


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


def has_committee(seats: int) -> bool:
    """B3 支部条例 Art. 20: 3 or more seats are a committee; 1 or 2 are a secretary (and a deputy) without one."""
    return seats > SECRETARY_ONLY_MAX_SEATS


def secretary_voted_by_committee(*, seats: int, direct: bool) -> bool:
    """A12: who elects the secretary and deputy. The new committee's first plenary (the plan, 第五篇 五 26, "原则上采取
    间接选举……再召开委员会第一次全体会议选举书记"); a branch without a committee (支部条例 Art. 20): the members'
    congress, all the voters of the first round; a direct election (the plan: "也可采取直接选举的办法……再等额(或
    差额)选举新一届村(社区)党组织书记、副书记"): the congress too. The plan is the source where it allows the direct
    way, which RULES.md's wording ("elected by the new committee") leaves out."""
    return has_committee(seats) and not direct


def secretary_electorate(*, has_committee: bool) -> str:
    """A12: the new committee elects the secretary; a branch without a committee: the members' congress."""
    return "新一届委员会全体会议" if has_committee else "党员大会"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later or earlier; a missing day falls back to the month's last (民法典 Art. 202)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def reminder_date(term_ends: date) -> date:
    """A13: the higher body reminds about six months before the term ends."""
    return add_months(term_ends, -TERM_REMINDER_MONTHS)


def date_change_kind(term_ends: date, new_date: date) -> str:
    """A13 选举条例 Art. 3 ("任期届满应当按期进行换届选举。如需延期或者提前进行换届选举,应当报上级党组织批准"):
    "延期" after the term's end day, "提前" before it, "" on the day (no approval needed)."""
    if new_date == term_ends:
        return ""
    return "延期" if new_date > term_ends else "提前"


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


def check_committee_size(
    *, kind: str, field: str, full_members: int, seats: int, previous_seats: int | None = None
) -> list[Failure]:
    """B3 and B5 as ``organizations.rules.committee_seat_violations`` answers them (one rule for the organization
    page, its terms and its elections): a branch of 7 or more full members elects a committee of 3–5 (at most 7),
    fewer a secretary (and deputy); village 3–5, community 5–9, not above the previous term's committee.

    The plan says "原则上不超过上届职数,具体由乡镇党委确定": organizations.rules refuses a larger committee, and so
    do we; a township decision to grow it is a change to that rule, not to this wrapper.
    """
    return [
        Failure(v.rule, str(v))
        for v in committee_seat_violations(
            kind=kind, field=field, full_members=full_members, seats=seats, previous_seats=previous_seats
        )
    ]
