"""Import of a year's past meeting records from the spreadsheet a township keeps: one row per meeting (会议日期, 会议
类型, 会议主题, 主持人, 记录人, 请假人员, 缺席人员; names as on the roster, several separated by 、). Two steps:
``import_check`` reads the workbook through ``core.documents``' bounded reader and answers every row's problems in
Chinese without writing; a file with no problem gives a plan, which ``import_apply`` writes all or nothing (checked
again, in one transaction, with one audit event). Everyone on the roster not named as on leave or absent was
present; imported records are marked 批量导入 and, entered today, follow the same edit window (M9)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.audit import record
from core.documents import WorkbookRefused, read_xlsx_rows
from meetings.models import Attendance, Meeting
from meetings.rules.frequency import MeetingKind
from meetings.rules.records import Mark
from meetings.services.meetings import RECORD, roster
from organizations.models import Organization
from organizations.scope import can

HEADERS = ("会议日期", "会议类型", "会议主题", "主持人", "记录人", "请假人员", "缺席人员")
MAX_ROWS = 2000
MAX_COLUMNS = 12
MAX_BYTES = 5 * 1024 * 1024
SEPARATORS = re.compile(r"[、,,;;\s]+")
KINDS = {label: code for code, label in MeetingKind.choices} | {"支委会": "committee", "党员大会": "general_assembly"}


class RowError(ValueError):
    pass


@dataclass
class ImportPlan:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def require_import(actor: Any, org: Organization) -> None:
    if not can(actor, RECORD, org):
        raise PermissionDenied(f"您没有权限导入{org.name}的组织生活记录")


def _day(value: Any, today: date) -> date:
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value or "").strip().replace("/", "-").replace(".", "-"))
        except ValueError:
            raise RowError(f"会议日期“{value or ''}”应写成2025-03-15这样的日期") from None
    if day > today:
        raise RowError(f"会议日期{day}晚于今天:只能导入已召开的会议")
    if day.year < today.year - 5:
        raise RowError(f"会议日期{day}过早:只导入近五年的记录")
    return day


def _names(value: Any) -> list[str]:
    return [n for n in SEPARATORS.split(str(value or "").strip()) if n]


def _row(cells: list[Any], people: dict[str, int], today: date) -> dict[str, Any]:
    held_on, kind, topic, presided, recorded, leave, absent = (list(cells) + [None] * 7)[:7]
    day = _day(held_on, today)
    code = KINDS.get(str(kind or "").strip())
    if code is None:
        raise RowError(f"会议类型“{kind or ''}”应为{'、'.join(MeetingKind.labels)}之一")
    topic = str(topic or "").strip()
    if not topic:
        raise RowError("请填写会议主题")
    found = {}
    for label, value in (("主持人", presided), ("记录人", recorded)):
        name = str(value or "").strip()
        if name and name not in people:
            raise RowError(f"{label}“{name}”不在本组织的党员名册中")
        found[label] = people.get(name)
    marks: dict[str, str] = {}
    for label, value, mark in (("请假人员", leave, Mark.LEAVE), ("缺席人员", absent, Mark.ABSENT)):
        for name in _names(value):
            if name not in people:
                raise RowError(f"{label}中的“{name}”不在本组织的党员名册中")
            if name in marks:
                raise RowError(f"“{name}”同时列为请假和缺席")
            marks[name] = mark
    if len(marks) >= len(people):
        raise RowError("出席人数为0:请核对请假和缺席人员")
    return {
        "held_on": day.isoformat(),
        "kind": code,
        "topic": topic[:200],
        "presided_by": found["主持人"],
        "recorded_by": found["记录人"],
        "marks": {str(people[n]): m for n, m in marks.items()},
    }


def import_check(*, actor: Any, org: Organization, content: bytes, today: date) -> ImportPlan:
    """Every row's problems (第N行:…), or the plan to write; writes nothing."""
    require_import(actor, org)
    plan = ImportPlan()
    if len(content) > MAX_BYTES:
        plan.errors.append("文件超过5MB,请分批导入")
        return plan
    try:
        rows = read_xlsx_rows(content, max_rows=MAX_ROWS + 1, max_columns=MAX_COLUMNS)
    except WorkbookRefused as exc:
        plan.errors.append(str(exc))
        return plan
    header = [str(c or "").strip() for c in (rows[0] if rows else [])][: len(HEADERS)]
    if tuple(header) != HEADERS:
        plan.errors.append("第1行应为表头:" + "、".join(HEADERS) + "(请使用本页下载的模板)")
        return plan
    members = list(roster(org))
    names = [m.name for m in members]
    people = {m.name: m.pk for m in members if names.count(m.name) == 1}  # a name twice on the roster is ambiguous
    for number, cells in enumerate(rows[1:], start=2):
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        try:
            plan.rows.append(_row(cells, people, today))
        except RowError as exc:
            plan.errors.append(f"第{number}行:{exc}")
    if not plan.rows and not plan.errors:
        plan.errors.append("文件中没有数据行")
    return plan


def import_apply(*, actor: Any, org: Organization, rows: list[dict[str, Any]], filename: str, today: date) -> int:
    """Write a checked plan, all or nothing (the roster is read again: a member who left since the check refuses)."""
    require_import(actor, org)
    members = set(roster(org).values_list("pk", flat=True))
    with transaction.atomic():
        created = []
        for r in rows:
            named = {int(pk) for pk in r["marks"]} | {p for p in (r["presided_by"], r["recorded_by"]) if p}
            if named - members:
                raise ValidationError("有党员已不在本组织名册中,导入未进行:请重新上传文件检查")
            created.append(
                Meeting(
                    organization=org,
                    kind=r["kind"],
                    held_on=date.fromisoformat(r["held_on"]),
                    topic=r["topic"],
                    presided_by_id=r["presided_by"],
                    recorded_by_id=r["recorded_by"],
                    entered_on=today,
                    imported=True,
                    created_by=actor,
                )
            )
        created = Meeting.objects.bulk_create(created)
        Attendance.objects.bulk_create(
            Attendance(meeting=m, member_id=pk, mark=r["marks"].get(str(pk), Mark.PRESENT))
            for m, r in zip(created, rows, strict=True)
            for pk in sorted(members)
        )
        record(
            actor=actor,
            verb="meetings.import",
            summary=f"{org.name}:导入往年组织生活记录{len(rows)}条,文件{filename}"[:300],
            target=org,
            org_path=org.path,
            after={"count": len(rows), "file": filename},
        )
    return len(rows)
