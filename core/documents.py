"""The one way to render a PDF and the one way to write an xlsx.

PDF: a Django template (extending ``documents/base.html``) → HTML → WeasyPrint, A4, Noto CJK fonts embedded.
xlsx: openpyxl in write-only mode (a third of the memory on big sheets), Chinese headers in bold, frozen header
row, column widths from the content (CJK characters count double), numbers and dates keep their types, and text
that a spreadsheet would take for a formula (= + - @ …) is written as a literal text cell.
"""

from __future__ import annotations

import functools
import io
import itertools
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

# WeasyPrint and fontTools log every subsetting step and unsupported CSS property at INFO/WARNING: in a worker
# that is pages of noise per document. Errors still get through.
for _name in ("weasyprint", "fontTools", "fontTools.subset", "fontTools.ttLib"):
    logging.getLogger(_name).setLevel(logging.ERROR)

PDF_CONTENT_TYPE = "application/pdf"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --------------------------------------------------------------------------------------------------- sanitising

# What no document carries: the C0 controls XML 1.0 forbids (openpyxl raises IllegalCharacterError on them, which
# made every export of a name like "名\x07\x1b[31m字" answer 500: issue 12 §1), DEL and the C1 controls, and the
# invisible characters that change how a line reads (zero-width spaces and joiners, bidi embeddings, overrides and
# isolates, the BOM, interlinear annotation marks). Tab, line feed and carriage return stay.
_NOT_IN_DOCUMENTS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]"
)


def document_text(value: str) -> str:
    """``value`` without the characters no document may carry: the one sanitising step of every writer (xlsx, CSV,
    PDF and its HTML). Forms and imports refuse such characters in names; this also covers text stored before they
    did, and every other field."""
    if value.isprintable():  # the usual case, checked in C: no control or format character at all
        return value
    return _NOT_IN_DOCUMENTS.sub("", value)


def render_html(template_name: str, context: dict[str, Any] | None = None) -> str:
    ctx = {"generated_at": timezone.localtime(), **(context or {})}
    return document_text(render_to_string(template_name, ctx))


def render_pdf(template_name: str, context: dict[str, Any] | None = None) -> bytes:
    """Render a document template to PDF bytes.

    The template should extend ``documents/base.html`` (A4, serif CJK body, page numbers "第 N 页 共 M 页").
    ``generated_at`` (local time) is added to the context. Static files are resolved relative to the project.
    """
    # Imported here: WeasyPrint loads Pango and fontconfig, which web processes that never print need not pay for.
    from weasyprint import HTML

    html = render_html(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


# Long documents are laid out in parts (issue 15 §7): WeasyPrint's layout time grows faster than the page count on
# one long table. The parts are laid out one after the other and their pages written as one PDF (WeasyPrint's own
# ``Document.copy``: pypdf is not a dependency of the project).


def render_pdf_parts(
    template_name: str,
    parts: Iterable[dict[str, Any]],
    *,
    report_progress: Callable[[int], None] | None = None,
    expected_parts: int = 1,
) -> bytes:
    """One PDF from the same template rendered once per context of ``parts``, pages numbered straight through.

    Each part's context gets ``part_number`` (1, 2, …), ``first_page`` (the number of its first page) and
    ``continued`` (True after the first part: the template leaves its title out). With more than one part the footer
    reads "第 N 页" (the total is not known while the first parts are laid out). ``report_progress`` gets 0–95 after
    each part, counted against ``expected_parts``.
    """
    from weasyprint import HTML

    documents = []
    first_page = 1
    for number, context in enumerate(parts, start=1):
        html = render_html(
            template_name, {**context, "part_number": number, "first_page": first_page, "continued": number > 1}
        )
        document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
        documents.append(document)
        first_page += len(document.pages)
        if report_progress is not None:
            report_progress(min(95, number * 95 // max(expected_parts, number)))
    if not documents:
        raise ValueError("render_pdf_parts: no part to render")
    if len(documents) == 1:
        return documents[0].write_pdf()
    return documents[0].copy([page for document in documents for page in document.pages]).write_pdf()


# ---------------------------------------------------------------------------------------------------------------- xlsx

# Characters that make Excel, WPS or LibreOffice evaluate a cell (CSV/formula injection, OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MIN_WIDTH = 6
MAX_WIDTH = 60
WIDTH_SAMPLE_ROWS = 200  # widths are measured on the header and the first rows, so huge sheets still stream


@dataclass
class Sheet:
    """One worksheet: a title, Chinese headers and rows of plain values (str, int, float, Decimal, date, None)."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[float] | None = None  # explicit widths override the measured ones
    # Headers of columns formatted as text ("@"), so that Excel keeps an 18-digit ID number or a leading zero
    # when someone edits the cell.
    text_columns: Iterable[str] = ()


def display_width(value: Any) -> int:
    """Width in "Latin characters": wide (CJK) characters count double."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    text = str(value)
    longest = 0
    for line in text.splitlines() or [""]:
        if line.isascii():  # no wide characters: one column each, without a Unicode lookup per character
            longest = max(longest, len(line))
        else:
            longest = max(longest, sum(map(_char_width, line)))
    return longest


@functools.lru_cache(maxsize=8192)
def _char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def is_formula_like(value: str) -> bool:
    return value.startswith(FORMULA_TRIGGERS)


def column_widths(headers: Sequence[str], sample: Sequence[Sequence[Any]]) -> list[float]:
    """Widths fitting the header and the sample rows (CJK characters count double): for callers that want one set of
    widths across several sheets (``Sheet.widths``)."""
    return _column_widths(headers, sample)


def _column_widths(headers: Sequence[str], sample: Sequence[Sequence[Any]]) -> list[float]:
    widths: list[float] = []
    for i, header in enumerate(headers):
        longest = max([display_width(header)] + [display_width(row[i]) for row in sample if i < len(row)])
        widths.append(float(min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)))
    return widths


_NUMBER_TYPES = (bool, int, float, Decimal)


class _RowCells:
    """Cells of the rows of a sheet without text columns, written as ``_cell`` writes them but without building and
    styling a new cell object per value (that was half the time of a 5,000-row export):

    * None, numbers (exactly int, float, Decimal, bool) and the empty string go in as plain values: ``_cell``
      gives them no style, and openpyxl infers the same type from the bare value;
    * plain text goes in as a bare value too (only text columns carry the "@" format, and those rows take the
      ``_cell`` path); formula-like text goes through one cell per column with the string type and quote prefix,
      whose value is replaced for each row — safe because a write-only worksheet serializes a row in ``append``
      before the next row is built;
    * anything else (dates, times, empty or lazy strings, enums) is a fresh ``_cell``.
    """

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.formula_like: dict[int, Any] = {}

    def __call__(self, row: Sequence[Any]) -> list[Any]:
        out: list[Any] = []
        for i, value in enumerate(row):
            kind = type(value)
            if value is None or kind in _NUMBER_TYPES or (kind is str and not value):
                out.append(value)
            elif kind is str:
                if not value.isprintable():
                    value = document_text(value)
                if value.startswith(FORMULA_TRIGGERS):
                    cell = self.formula_like.get(i)
                    if cell is None:
                        cell = self.formula_like[i] = _cell(self.ws, value)
                    cell.value = value
                    cell.data_type = "s"  # assigning the value made "=…" a formula again
                    out.append(cell)
                else:
                    out.append(value)  # plain text needs no style: openpyxl writes a str as a string cell
            else:
                out.append(_cell(self.ws, value))
        return out


def _cell(ws: Any, value: Any, *, bold: bool = False, text: bool = False) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    if isinstance(value, datetime):
        # openpyxl refuses aware datetimes; spreadsheets have no time zones, so write local wall time.
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
    elif isinstance(value, time):
        cell = WriteOnlyCell(ws, value=value.strftime("%H:%M"))
    elif value is None or isinstance(value, (bool, int, float, Decimal)):
        cell = WriteOnlyCell(ws, value=value)
    else:
        string = document_text(str(value))
        cell = WriteOnlyCell(ws, value=string)
        if is_formula_like(string):
            # Keep it literal: a string cell (not a formula) with Excel's "quote prefix" flag, so the importer reads
            # back exactly the same text and a spreadsheet shows it as typed instead of evaluating it.
            cell.data_type = "s"
            cell.quotePrefix = True
    if bold:
        cell.font = Font(bold=True)
    elif text:
        cell.number_format = "@"
    return cell


def _safe_title(title: str, used: set[str]) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in document_text(title)).strip() or "Sheet"
    cleaned = cleaned[:31]
    candidate, n = cleaned, 2
    while candidate in used:
        suffix = f"({n})"
        candidate, n = cleaned[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate)
    return candidate


def write_xlsx(
    sheets: Iterable[Sheet] | None = None,
    *,
    headers: Sequence[str] | None = None,
    rows: Iterable[Sequence[Any]] | None = None,
    title: str = "Sheet1",
    text_columns: Iterable[str] = (),
) -> bytes:
    """Write one or more sheets to xlsx bytes.

    Either ``write_xlsx([Sheet(...), ...])`` or ``write_xlsx(headers=[...], rows=[...], title="名册")``.
    ``rows`` may be a generator: only the first rows are buffered to measure column widths.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    if sheets is None:
        if headers is None:
            raise ValueError("write_xlsx needs sheets or headers")
        sheets = [Sheet(title=title, headers=headers, rows=rows or [], text_columns=text_columns)]

    wb = Workbook(write_only=True)
    used: set[str] = set()
    for sheet in sheets:
        ws = wb.create_sheet(_safe_title(sheet.title, used))
        row_iter: Iterator[Sequence[Any]] = iter(sheet.rows)
        sample = list(itertools.islice(row_iter, WIDTH_SAMPLE_ROWS))
        widths = list(sheet.widths) if sheet.widths else _column_widths(sheet.headers, sample)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        ws.append([_cell(ws, h, bold=True) for h in sheet.headers])
        text_columns = set(sheet.text_columns)
        as_text = [h in text_columns for h in sheet.headers]
        if any(as_text):
            for row in itertools.chain(sample, row_iter):
                ws.append([_cell(ws, v, text=i < len(as_text) and as_text[i]) for i, v in enumerate(row)])
        else:
            cells = _RowCells(ws)
            for row in itertools.chain(sample, row_iter):
                ws.append(cells(row))
    if not used:
        wb.create_sheet("Sheet1")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ----------------------------------------------------------------------------------------------- reading uploads

# An xlsx is a zip: 80 KB of zeros can declare gigabytes of XML, and openpyxl (even read_only) loads the shared
# strings and styles whole (issue 12 §2: a 1.5 MB upload took 185 s and 3.3 GB). The zip's directory is checked
# before openpyxl opens anything; Python's zipfile never inflates an entry beyond the size it declares, so the
# declared sizes bound the work. A 50,000-row roster (the import's row limit) is about 30 MB of XML.
XLSX_MAX_ENTRIES = 200
XLSX_MAX_TOTAL_BYTES = 64 * 1024 * 1024  # all entries, uncompressed
XLSX_MAX_SHARED_BYTES = 24 * 1024 * 1024  # sharedStrings.xml and styles.xml, which openpyxl holds in memory whole
XLSX_MAX_RATIO = 100  # uncompressed / compressed of the whole file: real workbooks stay far below
XLSX_RATIO_FROM_BYTES = 8 * 1024 * 1024  # small files may compress as well as they like
_LOADED_WHOLE = ("xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml")


class WorkbookRefused(ValueError):
    """An uploaded workbook that is refused as a whole; the message is Chinese and says what to do."""


def check_xlsx_archive(content: bytes) -> None:
    """Refuse a workbook whose zip directory declares more than a real one holds, before anything inflates it."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise WorkbookRefused("文件无法按 Excel(.xlsx)格式读取,请确认文件未损坏") from exc
    too_big = "文件解压后过大(可能是异常压缩的文件),请在Excel中另存为新的 .xlsx 文件或分批导入"
    if len(entries) > XLSX_MAX_ENTRIES:
        raise WorkbookRefused(too_big)
    total = sum(entry.file_size for entry in entries)
    if total > XLSX_MAX_TOTAL_BYTES:
        raise WorkbookRefused(too_big)
    if total > XLSX_RATIO_FROM_BYTES and total > XLSX_MAX_RATIO * max(len(content), 1):
        raise WorkbookRefused(too_big)
    for entry in entries:
        if entry.filename in _LOADED_WHOLE and entry.file_size > XLSX_MAX_SHARED_BYTES:
            raise WorkbookRefused(too_big)


def read_xlsx_rows(content: bytes, *, max_rows: int, max_columns: int) -> list[list[Any]]:
    """The first sheet's rows (at most ``max_rows`` rows of ``max_columns`` cells) of an uploaded workbook: the one
    bounded reader of every uploaded xlsx. Formulas come back as their text ("=…"), never a cached result."""
    from openpyxl import load_workbook

    if not content.startswith(b"PK"):
        raise WorkbookRefused("文件不是有效的 .xlsx 文件,请在Excel中另存为“Excel 工作簿(*.xlsx)”后重新上传")
    check_xlsx_archive(content)
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        try:
            ws = wb.worksheets[0]
            return [
                list(row) for row in ws.iter_rows(min_row=1, max_row=max_rows, max_col=max_columns, values_only=True)
            ]
        finally:
            wb.close()
    except WorkbookRefused:
        raise
    except Exception as exc:  # any malformed part: openpyxl raises from zipfile, lxml, its own parsers
        raise WorkbookRefused("文件无法按 Excel(.xlsx)格式读取,请确认文件未损坏") from exc
