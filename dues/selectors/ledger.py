"""Reads of one organization's dues: the yearly ledger (members × months), the batch-entry rows of a month, one
member's year. Every function takes the user; the object has come through ``dues.access``. Amounts are left out
(None) for a reader without ``view_personal_data`` there: the states stay."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from dues.access import may_see_amounts
from dues.models import Declaration, DuesMonth, Payment
from dues.rules import ledger
from dues.rules.ledger import ZERO, Month, MonthState
from organizations.models import Member, Organization

MONTH_LABELS = [f"{m}月" for m in ledger.MONTHS]


@dataclass
class Cell:
    month: int
    state: MonthState
    due: Decimal | None
    paid: Decimal | None

    @property
    def label(self) -> str:
        return self.state.label


@dataclass
class LedgerRow:
    member: Member
    organization_name: str
    category: str
    base: Decimal | None
    monthly_due: Decimal | None
    cells: list[Cell]
    due_total: Decimal | None
    paid_total: Decimal | None
    arrears: Decimal | None
    owing_months: list[int]
    declared: bool = True


@dataclass
class Ledger:
    organization: Organization
    year: int
    closed: int
    amounts: bool
    rows: list[LedgerRow] = field(default_factory=list)
    undeclared: list[Member] = field(default_factory=list)
    due_total: Decimal = ZERO
    collected_total: Decimal = ZERO
    paid_total: Decimal = ZERO
    arrears_total: Decimal = ZERO
    owing_members: int = 0
    month_paid: list[Decimal] = field(default_factory=list)

    @property
    def rate(self) -> Decimal | None:
        return ledger.collection_rate(self.due_total, self.collected_total)


def _members_under(org: Organization) -> Any:
    return Member.objects.filter(organization__path__startswith=org.path)


def _member_row(result: Ledger, rows: list[DuesMonth], d: Declaration | None, today: date) -> LedgerRow:
    """One member's line of the ledger; adds the member's months to ``result``'s totals."""
    amounts, closed, year = result.amounts, result.closed, result.year
    have = {r.month: r for r in rows}
    cells, kept = [], []
    for month in ledger.MONTHS:
        r = have.get(month)
        due, paid = (r.due, r.paid) if r is not None else (None, ZERO)
        kept.append(Month(year, month, due, paid))
        state = ledger.month_state(due, paid, closed=month <= closed)
        cells.append(Cell(month, state, due if amounts else None, paid if amounts and r is not None else None))
        if month <= closed:
            result.due_total += due or ZERO
            result.collected_total += ledger.collected_toward_due(due, paid)
        result.month_paid[month - 1] += paid
    owed, owing = ledger.arrears(kept, today)
    due_total = sum((r.due for r in rows if r.month <= closed), ZERO)
    paid_total = sum((r.paid for r in rows), ZERO)
    result.paid_total += paid_total
    result.arrears_total += owed
    result.owing_members += bool(owing)
    return LedgerRow(
        member=rows[0].member,
        organization_name=rows[0].organization.name,
        category=d.get_category_display() if d else "",
        base=d.base if d and amounts else None,
        monthly_due=d.monthly_due if d and amounts else None,
        cells=cells,
        due_total=due_total if amounts else None,
        paid_total=paid_total if amounts else None,
        arrears=owed if amounts else None,
        owing_months=[m.month for m in owing],
    )


def org_ledger(user: Any, org: Organization, year: int, today: date) -> Ledger:
    """The ledger of ``org`` (its subtree) for ``year``: three queries whatever the number of members."""
    amounts = may_see_amounts(user, org)
    months = list(
        DuesMonth.objects.filter(organization__path__startswith=org.path, year=year)
        .select_related("member", "organization")
        .order_by("organization__path", "member__name", "member_id", "month")
    )
    latest: dict[int, Declaration] = {}
    for d in Declaration.objects.filter(member__in={m.member_id for m in months}, year=year).order_by("from_month"):
        latest[d.member_id] = d
    result = Ledger(org, year, ledger.closed_months(year, today), amounts, month_paid=[ZERO] * 12)
    by_member: dict[int, list[DuesMonth]] = {}
    for m in months:
        by_member.setdefault(m.member_id, []).append(m)
    result.rows = [_member_row(result, rows, latest.get(pk), today) for pk, rows in by_member.items()]
    if year == today.year:
        result.undeclared = list(
            _members_under(org)
            .filter(left_on__isnull=True, joined_on__year__lte=year)
            .exclude(pk__in=by_member.keys())
            .order_by("name")
        )
    if not amounts:
        result.month_paid = []
    return result


@dataclass
class BatchRow:
    member: Member
    due: Decimal
    paid: Decimal
    outstanding: Decimal


def batch_rows(user: Any, org: Organization, year: int, month: int) -> tuple[list[BatchRow], str]:
    """The members kept under ``org`` for ``year``/``month``, what each owes, and the page's version."""
    rows = list(
        DuesMonth.objects.filter(organization__path__startswith=org.path, year=year, month=month)
        .select_related("member")
        .order_by("member__name", "member_id")
    )
    version = ledger.paid_version((r.member_id, r.paid) for r in rows)
    return [BatchRow(r.member, r.due, r.paid, ledger.shortfall(r.due, r.paid)) for r in rows], version


@dataclass
class MemberYear:
    member: Member
    year: int
    declarations: list[Declaration]
    cells: list[Cell]
    payments: list[Payment]
    arrears: Decimal
    amounts: bool


def member_year(user: Any, member: Member, year: int, today: date) -> MemberYear:
    amounts = may_see_amounts(user, member.organization)
    rows = {m.month: m for m in DuesMonth.objects.filter(member=member, year=year)}
    closed = ledger.closed_months(year, today)
    cells, kept = [], []
    for month in ledger.MONTHS:
        r = rows.get(month)
        due, paid = (r.due, r.paid) if r else (None, ZERO)
        kept.append(Month(year, month, due, paid))
        cells.append(Cell(month, ledger.month_state(due, paid, closed=month <= closed), due, paid if r else None))
    owed, _ = ledger.arrears(kept, today)
    payments = list(
        Payment.objects.filter(dues_month__member=member, dues_month__year=year)
        .select_related("dues_month", "recorded_by")
        .order_by("dues_month__month", "paid_on", "pk")
    )
    declarations = list(Declaration.objects.filter(member=member, year=year).order_by("from_month"))
    if not amounts:
        cells = [Cell(c.month, c.state, None, None) for c in cells]
        payments, owed = [], ZERO
    return MemberYear(member, year, declarations, cells, payments, owed, amounts)


def latest_declaration(user: Any, member: Member, year: int) -> Declaration | None:
    """The declaration in force at the end of ``year``, else the last of the year before (to start from)."""
    return Declaration.objects.filter(member=member, year__lte=year).order_by("-year", "-from_month").first()
