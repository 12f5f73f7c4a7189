"""Dues of the demo district: a realistic base for every current member (by occupation and field), the months of
last year and this year, and the payments of the closed months: most organizations collect every month, one in
seven has gaps (some members a month or two behind, a few owing for more than six months), so the ledger, the
boards and the grading evidence have something to show. Built in bulk (a few statements per thousand members) and
idempotent: a district that already has dues records is left as it is."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from dues.models import Declaration, DuesMonth, Payment, PaymentVia
from dues.rules import bands, ledger
from organizations.models import Member, Organization

SEED = 2016
GAPPY_EVERY = 7  # one organization in seven collects with gaps
BATCH = 2000


@dataclass
class DuesDemoSummary:
    created: bool
    members: int = 0
    months: int = 0
    payments: int = 0
    owing_members: int = 0
    seconds: float = 0.0


def _declaration(member: Member, rng: random.Random) -> tuple[str, Decimal | None, Decimal | None]:
    """(category, base, chosen) fitting the member: 退休 → a pension, 农民 → 0.2–1 元, students and the unemployed
    at 0.2 元, the rest employed with a plausible after-tax pay."""
    job = member.occupation
    if job == "退休":
        return "retired", Decimal(rng.randrange(2600, 7800, 10)), None
    if job in ("农民", "外出务工"):
        return "farmer", None, Decimal(rng.choice(("0.2", "0.5", "1")))
    if job in ("学生",):
        return "student", None, None
    if rng.random() < 0.01:
        return "unemployed", None, None
    low, high = (2500, 6000) if job in ("个体经营", "自由职业", "村干部", "社区工作者") else (3500, 14000)
    return "employed", Decimal(rng.randrange(low, high, 10)), None


def _paid_months(closed: list[tuple[int, int]], gappy: bool, rng: random.Random) -> set[tuple[int, int]]:
    """Which closed months a member has paid: all of them in a tidy organization; in a gappy one, most members all,
    some a month or two behind, and about one in twelve nothing for the last seven months (the Art. 9 list)."""
    if not gappy:
        return set(closed)
    roll = rng.random()
    if roll < 0.08:
        return set(closed[:-7])
    if roll < 0.3:
        return set(closed[: -rng.randint(1, 2)])
    return set(closed)


def _months_kept(today: date) -> list[tuple[int, int]]:
    """This year's twelve months and last year's from this month on (the twelve closed months P6 looks back on)."""
    last = [(today.year - 1, m) for m in ledger.MONTHS if m >= today.month]
    return last + [(today.year, m) for m in ledger.MONTHS]


def _plans(members: list[Member], orgs: dict[int, int], today: date, rng: random.Random) -> tuple[list, list]:
    """The declarations (model instances) and the months as plain rows: (org, member, year, month, due, paid)."""
    declarations, months = [], []
    kept = _months_kept(today)
    closed = [ym for ym in kept if ledger.is_closed(*ym, today)]
    for member in members:
        category, base, chosen = _declaration(member, rng)
        due = bands.monthly_due(category, base, chosen=chosen)
        paid = _paid_months(closed, orgs[member.organization_id] % GAPPY_EVERY == 3, rng)
        for year in sorted({y for y, _ in kept}):
            declarations.append(
                Declaration(
                    member=member, year=year, from_month=1, category=category, base=base, chosen=chosen, monthly_due=due
                )
            )
        joined = (member.joined_on.year, member.joined_on.month)
        for year, month in kept:
            if (year, month) >= joined:
                months.append(
                    (member.organization_id, member.pk, year, month, due, due if (year, month) in paid else 0)
                )
    return declarations, months


def _pay_day(year: int, month: int, today: date, rng: random.Random) -> date:
    return min(date(year, month, rng.randint(5, 25)), today)


def _insert(table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Plain INSERTs in batches: the demo's tens of thousands of rows without building a model instance each."""
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 - our own names
    with connection.cursor() as cursor:
        for i in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[i : i + BATCH])


def build_dues_demo(root: Organization) -> DuesDemoSummary:
    started = time.perf_counter()
    if DuesMonth.objects.filter(organization__path__startswith=root.path).exists():
        return summarize(root, created=False)
    today, now = timezone.localdate(), timezone.now()
    rng = random.Random(SEED)
    members = list(Member.objects.filter(organization__path__startswith=root.path, left_on__isnull=True).order_by("pk"))
    orgs = Organization.objects.filter(path__startswith=root.path).order_by("path").values_list("pk", flat=True)
    declarations, months = _plans(members, {pk: i for i, pk in enumerate(orgs)}, today, rng)
    with transaction.atomic():
        Declaration.objects.bulk_create(declarations, batch_size=BATCH)
        columns = ("organization_id", "member_id", "year", "month", "due", "paid", "updated_at")
        _insert(DuesMonth._meta.db_table, columns, [(*row[:4], str(row[4]), str(row[5]), now) for row in months])
        stored = DuesMonth.objects.filter(organization__path__startswith=root.path, paid__gt=0)
        payments = [
            (pk, str(paid), _pay_day(year, month, today, rng), PaymentVia.BATCH, "", now)
            for pk, paid, year, month in stored.values_list("pk", "paid", "year", "month").order_by("pk")
        ]
        _insert(Payment._meta.db_table, ("dues_month_id", "amount", "paid_on", "via", "note", "recorded_at"), payments)
    summary = summarize(root, created=True)
    summary.seconds = time.perf_counter() - started
    return summary


def summarize(root: Organization, *, created: bool) -> DuesDemoSummary:
    months = DuesMonth.objects.filter(organization__path__startswith=root.path)
    today = timezone.localdate()
    closed = months.filter(year=today.year, month__lte=ledger.closed_months(today.year, today))
    return DuesDemoSummary(
        created=created,
        members=months.values("member").distinct().count(),
        months=months.count(),
        payments=Payment.objects.filter(dues_month__organization__path__startswith=root.path).count(),
        owing_members=closed.filter(paid__lt=F("due")).values("member").distinct().count(),
    )


def summary_line(summary: DuesDemoSummary) -> str:
    return (
        f"{summary.members}名党员的党费台账({summary.months}个人月、{summary.payments}笔收缴记录),"
        f"今年有欠缴的党员{summary.owing_members}名"
    )
