"""The import pages through the Django test client: check, confirm, scope, and the export and template downloads."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Event
from organizations.models import Member, Organization
from organizations.resources.files import member_headers, organization_headers
from tests.organizations.test_imports import HEADERS, member_row, to_csv


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return tmp_path


def upload(client, url: str, content: bytes, name: str = "名册.csv"):
    return client.post(url, {"file": SimpleUploadedFile(name, content, content_type="text/csv")})


def test_two_step_member_import(client, users, tree, media):
    client.force_login(users.ts_a)
    url = reverse("organizations:import_members", args=[tree.township_a.pk])
    assert client.get(url).status_code == 200

    # Step 1: the check writes nothing and shows the preview with a confirmation token.
    before = Member.objects.count()
    response = upload(client, url, to_csv(HEADERS, [member_row()]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "确认导入" in body and "张三" in body
    assert Member.objects.count() == before
    token = response.context["token"]
    assert (media / "imports" / token).is_file()

    # Step 2: confirming writes, records one event and removes the waiting file.
    response = client.post(url, {"token": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:org_detail", args=[tree.township_a.pk])
    assert Member.objects.count() == before + 1
    assert Event.objects.filter(verb="import.members").count() == 1
    assert not (media / "imports" / token).exists()

    # The token is spent: a second confirmation imports nothing more.
    response = client.post(url, {"token": token}, follow=True)
    assert "已失效" in response.content.decode()
    assert Member.objects.count() == before + 1


def test_bad_rows_are_listed_and_no_confirmation_is_offered(client, users, tree):
    client.force_login(users.ts_a)
    url = reverse("organizations:import_members", args=[tree.township_a.pk])
    response = upload(client, url, to_csv(HEADERS, [member_row(), member_row(性别="M", 身份证号="450101198001050037")]))
    body = response.content.decode()
    assert "第3行:性别“M”无效,应为 男 或 女" in body
    assert "确认导入" not in body and response.context["token"] == ""
    assert not Member.objects.filter(id_number="450101198001050010").exists()


@pytest.mark.parametrize("token", ["../../etc/passwd", "0" * 48, "", "abc"])
def test_a_token_not_issued_to_this_session_is_refused(client, users, tree, token):
    client.force_login(users.ts_a)
    url = reverse("organizations:import_members", args=[tree.township_a.pk])
    response = client.post(url, {"token": token}, follow=True)
    assert "已失效" in response.content.decode()


def test_a_token_from_another_user_is_refused(client, users, tree):
    url = reverse("organizations:import_members", args=[tree.township_a.pk])
    client.force_login(users.ts_a)
    token = upload(client, url, to_csv(HEADERS, [member_row()])).context["token"]
    client.logout()
    client.force_login(users.ds)
    response = client.post(url, {"token": token}, follow=True)
    assert "已失效" in response.content.decode()
    assert not Member.objects.filter(id_number="450101198001050010").exists()


def test_a_token_is_tied_to_its_page(client, users, tree):
    client.force_login(users.ts_a)
    members_url = reverse("organizations:import_members", args=[tree.township_a.pk])
    token = upload(client, members_url, to_csv(HEADERS, [member_row()])).context["token"]
    other = reverse("organizations:import_members", args=[tree.village_a1.pk])
    response = client.post(other, {"token": token}, follow=True)
    assert "已失效" in response.content.decode()


def test_two_step_organization_import(client, users, tree):
    client.force_login(users.ts_a)
    url = reverse("organizations:import_organizations", args=[tree.township_a.pk])
    content = to_csv(organization_headers(), [["T01-003", "新村党支部", "T01", "党支部", "农村", 1, "2024-03-01"]])
    response = upload(client, url, content, "组织.csv")
    assert "确认导入" in response.content.decode()
    assert not Organization.objects.filter(code="T01-003").exists()
    client.post(url, {"token": response.context["token"]})
    created = Organization.objects.get(code="T01-003")
    assert created.path.startswith(tree.township_a.path) and created.depth == 3


@pytest.mark.parametrize("name", ["import_members", "import_organizations"])
def test_import_pages_scope(client, users, tree, name):
    url = reverse(f"organizations:{name}", args=[tree.township_a.pk])
    client.force_login(users.ts_b)
    assert client.get(url).status_code == 404
    client.force_login(users.viewer_a)
    assert client.get(url).status_code == 403
    client.force_login(users.sec_a1)
    assert client.get(reverse(f"organizations:{name}", args=[tree.village_a1.pk])).status_code == 403
    assert client.post(reverse(f"organizations:{name}", args=[tree.village_a1.pk])).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_township_staff_on_own_page_cannot_reach_other_township_rows(client, users, tree):
    client.force_login(users.ts_a)
    url = reverse("organizations:import_members", args=[tree.township_a.pk])
    response = upload(client, url, to_csv(HEADERS, [member_row(组织代码="T02-001")]))
    assert "第2行:组织“T02-001”不在您的管辖范围内" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "content_type", "encoding"),
    [
        ("", "application/vnd.openxmlformats", None),
        ("?format=csv", "text/csv", "utf-8-sig"),
        ("?format=csv&encoding=gbk", "text/csv", "gb18030"),
    ],
)
def test_organization_export_download(client, users, tree, query, content_type, encoding):
    client.force_login(users.ts_a)
    response = client.get(reverse("organizations:export_organizations", args=[tree.township_a.pk]) + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert "attachment" in response["Content-Disposition"]
    if encoding is None:
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        codes = [r[0] for r in rows[1:]]
        header = list(rows[0])
    else:
        lines = response.content.decode(encoding).splitlines()
        header = lines[0].split(",")
        codes = [line.split(",")[0] for line in lines[1:]]
    assert header == organization_headers()
    assert sorted(codes) == ["T01", "T01-001", "T01-002", "T01-002-01"]
    if encoding == "gb18030":
        assert "东风镇党委".encode("gbk") in response.content


def test_organization_export_scope(client, users, tree):
    url = reverse("organizations:export_organizations", args=[tree.township_a.pk])
    client.force_login(users.ts_b)
    assert client.get(url).status_code == 404
    client.force_login(users.liaison)
    assert client.get(reverse("organizations:export_organizations", args=[tree.branch_a21.pk])).status_code == 403
    client.force_login(users.viewer_a)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("kind", "headers"), [("members", member_headers()), ("organizations", organization_headers())]
)
def test_blank_templates(client, users, kind, headers):
    client.force_login(users.ts_a)
    response = client.get(reverse("organizations:import_template", args=[kind]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.worksheets[0][1]] == headers


def test_blank_template_of_unknown_kind_is_404(client, users):
    client.force_login(users.ts_a)
    assert client.get(reverse("organizations:import_template", args=["passwords"])).status_code == 404


def test_blank_member_template_filled_in_imports(client, users, tree):
    client.force_login(users.ts_a)
    wb = load_workbook(io.BytesIO(client.get(reverse("organizations:import_template", args=["members"])).content))
    ws = wb.worksheets[0]
    for column, value in enumerate(member_row(), start=1):
        ws.cell(row=2, column=column, value=value)
    out = io.BytesIO()
    wb.save(out)
    url = reverse("organizations:import_members", args=[tree.township_a.pk])
    response = client.post(url, {"file": SimpleUploadedFile("模板.xlsx", out.getvalue())})
    report = response.context["report"]
    assert report.ok and report.new == 1, report.errors


def test_too_large_upload_is_refused_without_reading_it(client, users, tree, media):
    client.force_login(users.ts_a)
    url = reverse("organizations:import_members", args=[tree.township_a.pk])
    response = upload(client, url, b"x" * (10 * 1024 * 1024 + 1))
    assert response.context["report"].errors == ["文件过大:不能超过10MB,请分批导入"]
    assert response.context["token"] == ""
    assert not (media / "imports").exists() or not any((media / "imports").iterdir())
