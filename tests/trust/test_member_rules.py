"""One rule set for the member form and the roster import (issue 12 §8), and the organization forms' number bounds.

The rows the probe slipped through the import (转正 before 入党, joining under 18, born 2030 and joined 2050, a phone
``abc<script>``, a bad ID check digit) are refused by the pure rules of ``organizations.rules``, by the form and by
the import alike: the same cases, the same words.
"""

from __future__ import annotations

from datetime import date

import pytest

from organizations import rules
from organizations.forms import MemberForm, OrganizationForm, TermForm
from organizations.models import Member
from organizations.resources.files import member_headers
from organizations.services.member_import import import_members

TODAY = date(2026, 11, 28)
GOOD_ID = "11010519491231002X"

# (form field → value, the words both must say)
BAD_ROWS = [
    ({"joined_on": "2005-07-01", "full_member_on": "2004-01-01"}, "转正日期不能早于入党日期"),
    ({"birth_date": "1990-05-01", "joined_on": "2008-04-30"}, "入党时应年满18岁"),
    ({"birth_date": "2030-01-01", "joined_on": "2050-01-01", "full_member_on": ""}, "出生日期不能晚于今天"),
    ({"birth_date": "2030-01-01", "joined_on": "2050-01-01", "full_member_on": ""}, "入党日期不能晚于今天"),
    ({"phone": "abc<script>"}, "联系电话只能包含数字"),
    ({"id_number": "110105194912310021"}, "校验位不正确"),
]
COLUMNS = {
    "birth_date": "出生日期",
    "joined_on": "入党日期",
    "full_member_on": "转正日期",
    "phone": "联系电话",
    "id_number": "身份证号",
}


def test_rules_are_pure_and_exact() -> None:
    assert rules.id_number_error(GOOD_ID) is None
    assert "校验位" in rules.id_number_error("110105194912310021")
    assert rules.id_number_error("12345")
    assert rules.phone_error("") is None and rules.phone_error("13912345678") is None
    assert rules.phone_error("0771-1234567") is None and rules.phone_error("+86 139 1234 5678") is None
    assert rules.phone_error("abc<script>") and rules.phone_error("123")
    # 18 on the very day is old enough; a day before is not
    ok = rules.member_record_errors(
        birth_date=date(1990, 5, 1), joined_on=date(2008, 5, 1), full_member_on=None, today=TODAY
    )
    assert ok == []
    young = rules.member_record_errors(
        birth_date=date(1990, 5, 1), joined_on=date(2008, 4, 30), full_member_on=None, today=TODAY
    )
    assert young == [("joined_on", "入党时应年满18岁")]
    assert rules.name_error("姓名", "张\u200b三") and rules.name_error("姓名", "阿依古丽·买买提") is None


def form_data(**changes: str) -> dict[str, str]:
    data = {
        "name": "张三",
        "gender": "male",
        "ethnicity": "汉族",
        "birth_date": "1980-05-01",
        "education": "bachelor",
        "occupation": "",
        "joined_on": "2005-07-01",
        "status": "full",
        "full_member_on": "2006-07-01",
        "id_number": GOOD_ID,
        "phone": "13912345678",
        "left_on": "",
        "left_reason": "",
        "migrant_note": "",
    }
    data.update(changes)
    return data


def import_csv(changes: dict[str, str]) -> bytes:
    data = form_data(**changes)
    row = {
        "组织代码": "T01-001",
        "姓名": data["name"],
        "民族": data["ethnicity"],
        "性别": "男",
        "出生日期": data["birth_date"],
        "学历": "大学本科",
        "入党日期": data["joined_on"],
        "转正日期": data["full_member_on"],
        "身份证号": data["id_number"],
        "联系电话": data["phone"],
    }
    headers = member_headers()
    lines = [",".join(headers), ",".join(row.get(h, "") for h in headers)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


@pytest.mark.usefixtures("written_on")
@pytest.mark.parametrize(("changes", "words"), BAD_ROWS)
def test_form_and_import_refuse_the_same_rows(users, tree, changes, words) -> None:
    form = MemberForm(form_data(**changes))
    assert not form.is_valid()
    assert any(words in message for messages in form.errors.values() for message in messages), form.errors
    report = import_members(
        actor=users.ts_a, under=tree.township_a, file=import_csv(changes), filename="m.csv", dry_run=False
    )
    assert any(words in error for error in report.errors), report.errors
    assert not Member.objects.exists()


@pytest.mark.usefixtures("written_on")
def test_a_good_row_passes_both(users, tree) -> None:
    assert MemberForm(form_data()).is_valid()
    report = import_members(
        actor=users.ts_a, under=tree.township_a, file=import_csv({}), filename="m.csv", dry_run=True
    )
    assert report.ok, report.errors


@pytest.mark.parametrize("value", ["0", "-1", "1000", "40000", "1e27", "9" * 400])
def test_organization_numbers_are_bounded(db, value) -> None:
    form = OrganizationForm(
        {"name": "甲支部", "field": "", "units_covered": value, "established_on": "", "address": ""}
    )
    assert not form.is_valid() and "覆盖单位数应为1至999之间的整数" in str(form.errors["units_covered"])
    form = TermForm({"elected_on": "2021-11-01", "seats": value, "note": ""})
    assert not form.is_valid() and "委员职数应为1至99之间的整数" in str(form.errors["seats"])
