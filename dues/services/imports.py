"""Import of a year's past collections from the spreadsheet a township keeps: one row per
member and month (姓名, 身份证号, 年度, 月份, 应交, 实交, 交纳日期). Two steps: ``import_check`` reads the workbook
through ``core.documents``' bounded reader and answers every row's problems in Chinese without writing; a file
with no problem gives a plan, which ``import_apply`` writes all or nothing (checked again, in one transaction, with
one audit event)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.audit import record
from core.documents import WorkbookRefused, read_xlsx_rows
from dues.models import DuesMonth, Payment, PaymentVia
from dues.rules import bands, ledger
from dues.rules.bands import DuesRuleError
from dues.services.records import membership_months
from organizations.models import Member, Organization
from organizations.roles import Perm
from organizations.scope import can

HEADERS = ("姓名", "身份证号", "年度", "月份", "应交(元)", "实交(元)", "交纳日期")
MAX_ROWS = 20000
MAX_COLUMNS = 12
MAX_BYTES = 10 * 1024 * 1024


@dataclass
class ImportPlan:
    rows: list[dict[str, Any]] = field(default_factory=list)  # member, year, month, due, paid, paid_on (as text)
    errors: list[str] = field(default_factory=list)
    members: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def require_import(actor: Any, org: Organization) -> None:
    if not can(actor, Perm.IMPORT_ROSTER, org):
        raise PermissionDenied(f"您没有权限导入{org.name}的党费记录")


def _amount(value: Any, label: str) -> Decimal:
    if value is None or str(value).strip() == "":
        raise DuesRuleError(f"{label}不能为空")
    number = bands.money(value)
    if number < 0 or number != bands.to_fen(number) or number > Decimal("100000"):
        raise DuesRuleError(f"{label}“{value}”应为0至100000元之间、最多到分的金额")
    return number


def _day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip().replace("/", "-").replace(".", "-"))
    except ValueError:
        raise DuesRuleError(f"交纳日期“{value}”应写成2025-03-15这样的日期") from None


def _int(value: Any, label: str, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise DuesRuleError(f"{label}“{value}”应为{low}至{high}之间的整数") from None
    if not low <= number <= high:
        raise DuesRuleError(f"{label}“{value}”应为{low}至{high}之间的整数")
    return number


def _row(cells: list[Any], members: dict[str, Member], today: date) -> dict[str, Any]:
    name, id_number, year, month, due, paid, paid_on = (list(cells) + [None] * 7)[:7]
    member = members.get(str(id_number or "").strip().upper())
    if member is None:
        raise DuesRuleError(f"身份证号为“{id_number or ''}”的党员不在本组织")
    if str(name or "").strip() != member.name:
        raise DuesRuleError(f"姓名“{name or ''}”与身份证号登记的“{member.name}”不一致")
    year = _int(year, "年度", 2008, today.year)
    month = _int(month, "月份", 1, 12)
    if (year, month) >= (today.year, today.month):
        raise DuesRuleError(f"{year}年{month}月尚未结束,只能导入已结束月份的记录")
    if month not in membership_months(member, year):
        raise DuesRuleError(f"{member.name}{year}年{month}月不是党员(入党或离开日期),不应交纳党费")
    due, paid = _amount(due, "应交"), _amount(paid, "实交")
    if paid > 0 and (paid_on is None or str(paid_on).strip() == ""):
        raise DuesRuleError("实交大于0时应填写交纳日期")
    day = _day(paid_on) if paid > 0 else None
    if day is not None and (day > today or day.year < year - 1 or not ledger.make_up_allowed(year, month, day)):
        raise DuesRuleError(
            f"交纳日期{day}不合理:应不晚于今天,且在所属月份结束后6个月内(补交党费的时间一般不得超过6个月)"
        )
    return {"member": member.pk, "year": year, "month": month, "due": str(due), "paid": str(paid), "paid_on": day}


def import_check(*, actor: Any, org: Organization, content: bytes, today: date) -> ImportPlan:
    """Every row's problems (第N行:…), or the plan to write; writes nothing."""
    require_import(actor, org)
    plan = ImportPlan()
    if len(content) > MAX_BYTES:
        plan.errors.append("文件超过10MB,请分批导入")
        return plan
    try:
        rows = read_xlsx_rows(content, max_rows=MAX_ROWS + 1, max_columns=MAX_COLUMNS)
    except WorkbookRefused as exc:
        plan.errors.append(str(exc))
        return plan
    header = [str(c or "").strip() for c in (rows[0] if rows else [])][: len(HEADERS)]
    if tuple(header) != HEADERS:
        plan.errors.append("第1行应为表头:" + "、".join(HEADERS) + "(请使用本页下载的模板)")
        return plan
    members = {m.id_number.upper(): m for m in Member.objects.filter(organization__path__startswith=org.path)}
    seen: dict[tuple[int, int, int], int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        try:
            row = _row(cells, members, today)
        except DuesRuleError as exc:
            plan.errors.append(f"第{number}行:{exc}")
            continue
        key = (row["member"], row["year"], row["month"])
        if key in seen:
            plan.errors.append(f"第{number}行:与第{seen[key]}行是同一党员的同一月份")
            continue
        seen[key] = number
        plan.rows.append({**row, "paid_on": row["paid_on"].isoformat() if row["paid_on"] else ""})
    if not plan.rows and not plan.errors:
        plan.errors.append("文件中没有数据行")
    plan.members = len({r["member"] for r in plan.rows})
    return plan


def import_apply(*, actor: Any, org: Organization, rows: list[dict[str, Any]], filename: str) -> int:
    """Write a checked plan, all or nothing: a month already holding payments is refused (the import never changes
    what was recorded by hand); a month without a record is created with the imported due."""
    require_import(actor, org)
    ids = {r["member"] for r in rows}
    members = {m.pk: m for m in Member.objects.filter(pk__in=ids, organization__path__startswith=org.path)}
    if set(members) != ids:
        raise ValidationError("有党员已不在本组织,请重新上传文件检查")
    with transaction.atomic():
        existing = {
            (m.member_id, m.year, m.month): m
            for m in DuesMonth.objects.select_for_update().filter(member__in=ids, year__in={r["year"] for r in rows})
        }
        payments = []
        for r in rows:
            row = existing.get((r["member"], r["year"], r["month"]))
            if row is not None and row.paid:
                raise ValidationError(
                    f"{members[r['member']].name}{r['year']}年{r['month']}月已有党费登记,导入未进行:请从文件中删去该行"
                )
            if row is None:
                member = members[r["member"]]
                row = DuesMonth.objects.create(
                    organization=member.organization, member=member, year=r["year"], month=r["month"], due=r["due"]
                )
            paid = Decimal(r["paid"])
            row.due, row.paid = Decimal(r["due"]), paid
            row.save(update_fields=["due", "paid", "updated_at"])
            if paid > 0:
                payments.append(
                    Payment(
                        dues_month=row,
                        amount=paid,
                        paid_on=date.fromisoformat(r["paid_on"]),
                        via=PaymentVia.IMPORT,
                        recorded_by=actor,
                        note=f"导入:{filename}"[:200],
                    )
                )
        Payment.objects.bulk_create(payments)
        record(
            actor=actor,
            verb="dues.import",
            summary=f"{org.name}:导入往年党费记录{len(rows)}条({len(ids)}人),文件{filename}"[:300],
            target=org,
            org_path=org.path,
            after={"count": len(rows), "file": filename},
        )
    return len(rows)
