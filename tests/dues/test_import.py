"""Import of a year's past collections: per-row Chinese errors on the check, nothing written unless every row is
right, then all rows in one transaction with one event; the page's two steps."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.documents import write_xlsx
from core.models import Event
from dues.models import DuesMonth, Payment
from dues.services.imports import HEADERS, import_apply, import_check


def _xlsx(rows) -> bytes:
    return write_xlsx(headers=list(HEADERS), rows=rows, text_columns=["身份证号"])


def test_a_clean_file_is_checked_then_written_all_at_once(clock, users, members, tree) -> None:
    a, b = members["a1"][:2]
    content = _xlsx(
        [
            [a.name, a.id_number, 2025, 11, 30, 30, "2025-11-20"],
            [a.name, a.id_number, 2025, 12, 30, 10, date(2025, 12, 28)],
            [b.name, b.id_number, 2025, 12, 0.2, 0, None],
        ]
    )
    plan = import_check(actor=users.ts_a, org=tree.village_a1, content=content, today=clock)
    assert plan.errors == [] and len(plan.rows) == 3 and plan.members == 2
    assert not DuesMonth.objects.filter(year=2025).exists()  # the check writes nothing
    assert import_apply(actor=users.ts_a, org=tree.village_a1, rows=plan.rows, filename="2025.xlsx") == 3
    assert DuesMonth.objects.get(member=a, year=2025, month=12).paid == D("10")
    assert DuesMonth.objects.get(member=b, year=2025, month=12).due == D("0.20")
    assert Payment.objects.filter(via="import").count() == 2
    assert Event.objects.filter(verb="dues.import", org_path=tree.village_a1.path).count() == 1


def test_every_bad_row_is_named_and_nothing_is_planned(clock, users, members, tree) -> None:
    a = members["a1"][0]
    other = members["b1"][0]
    content = _xlsx(
        [
            [a.name, a.id_number, 2025, 11, 30, 30, "2025-11-20"],
            ["别人", a.id_number, 2025, 10, 30, 30, "2025-10-20"],
            [other.name, other.id_number, 2025, 10, 30, 30, "2025-10-20"],
            [a.name, a.id_number, 2025, 13, 30, 30, "2025-10-20"],
            [a.name, a.id_number, 2025, 9, "三十", 30, "2025-10-20"],
            [a.name, a.id_number, 2025, 8, 30, 30, None],
            [a.name, a.id_number, 2025, 11, 30, 30, "2025-11-21"],
            [a.name, a.id_number, 2026, 6, 30, 30, "2026-06-01"],
        ]
    )
    plan = import_check(actor=users.ts_a, org=tree.village_a1, content=content, today=clock)
    assert plan.errors == [
        f"第3行:姓名“别人”与身份证号登记的“{a.name}”不一致",
        f"第4行:身份证号为“{other.id_number}”的党员不在本组织",
        "第5行:月份“13”应为1至12之间的整数",
        "第6行:“三十”不是有效的金额",
        "第7行:实交大于0时应填写交纳日期",
        "第8行:与第2行是同一党员的同一月份",
        "第9行:2026年6月尚未结束,只能导入已结束月份的记录",
    ]
    assert not plan.ok


def test_a_month_already_recorded_by_hand_refuses_the_whole_import(clock, users, members, tree) -> None:
    from dues.services.records import declaration_save, payment_record

    a, b = members["a1"][:2]
    declaration_save(actor=users.sec_a1, member=a, year=2026, from_month=1, category="student")
    payment_record(actor=users.sec_a1, member=a, year=2026, month=2, amount=D("0.2"), paid_on=date(2026, 3, 1))
    content = _xlsx(
        [[b.name, b.id_number, 2026, 1, 0.2, 0.2, "2026-01-10"], [a.name, a.id_number, 2026, 2, 0.2, 0.2, "2026-02-10"]]
    )
    plan = import_check(actor=users.ts_a, org=tree.village_a1, content=content, today=clock)
    assert plan.ok
    with pytest.raises(Exception, match="已有党费登记,导入未进行"):
        import_apply(actor=users.ts_a, org=tree.village_a1, rows=plan.rows, filename="x.xlsx")
    assert not DuesMonth.objects.filter(member=b).exists()


def test_a_secretary_may_not_import(clock, users, tree) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_check(actor=users.sec_a1, org=tree.village_a1, content=b"", today=clock)


def test_not_a_workbook_is_refused_in_chinese(clock, users, tree) -> None:
    plan = import_check(actor=users.ts_a, org=tree.village_a1, content=b"name,id\n", today=clock)
    assert plan.errors and ".xlsx" in plan.errors[0]


def test_the_page_checks_then_imports_on_confirmation(client, clock, users, members, tree) -> None:
    a = members["a1"][0]
    client.force_login(users.ts_a)
    url = reverse("dues:import", args=[tree.village_a1.pk])
    template = client.get(reverse("dues:import_template", args=[tree.village_a1.pk]))
    assert template.status_code == 200 and template.content[:2] == b"PK"
    upload = SimpleUploadedFile("2025.xlsx", _xlsx([[a.name, a.id_number, 2025, 12, 30, 30, "2025-12-20"]]))
    checked = client.post(url, {"file": upload})
    assert "检查通过:1条记录" in checked.content.decode()
    assert not DuesMonth.objects.filter(member=a).exists()
    done = client.post(url, {"confirm": "1"})
    assert done.status_code == 302
    assert DuesMonth.objects.get(member=a, year=2025, month=12).paid == D("30")
