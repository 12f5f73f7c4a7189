"""The dues pages as each role sees them: the ledger (amounts masked without view_personal_data), batch entry
through the form flow, the boards, the six-month list, the exports; query counts that do not grow with members."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Event
from dues.models import DuesMonth
from dues.services.records import declaration_save, payment_record
from tests.factories import MemberFactory


def _client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def paid(declared, users):
    """Members 1–3 paid January–May; member 4 paid January only; the others nothing."""
    for m in declared[1:4]:
        for month in range(1, 6):
            payment_record(
                actor=users.sec_a1, member=m, year=2026, month=month, amount=D("40"), paid_on=date(2026, 6, 1)
            )
    payment_record(actor=users.sec_a1, member=declared[4], year=2026, month=1, amount=D("40"), paid_on=date(2026, 6, 1))
    return declared


def test_the_secretary_sees_amounts_and_arrears(client, paid, users, tree) -> None:
    page = _client(client, users.sec_a1).get(reverse("dues:ledger", args=[tree.village_a1.pk]) + "?year=2026")
    text = page.content.decode()
    assert page.status_code == 200
    assert "收缴率" in text and "欠缴金额" in text and "40.00" in text
    book = page.context["book"]
    assert book.rate == D("45.6")  # collected 15×40 + 40 = 640 of (7×200 + 2.5) = 1402.5
    assert book.owing_members == 5


def test_a_viewer_sees_states_without_amounts(client, paid, users, tree) -> None:
    page = _client(client, users.viewer_a).get(reverse("dues:ledger", args=[tree.village_a1.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "只显示交纳状态" in text and "40.00" not in text and "未交" in text
    assert "批量登记" not in text


def test_the_ledger_runs_the_same_queries_for_more_members(client, declared, users, tree) -> None:
    c = _client(client, users.sec_a1)
    url = reverse("dues:ledger", args=[tree.village_a1.pk])
    c.get(url)
    with CaptureQueriesContext(connection) as small:
        c.get(url)
    for m in MemberFactory.create_batch(10, organization=tree.village_a1):
        declaration_save(actor=users.sec_a1, member=m, year=2026, from_month=1, category="student")
    with CaptureQueriesContext(connection) as large:
        c.get(url)
    assert len(large) == len(small)


def test_batch_entry_from_the_page(client, declared, users, tree) -> None:
    c = _client(client, users.sec_a1)
    url = reverse("dues:batch", args=[tree.village_a1.pk]) + "?year=2026&month=5"
    page = c.get(url)
    form = page.context["form"]
    data = {"paid_on": "2026-06-10", "record_version": form.initial["record_version"]}
    data[f"amount_{declared[1].pk}"] = "40"
    data[f"amount_{declared[2].pk}"] = "15.5"
    response = c.post(url, data)
    assert response.status_code == 302
    paid = dict(DuesMonth.objects.filter(organization=tree.village_a1, month=5).values_list("member_id", "paid"))
    assert paid[declared[1].pk] == D("40") and paid[declared[2].pk] == D("15.5")
    stale = c.post(url, data)  # the same page again: its version is old now
    assert "为避免覆盖" in stale.content.decode()
    assert DuesMonth.objects.get(member=declared[1], month=5).paid == D("40")


def test_batch_entry_refuses_a_bad_amount_keeping_what_was_typed(client, declared, users, tree) -> None:
    c = _client(client, users.sec_a1)
    url = reverse("dues:batch", args=[tree.village_a1.pk]) + "?year=2026&month=5"
    version = c.get(url).context["form"].initial["record_version"]
    page = c.post(url, {"paid_on": "2026-06-10", "record_version": version, f"amount_{declared[1].pk}": "1.234"})
    assert page.status_code == 200 and "1.234" in page.content.decode()
    assert "最多" in page.content.decode()


def test_a_liaison_may_not_open_batch_entry(client, declared, users, tree) -> None:
    assert _client(client, users.liaison).get(reverse("dues:batch", args=[tree.community_b1.pk])).status_code == 403


def test_declaring_from_the_page(client, clock, users, members) -> None:
    member = members["a1"][5]
    c = _client(client, users.sec_a1)
    url = reverse("dues:declare", args=[member.pk]) + "?year=2026"
    response = c.post(url, {"from_month": "1", "category": "retired", "base": "5000.01"})
    assert response.status_code == 302
    assert DuesMonth.objects.filter(member=member, due=D("50.00")).count() == 12
    refused = c.post(url, {"from_month": "1", "category": "employed", "base": ""})
    assert "在职党员应填写计算基数" in refused.content.decode()


def test_the_township_board_and_the_district_board(client, paid, users, tree) -> None:
    page = _client(client, users.ts_a).get(reverse("dues:township_board", args=[tree.township_a.pk]))
    assert page.status_code == 200 and tree.village_a1.name in page.content.decode()
    total = page.context["total"]
    assert total.rate == D("45.6") and total.owing_members == 5
    district = _client(client, users.ds).get(reverse("dues:district_board"))
    lines = {line.township.pk: line for line in district.context["page"].object_list}
    assert lines[tree.township_a.pk].figures.rate == D("45.6")
    assert lines[tree.township_b.pk].figures.rate is None


def test_the_menu_entry_takes_each_role_to_its_page(client, users, tree) -> None:
    assert _client(client, users.ds).get(reverse("dues:home")).url == reverse("dues:district_board")
    assert client.get("/").status_code in (200, 302)
    assert _client(client, users.ts_a).get(reverse("dues:home")).url == reverse(
        "dues:township_board", args=[tree.township_a.pk]
    )
    assert _client(client, users.sec_a1).get(reverse("dues:home")).url == reverse(
        "dues:ledger", args=[tree.village_a1.pk]
    )


def test_the_exports_download_with_an_event(client, paid, users, tree) -> None:
    c = _client(client, users.sec_a1)
    xlsx = c.get(reverse("dues:ledger_xlsx", args=[tree.village_a1.pk]) + "?year=2026")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = c.get(reverse("dues:ledger_pdf", args=[tree.village_a1.pk]) + "?year=2026")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    assert Event.objects.filter(verb="dues.export", org_path=tree.village_a1.path).count() == 2
    assert (
        _client(client, users.liaison).get(reverse("dues:ledger_xlsx", args=[tree.community_b1.pk])).status_code == 403
    )


def test_the_township_board_runs_the_same_queries_for_more_organizations(client, declared, users, tree) -> None:
    from organizations.models import OrgKind
    from organizations.services.tree import organization_create

    c = _client(client, users.ts_a)
    url = reverse("dues:township_board", args=[tree.township_a.pk])
    c.get(url)
    with CaptureQueriesContext(connection) as small:
        c.get(url)
    for n in range(3):
        org = organization_create(
            actor=users.ds, parent=tree.township_a, code=f"T01-9{n}", name=f"新党支部{n}", kind=OrgKind.BRANCH
        )
        for m in MemberFactory.create_batch(2, organization=org):
            declaration_save(actor=users.ds, member=m, year=2026, from_month=1, category="student")
    with CaptureQueriesContext(connection) as large:
        c.get(url)
    assert len(large) == len(small)


def test_single_entry_and_withdrawal_from_the_member_page(client, declared, users) -> None:
    c = _client(client, users.sec_a1)
    member = declared[1]
    url = reverse("dues:member", args=[member.pk]) + "?year=2026"
    done = c.post(url, {"month": "4", "amount": "40", "paid_on": "2026-06-02", "note": ""})
    assert done.status_code == 302
    page = c.get(url)
    assert "4月 · 40.00元" in page.content.decode()
    payment = page.context["view"].payments[0]
    confirm = c.get(reverse("dues:payment_delete", args=[payment.pk]))
    assert "撤销这笔党费登记" in confirm.content.decode()
    assert DuesMonth.objects.get(member=member, month=4).paid == D("40")  # a GET changes nothing
    c.post(reverse("dues:payment_delete", args=[payment.pk]), {"reason": "重复登记"})
    assert DuesMonth.objects.get(member=member, month=4).paid == 0


def test_a_viewer_sees_no_payment_form_and_no_amounts_on_the_member_page(client, declared, users) -> None:
    page = _client(client, users.viewer_a).get(reverse("dues:member", args=[declared[1].pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "登记一笔党费" not in text and "40.00" not in text


def test_date_inputs_carry_the_iso_value_a_browsers_date_field_reads(client, declared, users, tree) -> None:
    page = _client(client, users.sec_a1).get(reverse("dues:batch", args=[tree.village_a1.pk]) + "?year=2026&month=5")
    assert 'type="date" name="paid_on" value="2026-06-15"' in page.content.decode()


def test_the_home_to_do_counts_the_members_owing_for_those_who_record(client, paid, users, tree) -> None:
    from dues.todo import dues_todo

    section = dues_todo(users.sec_a1)
    assert section is not None and [(i.label, i.count) for i in section.items] == [("有欠缴党费的党员", 5)]
    assert section.items[0].url == reverse("dues:home")
    assert dues_todo(users.viewer_a) is None and dues_todo(users.sec_b1) is None
    home = _client(client, users.sec_a1).get("/", follow=True)
    assert "有欠缴党费的党员" in home.content.decode()
