"""The pages of organizational life: reached from the organization page, the phone form records a meeting with
three-way attendance, the detail shows the trail, the township board and the district coverage show its effect, a
stale edit is refused, the member page shows the member's year; lists keep a fixed number of queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Meeting
from meetings.services.meetings import Mark, meeting_record
from organizations.models import Organization

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("written_on")]


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _post_data(members, **kw):
    data = {"kind": "committee", "held_on": "2026-11-20", "topic": "研究冬季党员培训", "minutes": "", "resolutions": ""}
    for m in members:
        data[f"mark_{m.pk}"] = "present"
        data[f"reason_{m.pk}"] = ""
    data.update(kw)
    return data


def test_the_secretary_reaches_the_form_from_the_org_page_and_records(tree, users, members) -> None:
    c = client_for(users.sec_a1)
    page = c.get(reverse("organizations:org_detail", args=[tree.village_a1.pk])).content.decode()
    new_url = reverse("meetings:meeting_create", args=[tree.village_a1.pk])
    assert "组织生活" in page and new_url in page
    form = c.get(new_url).content.decode()
    assert form.count('value="present"') == 8 and "请假" in form and "缺席" in form
    a1 = members["a1"]
    data = _post_data(a1, **{f"mark_{a1[0].pk}": "absent", f"reason_{a1[0].pk}": "外出"})
    response = c.post(new_url, data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("meetings:meeting_detail", args=[meeting.pk])
    detail = c.get(response["Location"]).content.decode()
    assert "缺席" in detail and "外出" in detail and "登记支部委员会" in detail


def test_a_refused_form_keeps_what_was_typed(tree, users, members) -> None:
    c = client_for(users.sec_a1)
    a1 = members["a1"]
    data = _post_data(a1, **{f"mark_{a1[0].pk}": "absent", "topic": "我写的主题"})
    page = c.post(reverse("meetings:meeting_create", args=[tree.village_a1.pk]), data).content.decode()
    assert "缺席的党员请填写缺席原因" in page and "我写的主题" in page and not Meeting.objects.exists()


def test_a_stale_edit_is_refused(tree, users, members) -> None:
    meeting = meeting_record(
        actor=users.sec_a1,
        organization=tree.village_a1,
        values={"kind": "committee", "held_on": date(2026, 11, 20), "topic": "原主题"},
        marks={},
    )
    c = client_for(users.sec_a1)
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    page = c.get(url)
    version = page.context["form"].initial["record_version"]
    c.post(url, _post_data(members["a1"], topic="甲改", record_version=version))
    page = c.post(url, _post_data(members["a1"], topic="乙改", record_version=version)).content.decode()
    assert "已被他人修改" in page
    assert Meeting.objects.get().topic == "甲改"


def test_township_and_district_boards_show_the_effect(tree, users, members) -> None:
    Organization.objects.filter(pk=tree.village_a1.pk).update(established_on=date(2010, 1, 1))
    meeting_record(
        actor=users.sec_a1,
        organization=tree.village_a1,
        values={"kind": "theme_day", "held_on": date(2026, 10, 20), "topic": "主题党日"},
        marks={members["a1"][0].pk: Mark("leave", "生病")},
    )
    board = client_for(users.ts_a).get(reverse("meetings:township_board", args=[tree.township_a.pk]))
    row = next(r for r in board.context["rows"] if r.organization.pk == tree.village_a1.pk)
    theme = next(k for k in row.kinds if k.kind == "theme_day")
    assert theme.held == 1 and "10月" not in theme.missed and "9月" in theme.missed
    district = client_for(users.ds).get(reverse("meetings:district_board"))
    assert district.status_code == 200 and "东风镇党委" in district.content.decode()
    member_page = client_for(users.sec_a1).get(reverse("organizations:member_detail", args=[members["a1"][0].pk]))
    assert "参加组织生活情况" in member_page.content.decode()


def test_query_counts_do_not_grow_with_rows(tree, users, members) -> None:
    def count(url, user):
        with CaptureQueriesContext(connection) as ctx:
            assert client_for(user).get(url).status_code == 200
        return len(ctx)

    org_url = reverse("meetings:org_meetings", args=[tree.village_a1.pk])
    board = reverse("meetings:township_board", args=[tree.township_a.pk])
    district = reverse("meetings:district_board")
    lapses = reverse("meetings:lapses", args=[tree.township_a.pk])
    before = [
        count(org_url, users.sec_a1),
        count(board, users.ts_a),
        count(district, users.ds),
        count(lapses, users.ts_a),
    ]
    for month in range(1, 11):
        for org in (tree.village_a1, tree.branch_a21):
            meeting_record(
                actor=users.ds,
                organization=org,
                values={"kind": "committee", "held_on": date(2026, month, 5), "topic": f"{month}月支委会"},
                marks={},
            )
    after = [
        count(org_url, users.sec_a1),
        count(board, users.ts_a),
        count(district, users.ds),
        count(lapses, users.ts_a),
    ]
    assert after == before
    assert max(after) <= 40  # session, grants, menu and the page: fixed


def test_a_file_is_attached_from_the_detail_page_and_a_refused_one_said(tree, users, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    meeting = meeting_record(
        actor=users.sec_a1,
        organization=tree.village_a1,
        values={"kind": "lecture", "held_on": date(2026, 11, 20), "topic": "党课"},
        marks={},
    )
    c = client_for(users.sec_a1)
    url = reverse("meetings:file_add", args=[meeting.pk])
    assert c.get(url).status_code == 405
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = c.post(url, {"upload": SimpleUploadedFile("x.exe", b"MZ\x90\x00")}, follow=True).content.decode()
    assert "附件未上传" in bad and meeting.files.count() == 0
    good = c.post(url, {"upload": SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\nxx")}, follow=True).content.decode()
    assert "已上传“照片.png”" in good and meeting.files.count() == 1
    row = meeting.files.get()
    assert c.get(reverse("meetings:file_download", args=[row.pk])).status_code == 200
    assert client_for(users.sec_b1).get(reverse("meetings:file_download", args=[row.pk])).status_code == 404


def test_six_months_absent_without_leave_puts_a_member_on_the_art9_list(tree, users, members) -> None:
    a1 = members["a1"]
    for month in range(6, 12):  # June–November, absent each time; a1[1] on leave in August breaks the run
        marks = {a1[0].pk: Mark("absent", "未联系上"), a1[1].pk: Mark("leave" if month == 8 else "absent", "外出")}
        meeting_record(
            actor=users.sec_a1,
            organization=tree.village_a1,
            values={"kind": "theme_day", "held_on": date(2026, month, 10), "topic": "主题党日"},
            marks=marks,
        )
    page = client_for(users.ts_a).get(reverse("meetings:lapses", args=[tree.township_a.pk]))
    names = [lapse.member.pk for lapse in page.context["lapses"] if lapse.what == "未参加组织生活"]
    assert names == [a1[0].pk]
    assert "2026年6月—2026年11月,连续6个月" in page.content.decode()
