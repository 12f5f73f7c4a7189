"""党章第九条, the dues side (P6): the members under an organization who paid nothing for six consecutive closed
months (of the last twelve) with something due and no exemption: a list for the secretary and the township to act
on (talk to the member, record the reason, make up the dues), never a sanction by itself."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from dues.models import DuesMonth
from dues.rules import ledger
from dues.rules.ledger import Month, Run
from organizations.models import Member, Organization


@dataclass
class Signal:
    member: Member
    organization: Organization
    run: Run

    @property
    def span(self) -> str:
        return ledger.months_span(self.run)


def _window_q(today: date) -> Q:
    q = Q()
    for year, month in ledger.window(today):
        q |= Q(year=year, month=month)
    return q


def unpaid_six_months(user: Any, org: Organization, today: date) -> list[Signal]:
    """Two queries: the members with at least six unpaid months in the window, then their months."""
    window = _window_q(today)
    base = DuesMonth.objects.filter(window, organization__path__startswith=org.path)
    candidates = (
        base.filter(due__gt=0, paid=0)
        .values("member_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=ledger.UNPAID_MONTHS_SIGNAL)
        .values("member_id")
    )
    rows = list(
        DuesMonth.objects.filter(window, member_id__in=candidates)
        .select_related("member", "organization")
        .order_by("member_id", "year", "month")
    )
    by_member: dict[int, list[DuesMonth]] = {}
    for r in rows:
        by_member.setdefault(r.member_id, []).append(r)
    signals = []
    for months in by_member.values():
        have = {(m.year, m.month): m for m in months}
        seq = [
            Month(y, mo, have[(y, mo)].due if (y, mo) in have else None, have[(y, mo)].paid if (y, mo) in have else 0)
            for y, mo in ledger.window(today)
        ]
        run = ledger.signal_run(seq)
        if run is not None:
            last = months[-1]
            signals.append(Signal(last.member, last.organization, run))
    return sorted(signals, key=lambda s: (s.organization.path, -s.run.length, s.member.name))


def unpaid_runs_for(
    user: Any, member_ids: Sequence[int], months: Sequence[tuple[int, int]]
) -> dict[int, list[tuple[int, int]]]:
    """P6 for given members over given months (the meetings app's Art. 9 window, which ends with the current month:
    a month not yet ended is never unpaid): each member's longest run of at least six months, as (year, month)s.
    One query. ``user`` is None when the caller (meetings' list) has already scoped the members."""
    if not member_ids or not months:
        return {}
    wanted = Q()
    for year, month in months:
        wanted |= Q(year=year, month=month)
    today = timezone.localdate()
    rows: dict[int, dict[tuple[int, int], DuesMonth]] = {}
    for r in DuesMonth.objects.filter(wanted, member_id__in=list(member_ids)).only(
        "member_id", "year", "month", "due", "paid"
    ):
        rows.setdefault(r.member_id, {})[(r.year, r.month)] = r
    found = {}
    for pk, have in rows.items():
        seq = []
        for year, month in months:
            r = have.get((year, month))
            closed = ledger.is_closed(year, month, today)
            seq.append(Month(year, month, r.due if r and closed else None, r.paid if r else ledger.ZERO))
        run = ledger.signal_run(seq)
        if run is not None:
            found[pk] = [(y, m) for y, m in months if run.start <= (y, m) <= run.end]
    return found
