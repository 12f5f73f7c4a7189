"""Recording organizational life (issue 16 deliver 1): the secretary records a meeting with the roster's attendance
(everyone present unless marked), corrects it within 30 days (M9), then it is locked; each write leaves an audit
event; others get 403/PermissionDenied; bad input a Chinese refusal; the district adjusts a year (M1–M8)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Event
from meetings.models import Attendance, Meeting, Requirement
from meetings.selectors import compliance
from meetings.services.meetings import Mark, file_add, meeting_record, meeting_update
from meetings.services.requirements import requirements_set

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("written_on")]
TODAY = date(2026, 11, 28)


def _values(**kw):
    return {"kind": "committee", "held_on": date(2026, 11, 20), "topic": "研究冬季党员培训", **kw}


def test_a_secretary_records_a_meeting_everyone_present_unless_marked(tree, users, members) -> None:
    a1 = members["a1"]
    marks = {a1[1].pk: Mark("leave", "外出务工"), a1[2].pk: Mark("absent", "未通知到")}
    meeting = meeting_record(
        actor=users.sec_a1,
        organization=tree.village_a1,
        values=_values(presided_by=a1[0], recorded_by=a1[3]),
        marks=marks,
    )
    rows = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting)}
    assert len(rows) == 8
    assert rows[a1[1].pk].mark == "leave" and rows[a1[1].pk].reason == "外出务工"
    assert sum(1 for a in rows.values() if a.mark == "present") == 6
    event = Event.objects.get(verb="meetings.record", target_id=str(meeting.pk))
    assert event.org_path == tree.village_a1.path and "出席6人,请假1人,缺席1人" in event.summary
    assert meeting.entered_on == TODAY


def test_refusals_are_in_chinese(tree, users, members) -> None:
    with pytest.raises(ValidationError) as e:
        meeting_record(
            actor=users.sec_a1,
            organization=tree.village_a1,
            values=_values(held_on=TODAY + timedelta(days=1), topic="", presided_by=members["b1"][0]),
            marks={members["a1"][0].pk: Mark("absent")},
        )
    text = " ".join(e.value.messages)
    assert "晚于今天" in text and "请填写会议主题" in text and "主持人应为本组织的党员" in text and "缺席原因" in text
    assert not Meeting.objects.exists()


def test_others_may_not_record(tree, users) -> None:
    with pytest.raises(PermissionDenied):
        meeting_record(actor=users.sec_b1, organization=tree.village_a1, values=_values(), marks={})
    with pytest.raises(PermissionDenied):
        meeting_record(actor=users.viewer_a, organization=tree.village_a1, values=_values(), marks={})


def test_a_correction_within_thirty_days_then_locked(tree, users, members) -> None:
    a1 = members["a1"]
    meeting = meeting_record(actor=users.sec_a1, organization=tree.village_a1, values=_values(), marks={})
    updated = meeting_update(
        actor=users.ts_a,
        meeting=meeting,
        values=_values(topic="研究冬季党员培训和慰问"),
        marks={a1[0].pk: Mark("leave", "生病")},
    )
    assert updated.topic == "研究冬季党员培训和慰问"
    event = Event.objects.get(verb="meetings.update", target_id=str(meeting.pk))
    assert event.before["topic"] == "研究冬季党员培训" and "考勤变更1人" in event.summary
    with time_machine.travel(date(2026, 12, 29), tick=False):  # entered 11-28: editable until 12-28
        with pytest.raises(ValidationError) as e:
            meeting_update(actor=users.sec_a1, meeting=updated, values=_values(), marks={})
        assert "锁定" in e.value.messages[0]


def test_a_file_is_checked_stored_and_audited(tree, users, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    meeting = meeting_record(actor=users.sec_a1, organization=tree.village_a1, values=_values(), marks={})
    row = file_add(actor=users.sec_a1, meeting=meeting, upload=SimpleUploadedFile("会议照片.jpg", b"\xff\xd8\xff\xe0x"))
    assert row.original_name == "会议照片.jpg" and Event.objects.filter(verb="meetings.file_add").count() == 1
    with pytest.raises(ValidationError):
        file_add(actor=users.sec_a1, meeting=meeting, upload=SimpleUploadedFile("x.exe", b"MZ\x90\x00"))
    assert meeting.files.count() == 1


def test_the_district_adjusts_a_year_and_compliance_follows(tree, users, members) -> None:
    meeting_record(actor=users.sec_a1, organization=tree.village_a1, values=_values(kind="lecture"), marks={})
    with pytest.raises(PermissionDenied):
        requirements_set(actor=users.ts_a, year=2026, values={"lecture": ("yearly", 1, True)}, note="文件")
    with pytest.raises(ValidationError):
        requirements_set(actor=users.ds, year=2026, values={"lecture": ("yearly", 1, True)}, note=" ")
    saved = requirements_set(
        actor=users.ds,
        year=2026,
        values={"lecture": ("yearly", 1, True), "theme_day": ("monthly", 1, True)},
        note="区委文件",
    )
    assert [r.kind for r in saved] == ["lecture"]  # theme_day unchanged from the default: no row
    assert Requirement.objects.get(year=2026, kind="lecture").rhythm == "yearly"
    assert Event.objects.get(verb="meetings.requirements_set").after == {"党课": "每年1次"}
    row = compliance.compliance_of(users.ds, tree.village_a1, 2026)
    lecture = next(k for k in row.kinds if k.kind == "lecture")
    assert lecture.rhythm == "yearly" and lecture.missed == ()


def test_the_audit_trail_reads_in_chinese(tree, users, members) -> None:
    from core.audit_words import changes_in_words

    meeting = meeting_record(actor=users.sec_a1, organization=tree.village_a1, values=_values(), marks={})
    event = Event.objects.get(verb="meetings.record", target_id=str(meeting.pk))
    words = {label: after for label, _, after in changes_in_words(event)}
    assert words["类型"] == "支部委员会" and words["出席人数"] == "8" and words["缺席人数"] == "0"
    assert {"会议日期", "会议主题", "请假人数"} <= set(words)
