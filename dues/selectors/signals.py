"""党章第九条, the dues side (P6): the members under an organization who paid nothing for six consecutive closed
months (of the last twelve) with something due and no exemption: a list for the secretary and the township to act
on (talk to the member, record the reason, make up the dues), never a sanction by itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q

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
