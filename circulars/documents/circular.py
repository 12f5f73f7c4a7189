"""The circular as an A4 PDF (title, sender, date, body, deadline, attachments, recipients) and its receipts as an
xlsx (a row per organization: state, who read and replied when, the reply), through ``core.documents``. Each
download is one ``circulars.export`` event on the circular."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from circulars.models import Circular
from circulars.selectors.circulars import Board
from core.audit import record
from core.documents import render_pdf, write_xlsx
from core.names import account_label

EXPORT_VERB = "circulars.export"
RECEIPT_HEADERS = [
    "序号",
    "接收党组织",
    "状态",
    "阅读时间",
    "阅读人",
    "回复时间",
    "回复人",
    "回复内容",
    "回复附件",
    "提醒次数",
]


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _who(user: Any) -> str:
    return account_label(user) if user is not None else ""


def _exported(actor: Any, circular: Circular, what: str) -> None:
    record(
        actor=actor,
        verb=EXPORT_VERB,
        summary=f"{circular.sender.name}:导出通知“{circular.title}”的{what}",
        target=circular,
        org_path=circular.sender.path,
    )


def receipt_rows(board: Board) -> list[list[Any]]:
    rows = []
    for n, row in enumerate(board.rows, start=1):
        r = row.receipt
        state = row.state.label + ("(逾期)" if row.late else "")
        files = "、".join(f.original_name for f in row.files)
        rows.append(
            [
                n,
                r.organization.name,
                state,
                _when(r.read_at),
                _who(r.read_by),
                _when(r.replied_at),
                _who(r.replied_by),
                r.reply,
                files,
                r.remind_count,
            ]
        )
    return rows


def receipts_xlsx(*, actor: Any, circular: Circular, board: Board) -> tuple[str, bytes]:
    content = write_xlsx(headers=RECEIPT_HEADERS, rows=receipt_rows(board), title="回执情况")
    _exported(actor, circular, "回执情况表")
    return f"{circular.title}-回执情况.xlsx", content


def circular_pdf(*, actor: Any, circular: Circular, board: Board, attachments: list[Any]) -> tuple[str, bytes]:
    content = render_pdf(
        "circulars/documents/circular.html",
        {"circular": circular, "board": board, "attachments": attachments},
    )
    _exported(actor, circular, "PDF")
    return f"{circular.title}.pdf", content
