"""Import of a year's past meeting records (issue 16 deliver 7): a template to download, a check that answers every
row's problems in Chinese and writes nothing, then all-or-nothing with one audit event; others may not import."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.models import Event
from meetings.models import Attendance, Meeting
from meetings.services.imports import HEADERS, import_check

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("written_on")]
TODAY = date(2026, 11, 28)


def workbook(rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(HEADERS))
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_every_rows_problem_is_said_and_nothing_written(tree, users, members) -> None:
    a1 = members["a1"]
    content = workbook(
        [
            ["2025-03-08", "支部委员会", "三月支委会", a1[0].name, a1[1].name, a1[2].name, ""],
            ["2027-01-01", "支部委员会", "未来", "", "", "", ""],
            ["2025-04-08", "茶话会", "x", "", "", "", ""],
            ["2025-05-08", "党课", "", "", "", "", ""],
            ["2025-06-08", "党课", "党课", "外人", "", "", ""],
            ["2025-07-08", "党课", "党课", "", "", a1[3].name, a1[3].name],
        ]
    )
    plan = import_check(actor=users.sec_a1, org=tree.village_a1, content=content, today=TODAY)
    assert not plan.ok and len(plan.rows) == 1
    assert plan.errors == [
        "第3行:会议日期2027-01-01晚于今天:只能导入已召开的会议",
        "第4行:会议类型“茶话会”应为支部党员大会、支部委员会、党小组会、党课、主题党日、组织生活会、民主评议党员、民主生活会之一",
        "第5行:请填写会议主题",
        "第6行:主持人“外人”不在本组织的党员名册中",
        f"第7行:“{a1[3].name}”同时列为请假和缺席",
    ]
    with pytest.raises(PermissionDenied):
        import_check(actor=users.sec_b1, org=tree.village_a1, content=content, today=TODAY)


def test_check_then_confirm_writes_all_with_attendance(tree, users, members) -> None:
    a1 = members["a1"]
    c = client_for(users.sec_a1)
    url = reverse("meetings:import", args=[tree.village_a1.pk])
    org_page = c.get(reverse("meetings:org_meetings", args=[tree.village_a1.pk])).content.decode()
    assert url in org_page
    template = c.get(reverse("meetings:import_template", args=[tree.village_a1.pk]))
    assert openpyxl.load_workbook(io.BytesIO(template.content)).active["A1"].value == "会议日期"
    rows = [
        ["2025-03-08", "支部委员会", "三月支委会", a1[0].name, a1[1].name, a1[2].name, a1[3].name],
        ["2025-04-12", "主题党日", "主题党日:植树", "", "", "", ""],
    ]
    upload = SimpleUploadedFile("记录.xlsx", workbook(rows))
    page = c.post(url, {"file": upload}).content.decode()
    assert "检查通过:共2条记录" in page and not Meeting.objects.exists()
    response = c.post(url, {"confirm": "1"})
    assert response.status_code == 302
    assert Meeting.objects.filter(imported=True).count() == 2
    first = Meeting.objects.get(topic="三月支委会")
    marks = dict(Attendance.objects.filter(meeting=first).values_list("member_id", "mark"))
    assert marks[a1[2].pk] == "leave" and marks[a1[3].pk] == "absent" and marks[a1[4].pk] == "present"
    assert Event.objects.filter(verb="meetings.import").count() == 1
    assert c.post(url, {"confirm": "1"}).status_code == 302 and Meeting.objects.count() == 2  # once only
