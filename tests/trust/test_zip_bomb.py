"""An xlsx zip bomb on the member import (issue 12 §2).

An 80 KB upload took 9.9 s and a 1.5 MB one 185 s and 3.3 GB: openpyxl loads the shared strings whole, even read
only. ``core.documents.read_xlsx_rows``, the one reader of uploaded workbooks, checks the zip's declared sizes,
entry count and ratio before openpyxl opens it. The bombs here are generated (a few hundred KB that inflate to
hundreds of MB) and read in a fresh process whose peak memory and time are measured.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from organizations.resources.files import ImportFileError, member_headers, read_table

ROOT = Path(__file__).resolve().parents[2]
MEMORY_BOUND_MB = 500
TIME_BOUND_S = 5.0

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"


def bomb(path: Path, *, strings_mb: int = 0, empty_rows: int = 0) -> Path:
    """A workbook whose shared strings (loaded whole by openpyxl) or rows inflate to ``strings_mb`` MB / rows."""
    chunk = "<si><t>炸</t></si>" * 4096
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(
                b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            written = 0
            data = chunk.encode()
            while written < strings_mb * 1024 * 1024:
                f.write(data)
                written += len(data)
            f.write(b"</sst>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(SHEET_HEAD.encode())
            f.write(b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
            row = b"<row/>" * 1000
            for _ in range(empty_rows // 1000):
                f.write(row)
            f.write(SHEET_TAIL.encode())
    return path


MEASURE = """
import json, sys, time
import django
django.setup()
from organizations.resources.files import ImportFileError, read_table
content = open(sys.argv[1], "rb").read()
start = time.perf_counter()
try:
    read_table(content, "bomb.xlsx")
    outcome = "read"
except ImportFileError as exc:
    outcome = str(exc)
seconds = time.perf_counter() - start
# VmHWM, this process's own peak: Linux keeps ru_maxrss across exec, so it would report the parent's (pytest's) peak
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"outcome": outcome, "seconds": seconds, "peak_mb": peak_kb / 1024}, ensure_ascii=False))
"""


def measured_read(path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "partybuild.settings_test"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(("strings_mb", "empty_rows"), [(300, 0), (0, 3_000_000)], ids=["shared-strings", "rows"])
def test_zip_bomb_is_refused_quickly_within_memory(tmp_path, strings_mb, empty_rows) -> None:
    path = bomb(tmp_path / "bomb.xlsx", strings_mb=strings_mb, empty_rows=empty_rows)
    assert path.stat().st_size < 2 * 1024 * 1024  # a small upload...
    result = measured_read(path)
    # ...refused in Chinese, quickly, without the memory it asks for
    assert "解压后过大" in result["outcome"], result
    assert result["peak_mb"] < MEMORY_BOUND_MB, result
    assert result["seconds"] < TIME_BOUND_S, result


def test_a_real_workbook_still_reads(db) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(member_headers())
    for n in range(2000):
        ws.append(["T01-001", f"党员{n}", "男", "1980-01-05", "大学本科", "2005-07-01", "正式党员"])
    out = io.BytesIO()
    wb.save(out)
    header, rows = read_table(out.getvalue(), "roster.xlsx")
    assert header[:2] == ["组织代码", "姓名"] and len(rows) == 2000


def test_a_broken_zip_is_refused_in_chinese(db) -> None:
    with pytest.raises(ImportFileError, match="无法按 Excel"):
        read_table(b"PK\x03\x04" + b"\x00" * 200, "broken.xlsx")


def test_the_admin_import_reads_workbooks_through_the_same_reader(db, tmp_path) -> None:
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from organizations.models import Member

    admin = get_user_model().objects.create_superuser("root", "root@example.com", "x-long-password-1")
    client = Client()
    client.force_login(admin)
    url = reverse("admin:organizations_member_import")
    choices = {str(label).lower(): value for value, label in client.get(url).context["form"].fields["format"].choices}
    assert set(choices) - {"---"} == {"csv", "xlsx"}  # no format with a reader nothing bounds (xls, ods, ...)
    content = bomb(tmp_path / "bomb.xlsx", strings_mb=100).read_bytes()
    response = client.post(url, {"import_file": SimpleUploadedFile("m.xlsx", content), "format": choices["xlsx"]})
    assert response.status_code == 200 and "解压后过大" in response.content.decode()
    assert not Member.objects.exists()
