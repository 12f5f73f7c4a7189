"""Demo data of organizational life: this year's meetings of every graded organization of the demo district up to
today, with attendance, so that the boards, the matrices and the grading evidence show something true to life.

Three profiles, fixed by each organization's place in the tree (deterministic, a fixed seed): most are exemplary
(every period held), some have gaps (a few months without a 支委会 or 主题党日, a quarter without a 党课), a few are
lagging (meetings in half the months at most). A few members in the larger branches stop coming for most of the
year, so the 党章 Art. 9 list has names to act on. The current month is left open for 支委会 everywhere (the secretary
records it; the browser test does). Bulk inserts: the demo is a picture of a year, not a replay of every call; one
audit event says the demo was loaded. Idempotent: a district whose organizations already hold meetings is left alone.
"""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from core import audit, uploads
from meetings.models import Attendance, Meeting, MeetingFile
from meetings.rules import frequency as rules
from meetings.rules.records import Mark
from meetings.services.meetings import FILE_DIR
from organizations.models import GRADED_KINDS, Member, MemberStatus, Organization, OrgKind

SEED = 20261
TOPICS = {
    "general_assembly": ("传达学习上级会议精神", "讨论年度工作计划", "讨论发展党员事项", "通报党费收缴和支部工作"),
    "committee": ("研究本月工作安排", "研究人居环境整治", "研究困难党员慰问", "研究“四议两公开”事项"),
    "group": ("学习党章党规", "谈心谈话", "交流学习体会"),
    "lecture": ("书记讲党课:学习党的二十大精神", "专题党课:加强作风建设", "党课:乡村振兴与党员责任"),
    "theme_day": ("主题党日:志愿服务", "主题党日:重温入党誓词", "主题党日:走访慰问老党员", "主题党日:环境整治"),
    "life_meeting": ("年度组织生活会",),
    "member_review": ("年度民主评议党员",),
    "leadership_life": ("领导班子民主生活会",),
}
PROFILES = ("exemplary", "exemplary", "exemplary", "gaps", "exemplary", "gaps", "exemplary", "lagging")
COMMITTEE_SIZE = 5  # members listed at a 支委会 in the demo (its committee)
LEAVE_REASONS = ("外出务工", "生病住院", "在外地上学", "照顾家人")
ABSENT_REASONS = ("未联系上", "无故缺席")


# A 1×1 grey PNG: the demo's meeting photo (a real photo would only make the repository heavier).
PHOTO = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==")
PHOTOS = 3  # the latest meeting of the first few organizations carries a photo


def _photos(created: list[Meeting]) -> int:
    latest: dict[int, Meeting] = {}
    for m in created:
        if m.organization_id not in latest or m.held_on > latest[m.organization_id].held_on:
            latest[m.organization_id] = m
    rows = []
    for meeting in list(latest.values())[:PHOTOS]:
        name = f"{FILE_DIR}/{meeting.organization_id}/{uploads.stored_name('会议照片.png')}"
        saved = default_storage.save(name, ContentFile(PHOTO))
        rows.append(
            MeetingFile(
                meeting=meeting, file=saved, original_name="会议照片.png", content_type="image/png", size=len(PHOTO)
            )
        )
    MeetingFile.objects.bulk_create(rows)
    return len(rows)


@dataclass(frozen=True)
class DemoSummary:
    created: bool
    organizations: int
    meetings: int


def _graded(root: Organization) -> list[Organization]:
    return list(
        Organization.objects.filter(
            path__startswith=root.path, depth__gt=2, kind__in=GRADED_KINDS, dissolved_on__isnull=True
        ).order_by("path")
    )


def _month_plan(kind: str, rhythm: str, months: list[int], profile: str, rng: random.Random) -> list[int]:
    """The months in which ``kind`` is held this year under ``profile``."""
    if rhythm == "monthly":
        chosen = list(months)
    elif rhythm == "quarterly":
        chosen = [m for m in months if m % 3 == 2] or months[:1]  # the middle month of each quarter
    else:
        chosen = [m for m in months if m in (6, 11)][:1]
    if profile == "gaps":
        chosen = [m for m in chosen if rng.random() > 0.25]
    elif profile == "lagging":
        chosen = [m for m in chosen if rng.random() > 0.55]
    return chosen


def _day(year: int, month: int, today: date, rng: random.Random) -> date | None:
    day = date(year, month, rng.randint(3, 26))
    return day if day <= today else None


def _marks(people: list[int], lapsing: set[int], rng: random.Random) -> list[tuple[int, str, str]]:
    rows = []
    for pk in people:
        if pk in lapsing:
            rows.append((pk, Mark.ABSENT, rng.choice(ABSENT_REASONS)))
            continue
        roll = rng.random()
        if roll < 0.06:
            rows.append((pk, Mark.LEAVE, rng.choice(LEAVE_REASONS)))
        elif roll < 0.09:
            rows.append((pk, Mark.ABSENT, rng.choice(ABSENT_REASONS)))
        else:
            rows.append((pk, Mark.PRESENT, ""))
    return rows


def build_meetings_demo(root: Organization) -> DemoSummary:
    """Long because one pass plans every organization's year and inserts it in two bulk statements; split, the plan
    would be passed around in pieces."""
    orgs = _graded(root)
    if Meeting.objects.filter(organization__path__startswith=root.path).exists():
        return DemoSummary(False, len(orgs), Meeting.objects.filter(organization__path__startswith=root.path).count())
    today = timezone.localdate()
    year = today.year
    months = list(range(1, today.month + 1))
    rng = random.Random(SEED)
    reqs = rules.default_requirements()
    roster: dict[int, list[tuple[int, str]]] = {o.pk: [] for o in orgs}
    by_path = {o.path: o.pk for o in orgs}
    members = Member.objects.filter(organization__path__startswith=root.path, left_on__isnull=True).order_by("pk")
    for pk, path, kind, status in members.values_list("pk", "organization__path", "organization__kind", "status"):
        parent = path[: -Organization.steplen]
        owner = by_path.get(path) or (by_path.get(parent) if kind == OrgKind.PARTY_GROUP else None)
        if owner is not None:
            roster[owner].append((pk, status))
    groups = set(
        Organization.objects.filter(path__startswith=root.path, kind=OrgKind.PARTY_GROUP).values_list("path", flat=True)
    )
    planned: list[tuple[Meeting, list[tuple[int, str, str]]]] = []
    for index, org in enumerate(orgs):
        profile = PROFILES[index % len(PROFILES)]
        people = [pk for pk, _ in roster[org.pk]]
        full = sum(1 for _, status in roster[org.pk] if status == MemberStatus.FULL)
        facts = rules.OrgFacts(
            org.kind, full, any(p.startswith(org.path) and len(p) == len(org.path) + 4 for p in groups)
        )
        lapsing = set(people[7::40]) if len(people) >= 20 else set()
        for kind, req in reqs.items():
            if not rules.applies(kind, facts):
                continue
            for month in _month_plan(kind, req.rhythm, months, profile, rng):
                if kind == "committee" and month == today.month:
                    continue  # left for the secretary to record
                held_on = _day(year, month, today, rng)
                if held_on is None:
                    continue
                meeting = Meeting(
                    organization=org,
                    kind=kind,
                    held_on=held_on,
                    topic=rng.choice(TOPICS[kind]),
                    minutes="会议由支部书记主持,传达学习有关精神,讨论并形成意见。",
                    entered_on=held_on,
                )
                listed = people[:COMMITTEE_SIZE] if kind == "committee" else [] if kind == "group" else people
                planned.append((meeting, _marks(listed, lapsing, rng)))
    with transaction.atomic():
        created = Meeting.objects.bulk_create([m for m, _ in planned], batch_size=500)
        # Tens of thousands of attendance rows: one executemany, not a model instance each (the demo's time budget).
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {Attendance._meta.db_table} (meeting_id, member_id, mark, reason)"
                " VALUES (%s, %s, %s, %s)",
                [
                    (m.pk, pk, mark, reason)
                    for m, (_, rows) in zip(created, planned, strict=True)
                    for pk, mark, reason in rows
                ],
            )
        photos = _photos(created)
        audit.record(
            actor=None,
            verb="meetings.demo_load",
            summary=f"载入组织生活演示数据:{len(orgs)}个党组织,{len(created)}次会议,照片{photos}张",
            org_path=root.path,
        )
    return DemoSummary(True, len(orgs), len(created))
