"""Control, zero-width and bidi characters (issue 12 §1).

A name stored with ``\\x07\\x1b`` made every xlsx export answer 500 (openpyxl's IllegalCharacterError). Every document
writer now passes text through ``core.documents.document_text`` (xlsx, CSV, PDF/HTML), so such names, already
stored, export; and the member and organization forms and both imports refuse them in names, in Chinese.
"""

from __future__ import annotations

import io
import subprocess

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from core.documents import Sheet, document_text, render_pdf, write_xlsx
from core.models import Job, JobStatus
from organizations.forms import MemberForm, OrganizationForm, ReorganizationForm, SubBranchForm
from organizations.models import Member, Organization
from organizations.resources.files import csv_bytes, member_headers, organization_headers, xlsx_bytes
from organizations.services.member_import import import_members
from organizations.services.organization_import import import_organizations
from tests.factories import MemberFactory

BELL_NAME = "名\x07\x1b[31m字"
ESC_ORG = "东水村\x1b党支部"
INVISIBLE = ["名\x07字", "东水村\x1b党支部", "张\u200b三", "李\u202e四", "王\u2066五\u2069", "赵\ufeff六"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sheet_values(content: bytes) -> list[list[object]]:
    ws = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in ws.iter_rows(values_only=True)]


# --- The one sanitising step -----------------------------------------------------------------------------------


def test_document_text_drops_only_what_no_document_carries() -> None:
    assert document_text(BELL_NAME) == "名[31m字"
    assert document_text("张\u200b三\u202e四\ufeff") == "张三四"
    assert document_text("第一行\n第二行\t制表\r") == "第一行\n第二行\t制表\r"  # layout characters stay
    assert document_text("阿依古丽·买买提") == "阿依古丽·买买提"


def test_every_writer_survives_control_characters() -> None:
    rows = [[BELL_NAME, ESC_ORG, "=1+1\x1b", 3]]
    content = write_xlsx([Sheet(title="名册\x1b", headers=["姓名\x07", "组织", "备注", "数"], rows=rows)])
    assert sheet_values(content)[1] == ["名[31m字", "东水村党支部", "=1+1", 3]
    text_rows = [[BELL_NAME, ESC_ORG]]
    content = write_xlsx(headers=["姓名", "组织"], rows=text_rows, text_columns=["姓名"])
    assert sheet_values(content)[1] == ["名[31m字", "东水村党支部"]
    assert sheet_values(xlsx_bytes(["姓名", "组织"], text_rows, text_columns=["姓名"]))[1] == [
        "名[31m字",
        "东水村党支部",
    ]
    assert "\x1b" not in csv_bytes(["姓名"], [[ESC_ORG]]).decode("utf-8-sig")


def test_pdf_of_a_control_character_name() -> None:
    content = render_pdf("documents/base.html", {"title": ESC_ORG})
    assert content.startswith(b"%PDF")


# --- Exports of names stored before the forms refused them ----------------------------------------------------


def test_exports_of_stored_control_character_names(users, tree, django_capture_on_commit_callbacks) -> None:
    Organization.objects.filter(pk=tree.village_a1.pk).update(name=ESC_ORG)
    MemberFactory(organization=tree.village_a1, name=BELL_NAME)
    client = client_for(users.ts_a)
    # the organizations xlsx
    response = client.get(reverse("organizations:export_organizations", args=[tree.township_a.pk]))
    assert response.status_code == 200
    assert "东水村党支部" in [row[1] for row in sheet_values(response.content)]
    # the roster xlsx job
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("organizations:roster_xlsx", args=[tree.village_a1.pk]))
    job = Job.objects.get()
    assert job.status == JobStatus.DONE, job.message
    download = client.get(reverse("core:job_download", args=[job.pk]))
    names = [row[1] for row in sheet_values(b"".join(download.streaming_content))]
    assert "名[31m字" in names
    # the roster PDF
    pdf = client.get(reverse("organizations:roster_pdf", args=[tree.village_a1.pk]))
    assert pdf.status_code == 200
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert "东水村党支部" in text


# --- Forms and imports refuse them in names ---------------------------------------------------------------------


def member_data(**changes: str) -> dict[str, str]:
    data = {
        "name": "张三",
        "gender": "male",
        "ethnicity": "汉族",
        "birth_date": "1980-05-01",
        "education": "bachelor",
        "occupation": "",
        "joined_on": "2005-07-01",
        "status": "full",
        "full_member_on": "2006-07-01",
        "id_number": "11010519491231002X",
        "phone": "",
        "left_on": "",
        "left_reason": "",
        "migrant_note": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("name", INVISIBLE)
def test_forms_refuse_invisible_characters_in_names(db, name) -> None:
    form = MemberForm(member_data(name=name))
    assert not form.is_valid() and "不可见字符" in str(form.errors["name"])
    form = OrganizationForm({"name": name, "field": "", "units_covered": "1", "established_on": "", "address": ""})
    assert not form.is_valid() and "不可见字符" in str(form.errors["name"])
    form = ReorganizationForm({"kind": "upgrade", "new_kind": "general_branch", "new_name": name, "plan": "方案"})
    assert not form.is_valid() and "不可见字符" in str(form.errors["new_name"])
    form = SubBranchForm(
        {"code": "X-1", "name": name, "kind": "branch", "effective_on": "2026-01-01"}, members=Member.objects.none()
    )
    assert not form.is_valid() and "不可见字符" in str(form.errors["name"])


def test_member_form_accepts_a_plain_name(db) -> None:
    form = MemberForm(member_data(name="阿依古丽·买买提"))
    assert form.is_valid(), form.errors


def raw_csv(headers: list[str], row: list[str]) -> bytes:
    """A CSV as someone else's program writes it (our csv_bytes would drop the characters)."""
    return ("\r\n".join([",".join(headers), ",".join(row)]) + "\r\n").encode("utf-8")


def test_imports_refuse_invisible_characters_in_names(users, tree) -> None:
    headers = member_headers()
    row = dict.fromkeys(headers, "")
    row.update(
        {"组织代码": "T01-001", "姓名": "张\u200b三", "性别": "男", "出生日期": "1980-05-01", "学历": "大学本科"}
    )
    row.update({"入党日期": "2005-07-01", "身份证号": "11010519491231002X"})
    report = import_members(
        actor=users.ts_a,
        under=tree.township_a,
        file=raw_csv(headers, [row[h] for h in headers]),
        filename="m.csv",
        dry_run=True,
    )
    assert report.errors and "不可见字符" in report.errors[0] and report.errors[0].startswith("第2行")
    headers = organization_headers()
    org = dict.fromkeys(headers, "")
    org.update({"组织代码": "T01-900", "组织名称": ESC_ORG, "上级组织代码": "T01", "组织类别": "党支部"})
    report = import_organizations(
        actor=users.ts_a,
        under=tree.township_a,
        file=raw_csv(headers, [org[h] for h in headers]),
        filename="o.csv",
        dry_run=True,
    )
    assert report.errors and "不可见字符" in report.errors[0]
    assert not Organization.objects.filter(code="T01-900").exists()
