"""The dues writes: declaring a base, recording a payment (single, batch), withdrawing one; permission, Chinese
refusals, audit events, the version of the batch page (P1–P4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.edits import STALE_MESSAGE
from core.models import Event
from dues.models import Declaration, DuesMonth, Payment
from dues.rules.ledger import paid_version
from dues.services.batch import payments_record_batch
from dues.services.records import declaration_save, payment_delete, payment_record


def test_a_declaration_sets_up_the_months_from_its_month_with_the_banded_due(declared, users) -> None:
    member = declared[1]
    months = DuesMonth.objects.filter(member=member, year=2026).order_by("month")
    assert [m.month for m in months] == list(range(1, 13))
    assert {m.due for m in months} == {D("40.00")}
    assert Event.objects.filter(verb="dues.declare", target_id=str(Declaration.objects.get(member=member).pk)).exists()


def test_a_pay_rise_from_july_changes_the_due_from_july_only(declared, users) -> None:
    member = declared[1]
    declaration_save(actor=users.sec_a1, member=member, year=2026, from_month=7, category="employed", base=D("6000"))
    dues = dict(DuesMonth.objects.filter(member=member, year=2026).values_list("month", "due"))
    assert dues[6] == D("40.00") and dues[7] == D("90.00") and dues[12] == D("90.00")


def test_a_member_who_joined_in_march_owes_from_march(clock, users, members) -> None:
    member = members["b1"][0]
    member.joined_on = date(2026, 3, 20)
    member.save()
    declaration_save(actor=users.sec_b1, member=member, year=2026, from_month=1, category="student")
    assert list(DuesMonth.objects.filter(member=member).values_list("month", flat=True).order_by("month")) == list(
        range(3, 13)
    )


def test_declaring_needs_the_roster_permission_in_scope(clock, users, members) -> None:
    with pytest.raises(PermissionDenied):
        declaration_save(actor=users.sec_b1, member=members["a1"][0], year=2026, from_month=1, category="student")
    with pytest.raises(PermissionDenied):
        declaration_save(actor=users.viewer_a, member=members["a1"][0], year=2026, from_month=1, category="student")


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"category": "employed"}, "base", "在职党员应填写计算基数"),
        ({"category": "farmer", "chosen": D("2")}, "chosen", "农民党员每月交纳0.2元至1元"),
        ({"category": "retired", "base": D("3000"), "reduced_to": D("5")}, "reduction_reason", "报上一级党委批准"),
        ({"category": "cadre"}, "category", "请选择党员的交纳类别"),
    ],
)
def test_a_bad_declaration_is_refused_in_chinese_on_its_field(clock, users, members, kwargs, field, message) -> None:
    with pytest.raises(ValidationError) as caught:
        declaration_save(actor=users.sec_a1, member=members["a1"][0], year=2026, from_month=1, **kwargs)
    assert message in " ".join(caught.value.message_dict[field])


def test_a_payment_adds_to_its_month_with_an_event(declared, users) -> None:
    member = declared[1]
    payment_record(actor=users.sec_a1, member=member, year=2026, month=5, amount=D("15"), paid_on=date(2026, 6, 1))
    payment = payment_record(
        actor=users.sec_a1, member=member, year=2026, month=5, amount=D("25"), paid_on=date(2026, 6, 2)
    )
    row = DuesMonth.objects.get(member=member, year=2026, month=5)
    assert row.paid == D("40.00")
    event = Event.objects.filter(verb="dues.pay", target_id=str(payment.pk)).get()
    assert event.org_path == member.organization.path and "5月党费25" in event.summary


@pytest.mark.parametrize(
    ("month", "amount", "paid_on", "message"),
    [
        (5, D("0"), date(2026, 6, 1), "交纳金额应大于0元"),
        (5, D("1.234"), date(2026, 6, 1), "最多填到分"),
        (5, D("10"), date(2026, 6, 16), "不能晚于今天"),
        (1, D("10"), date(2026, 6, 15), None),  # January may be made up until 31 July
    ],
)
def test_payment_refusals(declared, users, month, amount, paid_on, message) -> None:
    call = lambda: payment_record(  # noqa: E731
        actor=users.sec_a1, member=declared[1], year=2026, month=month, amount=amount, paid_on=paid_on
    )
    if message is None:
        call()
        return
    with pytest.raises(ValidationError, match=message):
        call()


def test_a_month_older_than_six_months_cannot_be_made_up(declared, users) -> None:
    declaration_save(
        actor=users.sec_a1, member=declared[1], year=2025, from_month=1, category="employed", base=D("4000")
    )
    with pytest.raises(ValidationError, match="补交党费的时间一般不得超过6个月"):
        payment_record(
            actor=users.sec_a1, member=declared[1], year=2025, month=11, amount=D("40"), paid_on=date(2026, 6, 1)
        )


def test_a_month_without_a_declaration_is_refused(clock, users, members) -> None:
    with pytest.raises(ValidationError, match="请先核定其2026年的交纳类别和基数"):
        payment_record(
            actor=users.sec_a1, member=members["a1"][0], year=2026, month=5, amount=D("1"), paid_on=date(2026, 6, 1)
        )


def test_batch_entry_records_every_amount_in_one_event(declared, users, tree) -> None:
    rows = DuesMonth.objects.filter(organization=tree.village_a1, year=2026, month=5)
    version = paid_version((r.member_id, r.paid) for r in rows)
    amounts = {declared[0].pk: D("0.5"), declared[1].pk: D("40"), declared[2].pk: D("20")}
    payments = payments_record_batch(
        actor=users.sec_a1,
        organization=tree.village_a1,
        year=2026,
        month=5,
        amounts=amounts,
        paid_on=date(2026, 6, 10),
        version=version,
    )
    assert len(payments) == 3
    paid = dict(DuesMonth.objects.filter(organization=tree.village_a1, month=5).values_list("member_id", "paid"))
    assert paid[declared[1].pk] == D("40") and paid[declared[2].pk] == D("20") and paid[declared[3].pk] == 0
    assert Event.objects.filter(verb="dues.batch", org_path=tree.village_a1.path).count() == 1


def test_a_batch_page_older_than_a_payment_recorded_meanwhile_is_refused(declared, users, tree) -> None:
    rows = DuesMonth.objects.filter(organization=tree.village_a1, year=2026, month=5)
    version = paid_version((r.member_id, r.paid) for r in rows)
    payment_record(actor=users.sec_a1, member=declared[1], year=2026, month=5, amount=D("40"), paid_on=date(2026, 6, 1))
    with pytest.raises(ValidationError) as caught:
        payments_record_batch(
            actor=users.ts_a,
            organization=tree.village_a1,
            year=2026,
            month=5,
            amounts={declared[1].pk: D("40")},
            paid_on=date(2026, 6, 10),
            version=version,
        )
    assert caught.value.messages == [STALE_MESSAGE]
    assert DuesMonth.objects.get(member=declared[1], year=2026, month=5).paid == D("40")


def test_batch_entry_out_of_scope_is_refused(declared, users, tree) -> None:
    with pytest.raises(PermissionDenied):
        payments_record_batch(
            actor=users.sec_b1,
            organization=tree.village_a1,
            year=2026,
            month=5,
            amounts={declared[1].pk: D("40")},
            paid_on=date(2026, 6, 10),
            version="",
        )


def test_withdrawing_a_payment_lowers_the_month_and_keeps_the_reason(declared, users) -> None:
    payment = payment_record(
        actor=users.sec_a1, member=declared[1], year=2026, month=5, amount=D("40"), paid_on=date(2026, 6, 1)
    )
    with pytest.raises(ValidationError, match="请写明撤销的原因"):
        payment_delete(actor=users.sec_a1, payment=payment, reason=" ")
    payment_delete(actor=users.sec_a1, payment=payment, reason="录错了人")
    assert DuesMonth.objects.get(member=declared[1], year=2026, month=5).paid == 0
    assert not Payment.objects.filter(pk=payment.pk).exists()
    assert Event.objects.filter(verb="dues.withdraw", summary__contains="录错了人").exists()


def test_the_payment_event_reads_in_chinese_words(declared, users) -> None:
    from core.audit_words import changes_in_words

    payment = payment_record(
        actor=users.sec_a1, member=declared[1], year=2026, month=5, amount=D("15"), paid_on=date(2026, 6, 1)
    )
    event = Event.objects.get(verb="dues.pay", target_id=str(payment.pk))
    assert changes_in_words(event) == [("已交(元)", "0.00", "15.00"), ("交纳日期", "", "2026-06-01")]
