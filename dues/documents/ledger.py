"""The yearly dues ledger of an organization as xlsx and PDF (A4 landscape: a 40-member branch fits), through
``core.documents``. Each download is one ``dues.export`` event. A reader without ``view_personal_data`` gets the
months' states without amounts, as on the page."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.audit import record
from core.documents import Sheet, render_pdf, write_xlsx
from dues.selectors.ledger import MONTH_LABELS, Ledger, org_ledger
from organizations.models import Organization

EXPORT_VERB = "dues.export"


def _title(book: Ledger) -> str:
    return f"{book.organization.name}{book.year}年度党费收缴台账"


def _cell(cell: Any, amounts: bool) -> str:
    if amounts and cell.paid is not None and cell.state.value in ("paid", "partial"):
        return f"{cell.paid:.2f}" if cell.state.value == "paid" else f"{cell.paid:.2f}(部分)"
    return "" if cell.state.value == "none" else cell.state.label


def ledger_rows(book: Ledger) -> tuple[list[str], list[list[Any]]]:
    headers = ["序号", "姓名", "所在组织", "交纳类别"]
    if book.amounts:
        headers += ["计算基数(元)", "每月应交(元)"]
    headers += MONTH_LABELS
    headers += ["已结束月份应交(元)", "已交合计(元)", "欠缴(元)", "欠缴月份"] if book.amounts else ["欠缴月份"]
    rows = []
    for n, r in enumerate(book.rows, start=1):
        row: list[Any] = [n, r.member.name, r.organization_name, r.category or "未核定"]
        if book.amounts:
            row += [r.base, r.monthly_due]
        row += [_cell(c, book.amounts) for c in r.cells]
        owing = "、".join(f"{m}月" for m in r.owing_months)
        row += [r.due_total, r.paid_total, r.arrears, owing] if book.amounts else [owing]
        rows.append(row)
    return headers, rows


def _event(actor: Any, org: Organization, what: str, fmt: str, amounts: bool) -> None:
    record(
        actor=actor,
        verb=EXPORT_VERB,
        summary=f"{org.name}:导出{what}",
        target=org,
        org_path=org.path,
        after={"format": fmt, "personal_data": amounts},
    )


def ledger_xlsx(*, actor: Any, org: Organization, year: int, today: date) -> tuple[str, bytes]:
    book = org_ledger(actor, org, year, today)
    headers, rows = ledger_rows(book)
    summary = [
        ["应交合计(截至上月,元)", book.due_total if book.amounts else ""],
        ["收缴合计(元)", book.collected_total if book.amounts else ""],
        ["收缴率(%)", book.rate],
        ["欠缴人数", book.owing_members],
        ["未核定基数人数", len(book.undeclared)],
    ]
    content = write_xlsx(
        [Sheet("党费收缴台账", headers, rows), Sheet("汇总", ["项目", "数值"], summary)],
    )
    _event(actor, org, _title(book), "xlsx", book.amounts)
    return f"{_title(book)}.xlsx", content


def ledger_pdf(*, actor: Any, org: Organization, year: int, today: date) -> tuple[str, bytes]:
    book = org_ledger(actor, org, year, today)
    headers, rows = ledger_rows(book)
    content = render_pdf(
        "dues/documents/ledger.html",
        {"title": _title(book), "book": book, "headers": headers, "rows": rows, "today": today},
    )
    _event(actor, org, _title(book), "pdf", book.amounts)
    return f"{_title(book)}.pdf", content
