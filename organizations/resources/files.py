"""Spreadsheet files: writing the roster and the tree as xlsx or CSV (exports, blank templates), and reading an
uploaded one, bounded (type, size, rows, columns, encoding).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from core.documents import WorkbookRefused, document_text, is_formula_like, read_xlsx_rows
from organizations.models import Education, MemberStatus, OrgField, OrgKind
from organizations.resources.columns import (
    MEMBER_COLUMNS,
    MEMBER_DATE_COLUMNS,
    MEMBER_REQUIRED,
    MEMBER_TEXT_COLUMNS,
    ORG_COLUMNS,
    ORG_DATE_COLUMNS,
    ORG_REQUIRED,
    ORG_TEXT_COLUMNS,
    MemberResource,
    OrganizationResource,
)
from organizations.resources.widgets import is_blank, show

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(
    headers: list[str],
    rows: Iterable[list[Any]],
    *,
    text_columns: Iterable[str] = (),
    date_columns: Iterable[str] = (),
    title: str = "Sheet1",
) -> bytes:
    """A plain xlsx: text columns formatted as text (so Excel keeps an 18-digit ID), dates as real dates."""
    text_columns, date_columns = set(text_columns), set(date_columns)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=document_text(title)[:31])
    for index, header in enumerate(headers):
        letter = _column_letter(index)
        ws.column_dimensions[letter].width = 22 if header in text_columns else 14
    ws.append([document_text(h) for h in headers])
    kinds = ["text" if h in text_columns else "date" if h in date_columns else "" for h in headers]
    for row in rows:
        cells = []
        for kind, value in zip(kinds, row, strict=False):
            if isinstance(value, str):
                value = document_text(value)  # a control character in a name is dropped, not a 500
            cell = WriteOnlyCell(ws, value=value if value != "" else None)
            if isinstance(value, str) and is_formula_like(value):
                # A name like "=HYPERLINK(...)" stays literal text (formula injection): a string cell with the quote
                # prefix flag, which the importer reads back unchanged.
                cell.data_type = "s"
                cell.quotePrefix = True
            if kind == "text":
                cell.number_format = "@"
            elif kind == "date":
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        ws.append(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _csv_cell(value: Any) -> Any:
    """A CSV cell; text a spreadsheet would evaluate (= + - @ …) gets a leading apostrophe, which Excel and WPS show
    as literal text and ``as_text`` removes again on import (formula injection, OWASP)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        value = document_text(value)
        if is_formula_like(value):
            return "'" + value
    return value


def csv_bytes(headers: list[str], rows: Iterable[list[Any]], *, encoding: str = "utf-8") -> bytes:
    """CSV for Excel: UTF-8 with a BOM (Excel needs it to read Chinese), or GB18030 (a superset of GBK)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    text = out.getvalue()
    if encoding == "gbk":
        return text.encode("gb18030", errors="replace")
    return text.encode("utf-8-sig")


def member_headers() -> list[str]:
    return [column for column, _ in MEMBER_COLUMNS.values()]


def organization_headers() -> list[str]:
    return [column for column, _ in ORG_COLUMNS.values()]


def members_xlsx(queryset: Any) -> bytes:
    """The roster as an xlsx that ``import_members`` reads back unchanged."""
    dataset = MemberResource().export(queryset, force_native_type=True)
    return xlsx_bytes(
        list(dataset.headers),
        (list(r) for r in dataset),
        text_columns=MEMBER_TEXT_COLUMNS,
        date_columns=MEMBER_DATE_COLUMNS,
        title="党员名册",
    )


def organizations_table(queryset: Any) -> tuple[list[str], list[list[Any]]]:
    dataset = OrganizationResource().export(queryset, force_native_type=True)
    return list(dataset.headers), [list(r) for r in dataset]


def organizations_xlsx(queryset: Any) -> bytes:
    headers, rows = organizations_table(queryset)
    return xlsx_bytes(headers, rows, text_columns=ORG_TEXT_COLUMNS, date_columns=ORG_DATE_COLUMNS, title="党组织")


def blank_template(kind: str) -> bytes:
    """Headers only, with the right cell formats, plus a second sheet listing the accepted values."""
    if kind == "members":
        headers, text, dates = member_headers(), MEMBER_TEXT_COLUMNS, MEMBER_DATE_COLUMNS
        notes = [
            ["必填列", "、".join(MEMBER_REQUIRED)],
            ["性别", "男 或 女"],
            ["学历", "、".join(Education.labels)],
            ["党员类别", "、".join(MemberStatus.labels) + "(空白为正式党员)"],
            ["流动党员", "是 或 否(空白为否)"],
            ["日期", "2020-01-05、2020/1/5、2020年1月5日 或 Excel日期"],
            ["身份证号", "已有同一身份证号的党员将被更新,否则新增"],
        ]
    elif kind == "organizations":
        headers, text, dates = organization_headers(), ORG_TEXT_COLUMNS, ORG_DATE_COLUMNS
        notes = [
            ["必填列", "、".join(ORG_REQUIRED)],
            ["组织类别", "、".join(OrgKind.labels)],
            ["领域", "、".join(OrgField.labels) + "(可空白)"],
            ["上级组织代码", "系统中已有的组织代码,或本文件中另一行的组织代码"],
            ["日期", "2020-01-05、2020/1/5、2020年1月5日 或 Excel日期"],
        ]
    else:
        raise ValueError(kind)
    wb = Workbook()
    ws = wb.active
    ws.title = "填写"
    ws.append(headers)
    for index, header in enumerate(headers):
        letter = _column_letter(index)
        ws.column_dimensions[letter].width = 22 if header in text else 14
        style = "@" if header in text else "yyyy-mm-dd" if header in dates else None
        if style:
            for row in range(2, 1002):
                ws[f"{letter}{row}"].number_format = style
    help_sheet = wb.create_sheet("说明")
    for line in notes:
        help_sheet.append(line)
    help_sheet.column_dimensions["A"].width = 14
    help_sheet.column_dimensions["B"].width = 80
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 60
PREVIEW_LIMIT = 500
ALLOWED_EXTENSIONS = (".xlsx", ".csv")


class ImportFileError(Exception):
    """The file as a whole cannot be read (type, size, encoding, header)."""


# --- Reading files ---------------------------------------------------------------------------------------


def read_table(content: bytes, filename: str) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """The header and the non-empty data rows, each with its spreadsheet row number (the header is row 1)."""
    name = (filename or "").lower().strip()
    if not name.endswith(ALLOWED_EXTENSIONS):
        raise ImportFileError("文件类型不支持:只能上传 .xlsx 或 .csv 文件(.xls 请先在Excel中另存为 .xlsx)")
    if len(content) > MAX_UPLOAD_BYTES:
        raise ImportFileError(f"文件过大:不能超过{MAX_UPLOAD_BYTES // (1024 * 1024)}MB,请分批导入")
    if not content:
        raise ImportFileError("文件为空")
    raw_rows = _xlsx_rows(content) if name.endswith(".xlsx") else _csv_rows(content)
    header: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    for number, values in enumerate(raw_rows, start=1):
        if header is None:
            if all(is_blank(v) for v in values):
                raise ImportFileError("第1行应为表头(列名),请使用导入模板")
            header = [show(v, 1000).strip() for v in values]
            continue
        if all(is_blank(v) for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(f"数据行过多:一次最多导入{MAX_ROWS}行,请分批导入")
        rows.append((number, list(values)))
    if header is None:
        raise ImportFileError("文件为空")
    if not rows:
        raise ImportFileError("文件中没有数据行(只有表头)")
    return header, rows


def _xlsx_rows(content: bytes) -> Iterable[list[Any]]:
    try:
        rows = read_xlsx_rows(content, max_rows=MAX_ROWS + 1, max_columns=MAX_COLUMNS)
    except WorkbookRefused as exc:
        raise ImportFileError(str(exc)) from exc
    # Excel leaves trailing cells that were once formatted: trim the empty tail of each row.
    return [_trim(row) for row in rows]


def _csv_rows(content: bytes) -> list[list[Any]]:
    text: str | None = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise ImportFileError("无法识别文件编码:请保存为 UTF-8 或 GBK 编码的 CSV 文件")
    if "\x00" in text:
        raise ImportFileError("文件不是文本格式的 CSV 文件")
    try:
        rows = []
        for index, row in enumerate(csv.reader(io.StringIO(text, newline=""))):
            if index > MAX_ROWS + 1:
                break
            rows.append(_trim(row[:MAX_COLUMNS]))
    except csv.Error as exc:
        raise ImportFileError("CSV 文件格式有误,无法读取") from exc
    return rows


def _trim(row: list[Any]) -> list[Any]:
    while row and is_blank(row[-1]):
        row.pop()
    return row
