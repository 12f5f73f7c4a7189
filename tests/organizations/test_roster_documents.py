"""Roster exports: PDF (direct) and xlsx (job), scope and permission, subtree, masking, audit, import format."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from core import jobs
from core.models import Event, Job, JobStatus
from organizations.documents import ROSTER_XLSX_HEADERS, ROSTER_XLSX_KIND
from organizations.models import Education, Gender, MemberStatus
from tests.factories import MemberFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf_text(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return result.stdout.decode()


def get_pdf(client, user, org):
    client.force_login(user)
    return client.get(reverse("organizations:roster_pdf", args=[org.pk]))


def test_secretary_gets_own_roster_pdf_with_full_personal_data(client, users, tree, members):
    response = get_pdf(client, users.sec_a1, tree.village_a1)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "东风村党支部党员名册" in text
    member = members["a1"][0]
    assert member.name in text
    assert member.id_number in text  # branch secretaries hold VIEW_PERSONAL_DATA
    assert members["b1"][0].name not in text


def test_viewer_sees_masked_personal_data(client, users, tree, members):
    response = get_pdf(client, users.viewer_a, tree.village_a1)
    assert response.status_code == 200
    text = pdf_text(response.content)
    member = members["a1"][0]
    assert member.id_number not in text and member.phone not in text
    assert member.masked_id_number in text
    assert "已做脱敏处理" in text


@pytest.mark.parametrize(
    ("username", "org_attr", "status"),
    [
        ("sec_a1", "village_a1", 200),
        ("sec_a1", "community_b1", 404),  # another township: as if it did not exist
        ("sec_a1", "township_a", 404),  # an ancestor is out of a secretary's scope
        ("liaison", "branch_a21", 403),  # in scope (VIEW_RECORDS) but no EXPORT_ROSTER
        ("ts_b", "village_a1", 404),
        ("nobody", "village_a1", 404),
        ("ds", "community_b1", 200),
    ],
)
def test_roster_pdf_scope(client, users, tree, username, org_attr, status):
    response = get_pdf(client, getattr(users, username), getattr(tree, org_attr))
    assert response.status_code == status


def test_anonymous_is_sent_to_login(client, tree):
    for name in ("roster_pdf", "roster_xlsx"):
        response = client.get(reverse(f"organizations:{name}", args=[tree.village_a1.pk]))
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_general_branch_roster_covers_its_subtree_and_current_members_only(client, users, tree, members):
    in_general = MemberFactory(organization=tree.general_a2, name="总支直属党员")
    MemberFactory(organization=tree.branch_a21, name="已转出党员", left_on=date(2024, 1, 1))

    text = pdf_text(get_pdf(client, users.ts_a, tree.general_a2).content)

    assert in_general.name in text
    assert all(m.name in text for m in members["a21"])
    assert "东风镇中学第一党支部" in text  # 所在组织 column
    assert "已转出党员" not in text
    assert members["a1"][0].name not in text


def test_pdf_export_is_audited(client, users, tree, members):
    get_pdf(client, users.sec_a1, tree.village_a1)
    event = Event.objects.get(verb="roster.export")
    assert event.actor == users.sec_a1
    assert event.org_path == tree.village_a1.path
    assert event.after["format"] == "pdf" and event.after["members"] == 8


def test_empty_roster_still_renders(client, users, tree):
    response = get_pdf(client, users.sec_a1, tree.village_a1)
    assert response.status_code == 200
    assert "暂无党员" in pdf_text(response.content)


# ------------------------------------------------------------------------------------------------------------ xlsx


def start_xlsx(client, user, org, django_capture_on_commit_callbacks):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("organizations:roster_xlsx", args=[org.pk]))


def download_sheet(client, job: Job):
    response = client.get(reverse("core:job_download", args=[job.pk]))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def test_xlsx_confirm_page_posts_to_itself(client, users, tree, members):
    client.force_login(users.sec_a1)
    url = reverse("organizations:roster_xlsx", args=[tree.village_a1.pk])
    html = client.get(url).content.decode()
    assert f'action="{url}"' in html and 'method="post"' in html
    assert "共 8 人" in html
    assert not Job.objects.exists()  # a GET never starts anything


def test_xlsx_job_in_import_format_with_full_data(client, users, tree, django_capture_on_commit_callbacks):
    member = MemberFactory(
        organization=tree.village_a1,
        name="王芳",
        gender=Gender.FEMALE,
        education=Education.BACHELOR,
        status=MemberStatus.PROBATIONARY,
        is_migrant=True,
        full_member_on=None,
        occupation="=1+1",
    )

    response = start_xlsx(client, users.ts_a, tree.village_a1, django_capture_on_commit_callbacks)

    job = Job.objects.get(kind=ROSTER_XLSX_KIND)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == JobStatus.DONE and job.progress == 100
    assert job.filename.endswith(".xlsx") and "东风村党支部党员名册" in job.filename

    ws = download_sheet(client, job)
    assert tuple(c.value for c in ws[1]) == ROSTER_XLSX_HEADERS
    assert ws.freeze_panes == "A2"
    row = dict(zip(ROSTER_XLSX_HEADERS, (c.value for c in ws[2]), strict=True))
    assert row["组织代码"] == "T01-001"
    assert row["姓名"] == "王芳"
    assert row["性别"] == "女"
    assert row["学历"] == "大学本科"
    assert row["党员类别"] == "预备党员"
    assert row["流动党员"] == "是"
    assert row["出生日期"].date() == member.birth_date  # a real date cell
    assert row["入党日期"].date() == member.joined_on
    assert row["转正日期"] is None
    assert row["职业"] == "=1+1" and ws["G2"].data_type == "s"  # literal text, not a formula
    assert row["身份证号"] == member.id_number  # township staff may see personal data
    assert row["联系电话"] == member.phone

    event = Event.objects.get(verb="roster.export")
    assert event.after["format"] == "xlsx" and event.after["job"] == job.pk


def test_xlsx_headers_match_the_member_import():
    from organizations.resources.files import member_headers

    assert list(ROSTER_XLSX_HEADERS) == member_headers()


def test_xlsx_masks_personal_data_for_viewer(client, users, tree, members, django_capture_on_commit_callbacks):
    start_xlsx(client, users.viewer_a, tree.general_a2, django_capture_on_commit_callbacks)
    job = Job.objects.get(kind=ROSTER_XLSX_KIND)
    assert job.params["personal_data"] is False
    ws = download_sheet(client, job)
    ids = [r[11].value for r in ws.iter_rows(min_row=2)]
    assert len(ids) == 3  # the general branch's subtree: branch A2-1
    assert sorted(ids) == sorted(m.masked_id_number for m in members["a21"])
    assert all("*" in value for value in ids)


@pytest.mark.parametrize(
    ("username", "org_attr", "status"), [("liaison", "branch_a21", 403), ("sec_b1", "village_a1", 404)]
)
def test_xlsx_refused_out_of_scope_or_without_permission(
    client, users, tree, username, org_attr, status, django_capture_on_commit_callbacks
):
    response = start_xlsx(client, getattr(users, username), getattr(tree, org_attr), django_capture_on_commit_callbacks)
    assert response.status_code == status
    assert not Job.objects.exists()
    assert not Event.objects.filter(verb="roster.export").exists()


def test_xlsx_job_rechecks_scope_when_it_runs(users, tree, django_capture_on_commit_callbacks):
    # A job whose creator no longer (or never) had the organization in scope fails instead of leaking it.
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(
            actor=users.sec_a1,
            kind=ROSTER_XLSX_KIND,
            title="越权",
            org_path=tree.community_b1.path,
            params={"organization_id": tree.community_b1.pk},
        )
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "管辖范围" in job.message
    assert not job.file


# --- A roster of any size (issue 15 §7): a big one is a job laid out in parts -----------------------------------


@pytest.fixture
def small_parts(monkeypatch):
    """Township A's 11 members make a "big" roster: direct up to 4 members, parts of 4 (3 parts)."""
    from organizations import documents

    monkeypatch.setattr(documents, "ROSTER_PDF_DIRECT_MAX", 4)
    monkeypatch.setattr(documents, "ROSTER_PDF_PART_ROWS", 4)
    return documents


def test_big_roster_pdf_is_a_job_the_request_only_shows_what_it_will_make(client, users, tree, members, small_parts):
    import time

    client.force_login(users.ts_a)
    url = reverse("organizations:roster_pdf", args=[tree.township_a.pk])
    started = time.monotonic()
    page = client.get(url)
    html = page.content.decode()
    # the request renders no PDF: a page with the member count and the 生成 button that posts back
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert time.monotonic() - started < 2
    assert "共有在册党员 11 人" in html and f'action="{url}"' in html and ">生成</button>" in html
    assert not Job.objects.exists()


def test_big_roster_pdf_job_in_parts_has_every_name_and_numbers_pages_straight_through(
    client, users, tree, members, small_parts, django_capture_on_commit_callbacks
):
    client.force_login(users.ts_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organizations:roster_pdf", args=[tree.township_a.pk]))
    job = Job.objects.get(kind=small_parts.ROSTER_PDF_KIND)
    assert response.status_code == 302 and response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == JobStatus.DONE and job.progress == 100 and job.filename.endswith(".pdf")
    assert Event.objects.filter(verb="roster.export", after__format="pdf", after__job=job.pk).exists()

    download = client.get(reverse("core:job_download", args=[job.pk]))
    text = pdf_text(b"".join(download.streaming_content))
    everyone = members["a1"] + members["a21"]
    assert all(m.name in text for m in everyone)  # the Chinese names of all three parts
    assert members["b1"][0].name not in text
    assert text.count("东风镇党委党员名册") == 1  # the title only on the first part
    footers = [re.fullmatch(r"第\s*(\d+)\s*页", line.strip()) for line in text.splitlines()]
    numbers = [int(m[1]) for m in footers if m]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 3  # one page per part at least
    assert "共有在册党员 11 人" not in text and "党员人数:11 人" in text


def test_a_roster_over_the_limit_offers_excel_and_makes_no_pdf(client, users, tree, members, monkeypatch):
    from organizations import documents

    monkeypatch.setattr(documents, "ROSTER_PDF_DIRECT_MAX", 4)
    monkeypatch.setattr(documents, "ROSTER_PDF_MAX", 10)
    client.force_login(users.ts_a)
    url = reverse("organizations:roster_pdf", args=[tree.township_a.pk])
    html = client.get(url).content.decode()
    assert "不生成 PDF" in html and reverse("organizations:roster_xlsx", args=[tree.township_a.pk]) in html
    assert ">生成</button>" not in html
    assert client.post(url).status_code == 200 and not Job.objects.exists()
