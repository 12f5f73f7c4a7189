"""Party dues, month by month: what a month's record says, arrears, the collection rate and the six-month signal
(P4–P6 of docs/domain.md). Pure: plain values in, plain values out; money as ``Decimal`` to the fen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import TextChoices

ZERO = Decimal("0.00")
MONTHS = tuple(range(1, 13))
# P6: 党章 Art. 9 ("没有正当理由,连续六个月不参加党的组织生活,或不交纳党费,或不做党所分配的工作,就被认为是自行脱党")
# and the regulation's own rule (对无正当理由、连续6个月不交纳党费的党员,按自行脱党处理).
UNPAID_MONTHS_SIGNAL = 6
# P4: 补交党费的时间一般不得超过6个月 (the regulation): a month can still be made up within this many months.
MAKE_UP_MONTHS = 6


class MonthState(TextChoices):
    PAID = "paid", "已交"
    PARTIAL = "partial", "部分交纳"
    UNPAID = "unpaid", "未交"
    EXEMPT = "exempt", "免交"
    OPEN = "open", "本月未结"
    NONE = "none", "—"


@dataclass(frozen=True)
class Month:
    """One member's month: ``due`` None when the month has no record (not yet a member, no base declared)."""

    year: int
    month: int
    due: Decimal | None
    paid: Decimal = ZERO


def make_up_allowed(year: int, month: int, paid_on: date) -> bool:
    """P4: a month may be paid (补交) until six months after it ends: January's dues until 31 July, not 1 August."""
    last_year, last_month = year + (month - 1 + MAKE_UP_MONTHS) // 12, (month - 1 + MAKE_UP_MONTHS) % 12 + 1
    return (paid_on.year, paid_on.month) <= (last_year, last_month)


def closed_months(year: int, today: date) -> int:
    """P4: how many months of ``year`` have closed by ``today`` (a month is owed once it has ended: a member may pay
    this month's dues until its last day). 2026 on 2026-12-03 → 11; 2025 → 12; 2027 → 0."""
    if year < today.year:
        return 12
    if year > today.year:
        return 0
    return today.month - 1


def is_closed(year: int, month: int, today: date) -> bool:
    return month <= closed_months(year, today)


def month_state(due: Decimal | None, paid: Decimal, *, closed: bool) -> MonthState:
    """P4: a month with nothing due is 免交 (or no record); paid at least the due is 已交 (more is 自愿多交); some
    but less is 部分交纳; nothing is 未交, or 本月未结 while the month has not ended."""
    if due is None:
        return MonthState.PAID if paid > 0 else MonthState.NONE
    if due == 0:
        return MonthState.EXEMPT if paid == 0 else MonthState.PAID
    if paid >= due:
        return MonthState.PAID
    if paid > 0:
        return MonthState.PARTIAL
    return MonthState.UNPAID if closed else MonthState.OPEN


def shortfall(due: Decimal | None, paid: Decimal) -> Decimal:
    """P4: what a month still owes (never negative: paying more is 自愿多交, it does not cover another month)."""
    if due is None or paid >= due:
        return ZERO
    return due - paid


def arrears(months: Iterable[Month], today: date) -> tuple[Decimal, list[Month]]:
    """P4: the total owed for the closed months and the months owing something (partly or wholly)."""
    owing = [m for m in months if is_closed(m.year, m.month, today) and shortfall(m.due, m.paid) > 0]
    return sum((shortfall(m.due, m.paid) for m in owing), ZERO), owing


def collected_toward_due(due: Decimal | None, paid: Decimal) -> Decimal:
    """P5: what a month's payment counts toward the rate: at most its due."""
    if due is None:
        return ZERO
    return min(due, paid)


def collection_rate(due_total: Decimal | None, collected_total: Decimal | None) -> Decimal | None:
    """P5: 收缴率 = collected toward due ÷ due, in percent to one decimal (half up); None when nothing was due.
    99.95 % → 100.0; 2/3 → 66.7."""
    if not due_total:
        return None
    rate = (collected_total or ZERO) * 100 / due_total
    return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Run:
    start: tuple[int, int]  # (year, month)
    end: tuple[int, int]
    length: int
    ongoing: bool  # reaches the last closed month


def unpaid_runs(months: Sequence[Month]) -> list[Run]:
    """P6: the runs of consecutive closed months in which nothing was paid though something was due, in order.
    ``months`` is consecutive and closed. A month paid (even partly), 免交 (a justified exemption) or without a record
    ends a run."""
    runs: list[Run] = []
    start: Month | None = None
    length = 0
    for i, m in enumerate(months):
        owing = m.due is not None and m.due > 0 and m.paid == 0
        if owing:
            start = start or m
            length += 1
        if start is not None and (not owing or i == len(months) - 1):
            last = m if owing else months[i - 1]
            runs.append(Run((start.year, start.month), (last.year, last.month), length, owing))
            start, length = None, 0
    return runs


def signal_run(months: Sequence[Month]) -> Run | None:
    """P6: the longest run of at least six unpaid months (the latest if two are as long), else None. 5 → None;
    6 → the run."""
    long_runs = [r for r in unpaid_runs(months) if r.length >= UNPAID_MONTHS_SIGNAL]
    return max(long_runs, key=lambda r: (r.length, r.end)) if long_runs else None


def window(today: date, size: int = 12) -> list[tuple[int, int]]:
    """P6: the last ``size`` closed months up to ``today``, oldest first (2026-12-03 → 2025-12 … 2026-11)."""
    year, month = today.year, today.month - 1
    found: list[tuple[int, int]] = []
    for _ in range(size):
        if month == 0:
            year, month = year - 1, 12
        found.append((year, month))
        month -= 1
    return found[::-1]


def months_span(run: Run) -> str:
    """A run in words: 2026年3月—2026年8月(6个月)."""
    (y1, m1), (y2, m2) = run.start, run.end
    return f"{y1}年{m1}月—{y2}年{m2}月({run.length}个月)"


def paid_version(rows: Iterable[tuple[int, Decimal]]) -> str:
    """The version a batch-entry page was built on: a fingerprint of each member's paid sum for the month, so a
    payment recorded meanwhile by someone else refuses the older page's save (core.edits' rule for edit forms)."""
    import hashlib

    text = ";".join(f"{pk}={paid:.2f}" for pk, paid in sorted(rows))
    return hashlib.sha256(text.encode()).hexdigest()[:32]
