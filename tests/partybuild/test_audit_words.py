"""The audit log and timelines show each change under a Chinese label with readable values, never raw keys."""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.urls import reverse

from core import audit
from core.audit_words import changes_in_words
from core.models import Event
from organizations.services import members as services

RAW = re.compile(r"\b(format|job|personal_data|method|done_on|occupation|True|False|xlsx|indirect)\b")


def _export_event(users, tree) -> Event:
    return audit.record(
        actor=users.ts_a,
        verb="roster.export",
        summary="导出党员名册",
        target=tree.village_a1,
        org_path=tree.village_a1.path,
        after={"format": "xlsx", "job": 2, "personal_data": True, "method": "indirect", "done_on": None},
    )


def test_raw_keys_and_values_become_words(users, tree):
    rows = changes_in_words(_export_event(users, tree))
    assert rows[:3] == [("文件格式", "", "Excel 表格"), ("后台任务编号", "", "2"), ("含个人信息", "", "是")]
    assert rows[3][0] == "选举方式" and rows[3][2].startswith("间接选举")  # the choice's own label
    assert rows[4] == ("完成日期", "", "—")


def test_a_model_field_is_labelled_by_its_verbose_name_and_choices(users, members):
    member = members["a1"][0]
    services.member_update(actor=users.ts_a, member=member, occupation="教师")
    event = Event.objects.filter(verb__startswith="member.").latest("pk")
    rows = changes_in_words(event)
    assert any(label == "职业" and after == "教师" for label, before, after in rows), rows


def test_an_unknown_key_reads_as_a_neutral_word():
    event = Event(target_type="", before={}, after={"zzz_internal": "1"})
    assert changes_in_words(event) == [("其他信息", "", "1")]


def test_the_audit_log_page_shows_no_raw_keys(client, users, tree):
    _export_event(users, tree)
    client.force_login(users.ds)
    page = client.get(reverse("core:audit_log")).content.decode()
    cell = page[page.index("<tbody>") : page.index("</tbody>")]
    assert "文件格式:Excel 表格" in cell and "含个人信息:是" in cell and "选举方式:间接选举" in cell
    assert not RAW.search(cell), RAW.search(cell)


def test_the_timeline_shows_no_raw_keys(users, tree):
    event = _export_event(users, tree)
    html = render_to_string("partybuild/_timeline.html", {"events": [event]})
    assert "文件格式:Excel 表格" in html and not RAW.search(html)


def test_a_key_named_like_a_reverse_relation_is_still_labelled(users, tree):
    """``members`` is a reverse relation of Organization, not a field: the table's label, no crash."""
    event = audit.record(actor=users.ts_a, verb="x.y", summary="s", target=tree.village_a1, after={"members": 3})
    assert changes_in_words(event) == [("党员", "", "3")]


def test_a_value_of_a_field_the_target_does_not_have_reads_as_its_choice(users, tree):
    # an election step's upload is recorded on its project as {"kind": "minutes"}: a choice of DocumentKind, not of
    # the first model that has a field named "kind" (Organization)
    event = audit.record(
        actor=users.ts_a,
        verb="election.step_upload",
        summary="上传会议记录",
        target=tree.village_a1,
        org_path=tree.village_a1.path,
        after={"kind": "minutes"},
    )
    assert changes_in_words(event) == [("类型", "", "会议记录")]
