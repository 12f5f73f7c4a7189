"""Members' participation: a member's attendance month by month, the months a member attended (for other apps), and
the 党章 Art. 9 list (M10) of an organization or a township: members with six consecutive months without
organizational life (or without what another registered source counts, e.g. dues) and without proper reason."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth, ExtractYear

from meetings.events import Month, lapse_sources
from meetings.models import Attendance
from meetings.rules import records as rules
from meetings.rules.records import Mark
from organizations.models import Member, Organization
from organizations.scope import path_q, scope_paths

LAPSE_WINDOW_MONTHS = 12  # the list looks back a year: long enough for any run of six


@dataclass(frozen=True)
class MonthAttendance:
    month: int
    listed: int
    present: int
    leave: int
    absent: int


def _monthly(member_ids: Sequence[int], start: date, end: date) -> dict[int, dict[Month, tuple[int, int, int]]]:
    """(present, leave, listed) by member and (year, month): one grouped query."""
    rows = (
        Attendance.objects.filter(member_id__in=list(member_ids), meeting__held_on__range=(start, end))
        .annotate(y=ExtractYear("meeting__held_on"), m=ExtractMonth("meeting__held_on"))
        .values("member_id", "y", "m")
        .annotate(
            n=Count("pk"),
            present=Count("pk", filter=Q(mark=Mark.PRESENT)),
            leave=Count("pk", filter=Q(mark=Mark.LEAVE)),
        )
        .order_by()
    )
    found: dict[int, dict[Month, tuple[int, int, int]]] = defaultdict(dict)
    for r in rows:
        found[r["member_id"]][(r["y"], r["m"])] = (r["present"], r["leave"], r["n"])
    return found


def member_year(user: Any, member: Member, year: int) -> list[MonthAttendance]:
    """A member (reached through ``meetings.access``) month by month in ``year``: one query."""
    months = _monthly([member.pk], date(year, 1, 1), date(year, 12, 31)).get(member.pk, {})
    result = []
    for m in range(1, 13):
        present, leave, listed = months.get((year, m), (0, 0, 0))
        result.append(MonthAttendance(m, listed, present, leave, listed - present - leave))
    return result


def attended_months(user: Any, member_ids: Iterable[int], start: date, end: date) -> dict[int, set[Month]]:
    """The (year, month) pairs in which each member attended at least one meeting: the function other apps call
    to join their part of the Art. 9 signal (one query)."""
    monthly = _monthly(list(member_ids), start, end)
    return {pk: {k for k, (present, _, _) in months.items() if present} for pk, months in monthly.items()}


@dataclass(frozen=True)
class Lapse:
    member: Member
    what: str  # 未参加组织生活, 未交纳党费…
    months: list[Month]

    @property
    def span(self) -> str:
        (y1, m1), (y2, m2) = self.months[0], self.months[-1]
        return f"{y1}年{m1}月—{y2}年{m2}月,连续{len(self.months)}个月"


def _window(today: date) -> list[Month]:
    end = (today.year, today.month)
    y, m = end[0] - 1, end[1] + 1
    if m > 12:
        y, m = y + 1, m - 12
    return rules.month_keys((y, m), end)


def lapses_under(user: Any, org: Organization, today: date) -> list[Lapse]:
    """Members in scope under ``org`` whose longest run in the last twelve months reaches six (M10), from every
    source; a fixed number of queries."""
    members = list(
        Member.objects.filter(
            path_q(scope_paths(user), "organization__path"),
            organization__path__startswith=org.path,
            left_on__isnull=True,
        )
        .select_related("organization")
        .order_by("organization__path", "name")
    )
    months = _window(today)
    (y1, m1), _ = months[0], months[-1]
    monthly = _monthly([m.pk for m in members], date(y1, m1, 1), today)
    found: list[Lapse] = []
    for member in members:
        data = monthly.get(member.pk, {})
        run = rules.longest_lapse(
            months,
            attended={k for k, (p, _, _) in data.items() if p},
            excused={k for k, (p, leave, _) in data.items() if not p and leave},
            held=set(data),
        )
        if rules.art9_signal(run):
            found.append(Lapse(member, "未参加组织生活", run))
    by_pk = {m.pk: m for m in members}
    for label, source in lapse_sources():
        for pk, run in source(list(by_pk), months).items():
            if pk in by_pk and rules.art9_signal(run):
                found.append(Lapse(by_pk[pk], label, list(run)))
    return sorted(found, key=lambda x: (x.member.organization.path, x.member.name, x.what))
