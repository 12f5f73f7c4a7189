"""Writes of organizational life: record a meeting with its attendance, correct it within the edit window (M9),
attach files. Each checks the actor's permission (EDIT_ROSTER on the organization: those who keep its records),
validates with Chinese messages, saves in one transaction and writes an audit event on the meeting."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from core import audit, uploads
from core.uploads import MEGABYTE, UploadPolicy, validate_upload
from meetings.models import Attendance, Meeting, MeetingFile
from meetings.rules import records as rules
from meetings.rules.frequency import MeetingKind
from organizations.models import Member, Organization, OrgKind
from organizations.roles import Perm
from organizations.scope import can

RECORD = Perm.EDIT_ROSTER  # who keeps the organization's records records its meetings
FILE_DIR = "meetings/files"
# Photos of the meeting, the signed minutes' scan, the slides of a 党课: the formats offices exchange, 20 MB each.
MEETING_UPLOADS = UploadPolicy(
    extensions=("jpg", "jpeg", "png", "pdf", "doc", "docx", "xls", "xlsx"), max_bytes=20 * MEGABYTE, what="附件"
)
MEETING_FIELDS = ("kind", "held_on", "topic", "presided_by", "recorded_by", "minutes", "resolutions")


@dataclass(frozen=True)
class Mark:
    mark: str
    reason: str = ""


def roster(org: Organization) -> QuerySet[Member]:
    """The members a meeting of ``org`` takes attendance of: its own and those of its 党小组, still members."""
    return (
        Member.objects.filter(organization__path__startswith=org.path, left_on__isnull=True)
        .filter(Q(organization=org) | Q(organization__kind=OrgKind.PARTY_GROUP, organization__depth=org.depth + 1))
        .order_by("name", "pk")
    )


def _check(actor: Any, org: Organization, what: str) -> None:
    if not can(actor, RECORD, org):
        raise PermissionDenied(f"您没有权限{what}{org.name}的组织生活记录")


def _validate(org: Organization, values: Mapping[str, Any], marks: Mapping[int, Mark], today: date) -> None:
    members = set(roster(org).values_list("pk", flat=True))
    problems = rules.record_problems(
        held_on=values.get("held_on"),
        today=today,
        topic=values.get("topic") or "",
        marks={pk: marks[pk].mark if pk in marks else rules.Mark.PRESENT for pk in members | set(marks)},
        reasons={pk: m.reason for pk, m in marks.items()},
    )
    if values.get("kind") not in MeetingKind.values:
        problems.append("请选择会议类型")
    for field, label in (("presided_by", "主持人"), ("recorded_by", "记录人")):
        person = values.get(field)
        if person is not None and person.pk not in members:
            problems.append(f"{label}应为本组织的党员")
    if set(marks) - members:
        problems.append("考勤名单中有不属于本组织的党员:请刷新页面后重新登记")
    if problems:
        raise ValidationError(problems)


def _write_attendance(meeting: Meeting, org: Organization, marks: Mapping[int, Mark]) -> dict[str, int]:
    """Everyone on the roster gets a mark (present unless marked otherwise); returns the counts by mark."""
    meeting.attendance.all().delete()
    rows = []
    for pk in roster(org).values_list("pk", flat=True):
        given = marks.get(pk, Mark(rules.Mark.PRESENT))
        reason = given.reason.strip()[:100] if given.mark != rules.Mark.PRESENT else ""
        rows.append(Attendance(meeting=meeting, member_id=pk, mark=given.mark, reason=reason))
    Attendance.objects.bulk_create(rows)
    counts = {m: 0 for m in rules.Mark.values}
    for row in rows:
        counts[row.mark] += 1
    return counts


def _summary_counts(counts: Mapping[str, int]) -> str:
    return f"出席{counts['present']}人,请假{counts['leave']}人,缺席{counts['absent']}人"


def meeting_record(
    *,
    actor: Any,
    organization: Organization,
    values: Mapping[str, Any],
    marks: Mapping[int, Mark],
    upload: UploadedFile | None = None,
) -> Meeting:
    """Record a meeting held by ``organization`` with the attendance of its roster (everyone not in ``marks`` is
    present). ``values``: the fields of ``MEETING_FIELDS``."""
    _check(actor, organization, "登记")
    today = timezone.localdate()
    _validate(organization, values, marks, today)
    if upload:
        validate_upload(upload, MEETING_UPLOADS)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            organization=organization,
            entered_on=today,
            created_by=actor,
            **{k: (values.get(k) or "") if k in ("minutes", "resolutions") else values.get(k) for k in MEETING_FIELDS},
        )
        counts = _write_attendance(meeting, organization, marks)
        audit.record_on(
            meeting,
            actor=actor,
            verb="meetings.record",
            summary=f"登记{meeting.get_kind_display()}({meeting.held_on:%Y-%m-%d},{_summary_counts(counts)})",
            after={**audit.snapshot(meeting, ("kind", "held_on", "topic")), **counts},
        )
        if upload:
            _store_file(actor, meeting, upload)
    return meeting


def meeting_update(
    *,
    actor: Any,
    meeting: Meeting,
    values: Mapping[str, Any],
    marks: Mapping[int, Mark],
    upload: UploadedFile | None = None,
) -> Meeting:
    """Correct a record within its edit window (M9); after it, the record is locked and the refusal says since when."""
    org = meeting.organization
    _check(actor, org, "修改")
    today = timezone.localdate()
    if rules.is_locked(meeting.entered_on, today):
        raise ValidationError(
            f"该记录登记于{meeting.entered_on:%Y-%m-%d},修改期限为{rules.EDIT_WINDOW_DAYS}天,"
            f"已于{rules.editable_until(meeting.entered_on):%Y-%m-%d}锁定,不能再修改"
        )
    _validate(org, values, marks, today)
    if upload:
        validate_upload(upload, MEETING_UPLOADS)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        before = audit.snapshot(locked, MEETING_FIELDS)
        old = {a.member_id: (a.mark, a.reason) for a in locked.attendance.all()}
        for k in MEETING_FIELDS:
            setattr(locked, k, (values.get(k) or "") if k in ("minutes", "resolutions") else values.get(k))
        locked.save()
        counts = _write_attendance(locked, org, marks)
        new = {a.member_id: (a.mark, a.reason) for a in locked.attendance.all()}
        changed_marks = sum(1 for pk in new if old.get(pk) != new[pk])
        b, a = audit.changed(before, audit.snapshot(locked, MEETING_FIELDS))
        audit.record_on(
            locked,
            actor=actor,
            verb="meetings.update",
            summary=(
                f"修改{locked.get_kind_display()}记录({locked.held_on:%Y-%m-%d},{_summary_counts(counts)};"
                f"考勤变更{changed_marks}人)"
            ),
            before=b,
            after={**a, **({"count": changed_marks} if changed_marks else {})},
        )
        if upload:
            _store_file(actor, locked, upload)
    return locked


def _store_file(actor: Any, meeting: Meeting, upload: UploadedFile) -> MeetingFile:
    original = uploads.display_name(upload.name or "")
    path = f"{FILE_DIR}/{meeting.organization_id}/{uploads.stored_name(upload.name or '')}"
    saved = default_storage.save(path, upload)
    try:
        row = MeetingFile.objects.create(
            meeting=meeting,
            file=saved,
            original_name=original,
            content_type=uploads.content_type_for(upload.name or ""),
            size=upload.size,
            uploaded_by=actor,
        )
        audit.record_on(
            meeting,
            actor=actor,
            verb="meetings.file_add",
            summary=f"上传会议附件“{original}”",
            after={"file": row.pk, "size": upload.size},
        )
    except BaseException:
        default_storage.delete(saved)
        raise
    return row


def file_add(*, actor: Any, meeting: Meeting, upload: UploadedFile) -> MeetingFile:
    """Attach a photo or file to a record (also after its edit window: adding evidence changes nothing recorded).
    A refused file leaves nothing on disk and no row."""
    _check(actor, meeting.organization, "上传")
    validate_upload(upload, MEETING_UPLOADS)
    with transaction.atomic():
        return _store_file(actor, meeting, upload)
