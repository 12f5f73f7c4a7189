"""Writes of the dues app: a member's declaration (基数核定), a payment recorded or withdrawn.

Each checks the actor's permission on the member's organization, validates with Chinese messages (the rules of
``dues.rules``), saves in one transaction with the rows it changes locked, and writes an audit event.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import record, record_on
from dues.models import Declaration, DuesMonth, Payment, PaymentVia
from dues.rules import bands, ledger
from dues.rules.bands import Category, DuesRuleError
from organizations.models import Member, Organization
from organizations.roles import Perm
from organizations.scope import can

MAX_PAYMENT = Decimal("100000")  # one payment above this is a typing error (自愿一次多交1000元以上另行上缴, not here)


def require_record(actor: Any, org: Organization) -> None:
    if not can(actor, Perm.EDIT_ROSTER, org):
        raise PermissionDenied(f"您没有权限登记{org.name}的党费")


def membership_months(member: Member, year: int) -> range:
    """The months of ``year`` in which ``member`` belongs to the party (P1: 预备党员从支部大会通过之日起交纳党费,
    the month of joining included; a member who left owes nothing after the month they left)."""
    first = 1
    if member.joined_on.year > year:
        return range(1, 1)
    if member.joined_on.year == year:
        first = member.joined_on.month
    last = 12
    if member.left_on is not None:
        if member.left_on.year < year:
            return range(1, 1)
        if member.left_on.year == year:
            last = member.left_on.month
    return range(first, last + 1)


def _due_for(category: str, base: Decimal | None, chosen: Decimal | None, reduced_to: Decimal | None) -> Decimal:
    try:
        return bands.monthly_due(category, base, chosen=chosen, reduced_to=reduced_to)
    except DuesRuleError as exc:
        message = str(exc)
        field = "chosen" if "农民" in message else "reduced_to" if "少交" in message else "base"
        if category not in bands.CATEGORIES:
            field = "category"
        raise ValidationError({field: message}) from None


def _set_months(member: Member, year: int) -> None:
    """Put each month of the year under the declaration in force (P1): create the missing ones in the member's
    organization, update the due of those kept (their payments stay)."""
    declarations = list(Declaration.objects.filter(member=member, year=year).order_by("from_month"))
    due_of: dict[int, Decimal] = {}
    for i, d in enumerate(declarations):
        until = declarations[i + 1].from_month if i + 1 < len(declarations) else 13
        for month in range(d.from_month, until):
            due_of[month] = d.monthly_due
    months = set(membership_months(member, year)) & set(due_of)
    existing = {m.month: m for m in DuesMonth.objects.select_for_update().filter(member=member, year=year)}
    for month in sorted(months):
        row = existing.get(month)
        if row is None:
            DuesMonth.objects.create(
                organization=member.organization, member=member, year=year, month=month, due=due_of[month]
            )
        elif row.due != due_of[month]:
            row.due = due_of[month]
            row.save(update_fields=["due", "updated_at"])


def declaration_save(
    *,
    actor: Any,
    member: Member,
    year: int,
    from_month: int,
    category: str,
    base: Decimal | None = None,
    chosen: Decimal | None = None,
    reduced_to: Decimal | None = None,
    reduction_reason: str = "",
) -> Declaration:
    """Declare (or correct) a member's category and base for ``year`` from ``from_month`` on (P1–P3)."""
    require_record(actor, member.organization)
    if not 1 <= from_month <= 12:
        raise ValidationError({"from_month": "起始月份应为1至12月"})
    if not membership_months(member, year):
        raise ValidationError(f"{member.name}在{year}年不是本组织党员(入党或离开日期),无需核定党费")
    if category not in bands.CATEGORIES:
        raise ValidationError({"category": "请选择党员的交纳类别"})
    if not bands.takes_base(category):
        base = None
    if not bands.chooses_amount(category):
        chosen = None
    if reduced_to is not None and not reduction_reason.strip():
        raise ValidationError({"reduction_reason": "少交或免交须经党支部研究、报上一级党委批准,请写明批准情况"})
    due = _due_for(category, base, chosen, reduced_to)
    with transaction.atomic():
        Member.objects.select_for_update().filter(pk=member.pk).first()
        declaration = Declaration.objects.filter(member=member, year=year, from_month=from_month).first()
        fields = ("category", "base", "chosen", "reduced_to", "reduction_reason", "monthly_due")
        before = {f: _plain(getattr(declaration, f)) for f in fields} if declaration else {}
        if declaration is None:
            declaration = Declaration(member=member, year=year, from_month=from_month)
        declaration.category, declaration.base, declaration.chosen = category, base, chosen
        declaration.reduced_to = reduced_to
        declaration.reduction_reason = reduction_reason.strip() if reduced_to is not None else ""
        declaration.monthly_due, declaration.declared_by = due, actor
        declaration.save()
        _set_months(member, year)
        after = {f: _plain(getattr(declaration, f)) for f in fields}
        record_on(
            declaration,
            actor=actor,
            verb="dues.declare",
            summary=f"核定{member.name}{year}年{from_month}月起的党费:{Category(category).label},每月应交{due}元",
            before={k: v for k, v in before.items() if after.get(k) != v},
            after={k: v for k, v in after.items() if before.get(k) != v},
        )
    return declaration


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def check_amount(amount: Decimal | None, *, field: str = "amount") -> Decimal:
    if amount is None or amount <= 0:
        raise ValidationError({field: "交纳金额应大于0元"})
    if amount != bands.to_fen(amount):
        raise ValidationError({field: "金额最多填到分(两位小数)"})
    if amount > MAX_PAYMENT:
        raise ValidationError({field: f"一次交纳金额超过{MAX_PAYMENT}元,请核对"})
    return amount


def check_paid_on(year: int, month: int, paid_on: date, *, today: date | None = None) -> None:
    today = today or timezone.localdate()
    if paid_on > today:
        raise ValidationError({"paid_on": "交纳日期不能晚于今天"})
    if not ledger.make_up_allowed(year, month, paid_on):
        raise ValidationError(
            {
                "paid_on": f"{year}年{month}月的党费补交时间已超过6个月(补交党费的时间一般不得超过6个月),"
                "请由党支部提出处理意见"
            }
        )


def _month_row(member: Member, year: int, month: int) -> DuesMonth:
    row = DuesMonth.objects.select_for_update().filter(member=member, year=year, month=month).first()
    if row is None:
        raise ValidationError(f"{member.name}{year}年{month}月没有应交党费记录:请先核定其{year}年的交纳类别和基数")
    return row


def payment_record(
    *,
    actor: Any,
    member: Member,
    year: int,
    month: int,
    amount: Decimal,
    paid_on: date,
    note: str = "",
    via: str = PaymentVia.SINGLE,
) -> Payment:
    """Record one payment for one member's month (a part, the whole, or more: 自愿多交, P3–P4)."""
    require_record(actor, member.organization)
    check_amount(amount)
    check_paid_on(year, month, paid_on)
    with transaction.atomic():
        row = _month_row(member, year, month)
        payment = Payment.objects.create(
            dues_month=row, amount=amount, paid_on=paid_on, note=note.strip(), via=via, recorded_by=actor
        )
        before = str(row.paid)
        row.paid += amount
        row.save(update_fields=["paid", "updated_at"])
        record(
            actor=actor,
            verb="dues.pay",
            summary=f"{row.organization.name}:登记{member.name}{year}年{month}月党费{amount}元",
            target=payment,
            org_path=row.organization.path,
            before={"paid": before},
            after={"paid": str(row.paid), "paid_on": paid_on.isoformat()},
        )
    return payment


def payment_delete(*, actor: Any, payment: Payment, reason: str) -> None:
    """Withdraw a payment recorded by mistake (the month's paid sum goes down); the reason is kept in the trail."""
    row = payment.dues_month
    require_record(actor, row.organization)
    if not reason.strip():
        raise ValidationError({"reason": "请写明撤销的原因"})
    with transaction.atomic():
        row = DuesMonth.objects.select_for_update().select_related("member", "organization").get(pk=row.pk)
        before = str(row.paid)
        row.paid -= payment.amount
        row.save(update_fields=["paid", "updated_at"])
        record(
            actor=actor,
            verb="dues.withdraw",
            summary=(
                f"{row.organization.name}:撤销{row.member.name}{row.year}年{row.month}月的一笔党费登记"
                f"{payment.amount}元({reason.strip()})"
            ),
            target=row.member,
            org_path=row.organization.path,
            before={"paid": before},
            after={"paid": str(row.paid), "note": reason.strip()},
        )
        payment.delete()
