"""A member's own dues on their home (我的): the months of this year, paid or owed, with the amounts (their own)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from dues.models import DuesMonth
from dues.rules import ledger
from dues.rules.ledger import ZERO, Month, MonthState
from dues.selectors.ledger import Cell
from organizations.access import own_member
from organizations.models import Member


@dataclass(frozen=True)
class OwnDues:
    year: int
    cells: list[Cell]
    paid_months: int
    owing_months: list[int]
    arrears: Decimal


def own_dues(user: Any, year: int, today: date) -> OwnDues | None:
    """The months of ``year`` of the member linked to ``user`` (None for anyone else): one query."""
    member: Member | None = own_member(user)
    if member is None:
        return None
    rows = {m.month: m for m in DuesMonth.objects.filter(member=member, year=year)}
    closed = ledger.closed_months(year, today)
    cells, kept = [], []
    for month in ledger.MONTHS:
        r = rows.get(month)
        due, paid = (r.due, r.paid) if r else (None, ZERO)
        kept.append(Month(year, month, due, paid))
        cells.append(Cell(month, ledger.month_state(due, paid, closed=month <= closed), due, paid if r else None))
    owed, owing = ledger.arrears(kept, today)
    paid_months = sum(1 for c in cells if c.state == MonthState.PAID)
    return OwnDues(year, cells, paid_months, [m.month for m in owing], owed)
