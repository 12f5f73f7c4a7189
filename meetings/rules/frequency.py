"""How often each kind of organizational life must be held, and whether an organization kept the rhythm: pure
functions (no ORM, no settings).

Source: 《中国共产党支部工作条例(试行)》(2018, 支部条例) — Art. 11 党员大会 一般每季度1次 (M1), Art. 12 支委会
一般每月1次 (M2), Art. 13 党小组会 一般每月1次 (M3), Art. 15 “三会一课” with 党课 每季度至少1次 (M4), Art. 16 主题党日
每月相对固定1天 (M5), Art. 17 组织生活会 每年至少1次 (M6), Art. 18 民主评议党员 一般每年1次 (M7); 民主生活会 of a
party committee's leading group 每年1次 (M8). The defaults are data (fixtures/meeting_types.json); the district may
set a year's own requirement (``Requirement``), which these functions take as plain values.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db.models import TextChoices

from fixtures import reader

_TYPES = reader.meeting_types()
MeetingKind = TextChoices(
    "MeetingKind", [(t.code.upper(), (t.code, t.label)) for t in _TYPES], module=__name__
)  # M1–M8: the kinds of organizational life, in the order of the file


class Rhythm(TextChoices):
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    YEARLY = "yearly", "每年"


class CellStatus(TextChoices):
    HELD = "held", "已开展"
    MISSED = "missed", "未开展"
    NOT_DUE = "not_due", "未到期"
    NOT_REQUIRED = "not_required", "不要求"


MONTHS = 12
MONTHS_PER_PERIOD = {Rhythm.MONTHLY: 1, Rhythm.QUARTERLY: 3, Rhythm.YEARLY: 12}
# 支部条例 Art. 20 [S]: a branch with 7 or more full members sets up a committee (支部委员会); fewer: a secretary only,
# so no 支委会 is required (M2).
COMMITTEE_MIN_FULL_MEMBERS = 7
PARTY_COMMITTEE_KINDS = frozenset({"committee", "working_committee"})  # 党委, 党工委: 民主生活会 (M8)
GROUPS_KIND = "party_group"


@dataclass(frozen=True)
class Requirement:
    """A year's requirement for one kind: ``times`` per period at least; ``active``: required at all this year."""

    kind: str
    rhythm: str
    times: int
    active: bool = True


def default_requirements() -> dict[str, Requirement]:
    """The file's defaults (M1–M8), by kind."""
    return {t.code: Requirement(t.code, t.rhythm, t.times) for t in _TYPES}


def type_info(kind: str) -> reader.MeetingType:
    return next(t for t in _TYPES if t.code == kind)


@dataclass(frozen=True)
class OrgFacts:
    """What decides which kinds apply: the organization's kind, its full members, whether it has party groups."""

    kind: str
    full_members: int
    has_groups: bool


def applies(kind: str, facts: OrgFacts) -> bool:
    """Whether ``kind`` is required of an organization: 支委会 only with a committee (≥ 7 full members, M2),
    党小组会 only with party groups (M3), 民主生活会 only for a 党委/党工委 (M8); a 党小组 holds none of these."""
    if facts.kind == GROUPS_KIND:
        return False
    rule = type_info(kind).applies
    if rule == "committee":
        return facts.full_members >= COMMITTEE_MIN_FULL_MEMBERS
    if rule == "groups":
        return facts.has_groups
    if rule == "party_committee":
        return facts.kind in PARTY_COMMITTEE_KINDS
    return True


# --- Periods --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    index: int  # 1-based within the year
    first_month: int
    last_month: int
    label: str

    def last_day(self, year: int) -> date:
        return date(year, self.last_month, calendar.monthrange(year, self.last_month)[1])


def periods(rhythm: str) -> list[Period]:
    """The periods of a year: 12 months, 4 quarters or the year."""
    size = MONTHS_PER_PERIOD[Rhythm(rhythm)]
    found = []
    for index, first in enumerate(range(1, MONTHS + 1, size), start=1):
        last = first + size - 1
        label = f"{first}月" if size == 1 else f"第{'一二三四'[index - 1]}季度" if size == 3 else "全年"
        found.append(Period(index, first, last, label))
    return found


def period_of(rhythm: str, month: int) -> Period:
    if not 1 <= month <= MONTHS:
        raise ValueError(f"月份应在1–12之间(收到{month})")
    return next(p for p in periods(rhythm) if p.first_month <= month <= p.last_month)


def period_status(held: int, times: int, *, last_day: date, today: date) -> CellStatus:
    """A period is held once ``times`` meetings are recorded in it; missed when it has ended short; not yet due
    while it runs (M1–M8)."""
    if held >= times:
        return CellStatus.HELD
    return CellStatus.MISSED if today > last_day else CellStatus.NOT_DUE


# --- Compliance ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    month: int
    held: int  # meetings recorded in this month
    status: CellStatus  # the status of the period this month belongs to


@dataclass(frozen=True)
class KindCompliance:
    kind: str
    label: str
    rhythm: str
    times: int
    required: bool
    cells: tuple[Cell, ...]
    held: int  # meetings held this year
    due: int  # meetings required in the periods that have ended (or are met)
    met: int  # periods met
    periods_due: int  # periods that ended or are met
    missed: tuple[str, ...]  # the labels of the periods missed

    @property
    def ok(self) -> bool:
        return not self.missed


def kind_compliance(
    requirement: Requirement,
    month_counts: Mapping[int, int],
    *,
    year: int,
    today: date,
    required: bool = True,
    since: date | None = None,
) -> KindCompliance:
    """One kind's row of the matrix. ``month_counts``: meetings held by month; ``since``: the organization's
    establishment (periods ending before it are not required)."""
    info = type_info(requirement.kind)
    need = required and requirement.active
    cells: list[Cell] = []
    met = periods_due = due = 0
    missed: list[str] = []
    for period in periods(requirement.rhythm):
        held = sum(month_counts.get(m, 0) for m in range(period.first_month, period.last_month + 1))
        last = period.last_day(year)
        if not need or (since is not None and since > last):
            status = CellStatus.NOT_REQUIRED
        else:
            status = period_status(held, requirement.times, last_day=last, today=today)
        if status in (CellStatus.HELD, CellStatus.MISSED):
            periods_due += 1
            due += requirement.times
        if status == CellStatus.HELD:
            met += 1
        elif status == CellStatus.MISSED:
            missed.append(period.label)
        cells += [Cell(m, month_counts.get(m, 0), status) for m in range(period.first_month, period.last_month + 1)]
    return KindCompliance(
        kind=requirement.kind,
        label=info.label,
        rhythm=requirement.rhythm,
        times=requirement.times,
        required=need,
        cells=tuple(cells),
        held=sum(month_counts.get(m, 0) for m in range(1, MONTHS + 1)),
        due=due,
        met=met,
        periods_due=periods_due,
        missed=tuple(missed),
    )


def closing_soon(requirement: Requirement, held_in_period: int, *, year: int, today: date, days: int) -> Period | None:
    """The period that closes within ``days`` of ``today`` and is still short (a reminder is due), else None."""
    if not requirement.active or today.year != year:
        return None
    period = period_of(requirement.rhythm, today.month)
    left = (period.last_day(year) - today).days
    if 0 <= left <= days and held_in_period < requirement.times:
        return period
    return None
