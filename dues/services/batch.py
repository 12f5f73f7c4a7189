"""Batch entry: one month's dues for a whole organization on one page (a secretary collecting at a meeting)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import record
from core.edits import STALE_MESSAGE
from dues.models import DuesMonth, Payment, PaymentVia
from dues.rules.ledger import paid_version
from dues.services.records import check_amount, check_paid_on, require_record
from organizations.models import Organization


def payments_record_batch(
    *,
    actor: Any,
    organization: Organization,
    year: int,
    month: int,
    amounts: dict[int, Decimal],
    paid_on: date,
    version: str,
) -> list[Payment]:
    """Record ``amounts`` (member id → amount; members left out or blank pay nothing now) for ``year``/``month`` of
    the members kept under ``organization``; all or nothing. ``version``: the page's ``paid_version``; a payment
    recorded since (another page, another person) refuses the save so nobody's entry is counted twice."""
    require_record(actor, organization)
    if not amounts:
        raise ValidationError("没有填写任何金额:请在要登记的党员后填写本次交纳的金额")
    errors = {}
    for member_id, amount in amounts.items():
        try:
            check_amount(amount, field=f"amount_{member_id}")
        except ValidationError as exc:
            errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    check_paid_on(year, month, paid_on)
    with transaction.atomic():
        rows = list(
            DuesMonth.objects.select_for_update()
            .filter(organization__path__startswith=organization.path, year=year, month=month)
            .select_related("member")
            .order_by("member_id")
        )
        if paid_version((r.member_id, r.paid) for r in rows) != version:
            raise ValidationError(STALE_MESSAGE)
        by_member = {r.member_id: r for r in rows}
        unknown = sorted(set(amounts) - set(by_member))
        if unknown:
            raise ValidationError("有党员不在本组织本月的党费台账中,请刷新页面后重新填写")
        payments = []
        for member_id, amount in amounts.items():
            row = by_member[member_id]
            payments.append(
                Payment(dues_month=row, amount=amount, paid_on=paid_on, via=PaymentVia.BATCH, recorded_by=actor)
            )
            row.paid += amount
        Payment.objects.bulk_create(payments)
        DuesMonth.objects.bulk_update([by_member[m] for m in amounts], ["paid"])
        total = sum(amounts.values(), Decimal("0"))
        names = "、".join(by_member[m].member.name for m in amounts)
        record(
            actor=actor,
            verb="dues.batch",
            summary=f"{organization.name}:批量登记{year}年{month}月党费,{len(amounts)}人共{total}元({names})"[:300],
            target=organization,
            org_path=organization.path,
            after={"count": len(amounts), "paid_on": paid_on.isoformat(), "members": names},
        )
    return payments
