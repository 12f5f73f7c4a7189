"""The one PDF renderer and the one xlsx writer: Chinese that really renders, and spreadsheets that stay data."""

from __future__ import annotations

import io
import subprocess
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from PIL import Image

from core.documents import Sheet, display_width, render_pdf, write_xlsx

TITLE = "东风村党支部党员名册"


def plain_pdf(**extra) -> bytes:
    context = {
        "title": TITLE,
        "meta": "生成日期:2026年5月1日",
        "paragraphs": ["根据区委组织部要求,现将党员名册报送如下。"],
        "headers": ["序号", "姓名", "职务"],
        "rows": [[1, "张三", "书记"], [2, "李四", "委员"]],
        **extra,
    }
    return render_pdf("documents/plain.html", context)


@pytest.fixture(scope="module")
def pdf_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "plain.pdf"
    path.write_bytes(plain_pdf())
    return path


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def test_pdf_is_a4_with_chinese_title_and_page_numbers(pdf_file):
    assert pdf_file.read_bytes().startswith(b"%PDF")
    text = run("pdftotext", "-layout", str(pdf_file), "-")
    assert TITLE in text
    assert "李四" in text
    assert "第1页共1页" in text.replace(" ", "")
    info = run("pdfinfo", str(pdf_file))
    assert "595.276 x 841.89 pts (A4)" in info


def test_pdf_embeds_only_noto_cjk_fonts(pdf_file):
    # Boxes instead of glyphs would still extract as text: the embedded fonts are the real check. Every font,
    # including the page-number footer's, must be an embedded Noto CJK (a footer that missed the font-family
    # would bring in a fallback font).
    lines = run("pdffonts", str(pdf_file)).splitlines()[2:]
    assert lines, "no fonts in the PDF"
    for line in lines:
        assert "Noto" in line and "CJK" in line, line
        columns = line.split()
        assert columns[-5] == "yes", f"font not embedded: {line}"
    assert any("Serif-CJK" in line for line in lines)  # body text
    assert any("Sans-CJK" in line for line in lines)  # headings


def test_pdf_page_is_not_blank(pdf_file, tmp_path):
    prefix = tmp_path / "page"
    run("pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf_file), str(prefix))
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > 300, f"only {dark} dark pixels: the page looks blank"


def test_one_page_pdf_renders_fast():
    plain_pdf()  # the first document of a process loads the fonts
    started = time.perf_counter()
    plain_pdf(title="第二份文件")
    assert time.perf_counter() - started < 2.0  # ~0.1 s with libharfbuzz-subset0; ~12 s without it


def test_pdf_escapes_context_values():
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=plain_pdf(title="<b>标题</b>"), capture_output=True, check=True
    ).stdout.decode()
    assert "<b>标题</b>" in text


# ------------------------------------------------------------------------------------------------------------ xlsx


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_headers_freeze_widths_and_types():
    aware = datetime(2026, 5, 1, 1, 30, tzinfo=ZoneInfo("UTC"))
    data = write_xlsx(
        headers=["姓名", "年龄", "得分", "金额", "入党日期", "提交时间", "代码"],
        rows=[["中华人民共和国党员", 45, 92.5, Decimal("12.30"), date(2005, 7, 1), aware, "abc"]],
        title="名册",
        text_columns=["代码"],
    )
    ws = load(data)["名册"]

    assert [c.value for c in ws[1]] == ["姓名", "年龄", "得分", "金额", "入党日期", "提交时间", "代码"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"

    name, age, score, amount, joined, submitted, code = ws[2]
    assert age.value == 45 and age.data_type == "n"
    assert score.value == 92.5 and score.data_type == "n"
    assert amount.value == pytest.approx(12.3) and amount.data_type == "n"
    assert joined.is_date and joined.value.date() == date(2005, 7, 1)
    assert submitted.is_date and submitted.value == datetime(2026, 5, 1, 9, 30)  # Asia/Shanghai wall time
    assert code.number_format == "@"

    # CJK characters count double: 9 of them need more room than the 4-character header.
    assert ws.column_dimensions["A"].width >= 18
    assert ws.column_dimensions["A"].width > ws.column_dimensions["G"].width


@pytest.mark.parametrize("dangerous", ["=1+1", "+86 139", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x","y")'])
def test_xlsx_formula_like_text_stays_literal(dangerous):
    ws = load(write_xlsx(headers=["备注"], rows=[[dangerous]])).active
    cell = ws["A2"]
    assert cell.value == dangerous  # the exact text, so an exported file imports unchanged
    assert cell.data_type == "s"  # a string, never a formula
    assert cell.quotePrefix


def test_xlsx_several_sheets_and_streamed_rows():
    rows = ([i, f"党员{i}"] for i in range(1, 1001))
    data = write_xlsx([Sheet("第一页", ["序号", "姓名"], rows), Sheet("第一页", ["说明"], [["重名的页"]])])
    wb = load(data)
    assert wb.sheetnames == ["第一页", "第一页(2)"]
    first = wb["第一页"]
    assert first.max_row == 1001
    assert first["A1001"].value == 1000 and first["B1001"].value == "党员1000"


def test_display_width_counts_cjk_double():
    assert display_width("abc") == 3
    assert display_width("党员") == 4
    assert display_width(None) == 0
    assert display_width(date(2020, 1, 1)) == 10
