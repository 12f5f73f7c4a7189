"""Grading documents: 附件1–5, the blank ballot, the 公示 and the circular: who may download what, what is in it."""

# ruff: noqa: F811  (the `campaign` fixture is imported from test_workflow and requested by name)

from __future__ import annotations

import io
import subprocess
import time
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from core.models import Event, Job, JobStatus
from grading.documents.assessments import annex1_pdf
from grading.documents.summary import ANNEX5_DISTRICT_KIND, summary_rows
from grading.models import Assessment
from grading.rules import counting as rules
from grading.services.notices import notice_publish
from grading.services.workflow import Action, transition
from organizations.roles import Role
from organizations.services.grants import role_grant
from tests.factories import UserFactory
from tests.grading.test_workflow import assessment_of, campaign, fill_and_submit, score  # noqa: F401

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def secretary_of(org, name: str):
    user = UserFactory(username=name)
    role_grant(actor=None, user=user, organization=org, role=Role.BRANCH_SECRETARY)
    return user


def scored(user_sec, ts, a: Assessment, share: str) -> Assessment:
    a = fill_and_submit(user_sec, a)
    a = score(ts, a, Decimal(share))
    return transition(actor=ts, assessment=a, action=Action.SCORE)


@pytest.fixture
def graded(campaign, users, tree):
    """Township A: A1 90 (好), A2 85 and A2-1 85 (较好, tied); B1 still a draft."""
    a1 = scored(users.sec_a1, users.ts_a, assessment_of(campaign, tree.village_a1), "0.9")
    a2 = scored(secretary_of(tree.general_a2, "sec_a2"), users.ts_a, assessment_of(campaign, tree.general_a2), "0.85")
    a21 = scored(secretary_of(tree.branch_a21, "sec_a21"), users.ts_a, assessment_of(campaign, tree.branch_a21), "0.85")
    return {"a1": a1, "a2": a2, "a21": a21, "b1": assessment_of(campaign, tree.community_b1)}


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def pdf_fonts(content: bytes, tmp_path) -> list[str]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    return out.splitlines()[2:]


def load(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


ASSESSMENT_DOCS = [
    ("annex1_pdf", PDF, "基层党组织自查自评报告"),
    ("annex2_blank_pdf_org", PDF, "基层党组织分类定级测评票"),
    ("annex2_tally_pdf", PDF, "测评会情况统计表"),
    ("annex2_tally_xlsx", XLSX, None),
    ("annex3_pdf", PDF, "基层党组织自评及等次初步认定表"),
    ("annex4_pdf", PDF, "乡镇(街道)党(工)委初评表"),
    ("annex4_xlsx", XLSX, None),
]


@pytest.mark.parametrize(("name", "content_type", "title"), ASSESSMENT_DOCS)
def test_assessment_documents_download_with_title_and_cjk_font(
    client, users, graded, name, content_type, title, tmp_path
):
    client.force_login(users.sec_a1)
    response = client.get(reverse(f"grading:{name}", args=[graded["a1"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert "attachment" in response["Content-Disposition"]
    if content_type == PDF:
        text = pdf_text(response.content)
        assert title in text.replace(" ", "")
        assert "东风村党支部" in text
        fonts = pdf_fonts(response.content, tmp_path)
        assert fonts and all("Noto" in f and "CJK" in f and f.split()[-5] == "yes" for f in fonts), fonts
    else:
        ws = load(response.content).active
        assert ws.freeze_panes == "A2"
    assert Event.objects.filter(verb="grading.export", actor=users.sec_a1).count() == 1


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("sec_a1", 200),
        ("ts_a", 200),
        ("ds", 200),
        ("viewer_a", 200),
        ("sec_b1", 404),
        ("ts_b", 404),
        ("liaison", 404),
        ("nobody", 404),
    ],
)
@pytest.mark.parametrize("name", ["annex1_pdf", "annex2_tally_xlsx", "annex4_xlsx"])
def test_assessment_documents_scope(client, users, graded, username, status, name):
    client.force_login(getattr(users, username))
    assert client.get(reverse(f"grading:{name}", args=[graded["a1"].pk])).status_code == status


@pytest.mark.parametrize(
    "url",
    [
        lambda g, t, c: reverse("grading:annex1_pdf", args=[g["a1"].pk]),
        lambda g, t, c: reverse("grading:annex2_blank_pdf", args=[c.pk]),
        lambda g, t, c: reverse("grading:annex5_xlsx", args=[c.pk, t.township_a.pk]),
        lambda g, t, c: reverse("grading:annex5_district_xlsx", args=[c.pk]),
        lambda g, t, c: reverse("grading:circular_pdf", args=[c.pk]),
        lambda g, t, c: reverse("grading:overdue", args=[c.pk]),
    ],
)
def test_anonymous_goes_to_login(client, graded, tree, campaign, url):
    response = client.get(url(graded, tree, campaign))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_blank_ballot_two_or_four_per_page(client, users, campaign, graded):
    client.force_login(users.sec_b1)
    two = client.get(reverse("grading:annex2_blank_pdf", args=[campaign.pk]))
    four = client.get(reverse("grading:annex2_blank_pdf", args=[campaign.pk]) + "?per_page=4")
    assert two.status_code == four.status_code == 200
    two_text, four_text = pdf_text(two.content), pdf_text(four.content)
    assert two_text.count("基层党组织分类定级测评票") == 2
    assert four_text.count("基层党组织分类定级测评票") == 4
    for label in ("好", "较好", "一般", "较差", "无记名", "每票只能选一个等次"):
        assert label in two_text
    named = client.get(reverse("grading:annex2_blank_pdf_org", args=[graded["b1"].pk]))
    assert "南门社区党支部" in pdf_text(named.content)


def test_tally_xlsx_numbers_and_totals(client, users, graded):
    client.force_login(users.ts_a)
    ws = load(client.get(reverse("grading:annex2_tally_xlsx", args=[graded["a1"].pk])).content).active
    assert [c.value for c in ws[1]] == ["参会人员类别", "参会人数", "好", "较好", "一般", "较差", "收回测评票"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    member, total, share = rows["支部党员"], rows["合计"], rows["占比(%)"]
    assert [c.value for c in member[1:]] == [10, 6, 3, 1, 0, 10]
    assert member[2].data_type == "n"
    assert total[6].value == 10
    assert share[2].value == pytest.approx(60.0) and share[2].data_type == "n"


def test_annex4_xlsx_scores_as_numbers(client, users, graded):
    client.force_login(users.ts_a)
    ws = load(client.get(reverse("grading:annex4_xlsx", args=[graded["a1"].pk])).content).active
    assert [c.value for c in ws[1]] == ["评价内容", "评分项目", "满分", "自评得分", "乡镇评分", "扣分说明"]
    first = ws[2]
    assert first[2].data_type == "n" and first[4].data_type == "n"
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    assert rows["合计"][2].value == 100
    assert rows["合计"][4].value == pytest.approx(90.0)
    assert rows["初定等次"][1].value == "好"


def test_annex5_ranks_match_rules(client, users, tree, campaign, graded):
    client.force_login(users.ts_a)
    response = client.get(reverse("grading:annex5_xlsx", args=[campaign.pk, tree.township_a.pk]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    ws = load(response.content).active
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["序号", "组织名称", "类别", "领域"] and "排名" in headers and ws.freeze_panes == "A2"
    rank_col, name_col, score_col = headers.index("排名"), headers.index("组织名称"), headers.index("乡镇评分")
    got = {r[name_col].value: r[rank_col].value for r in ws.iter_rows(min_row=2)}
    assessments = [graded["a1"], graded["a2"], graded["a21"]]
    ranked = rules.rank_within_grades([(a.organization.name, a.township_score, a.township_grade) for a in assessments])
    expected = {r.key: r.rank for r in ranked}
    assert got == expected == {"东风村党支部": 1, "东风镇中学党总支": 2, "东风镇中学第一党支部": 2}
    assert ws.cell(row=2, column=score_col + 1).data_type == "n"
    assert "南门社区党支部" not in got  # another township's organization
    assert [r.rank for r in summary_rows(campaign, tree.township_a)] == [1, 2, 2]


def test_annex5_pdf_landscape_and_scope(client, users, tree, campaign, graded, tmp_path):
    client.force_login(users.ts_a)
    response = client.get(reverse("grading:annex5_pdf", args=[campaign.pk, tree.township_a.pk]))
    assert response.status_code == 200
    assert "基层党组织分类定级汇总表" in pdf_text(response.content)
    path = tmp_path / "a5.pdf"
    path.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.276" in info  # A4 landscape
    client.force_login(users.ts_b)
    assert client.get(reverse("grading:annex5_pdf", args=[campaign.pk, tree.township_a.pk])).status_code == 404
    client.force_login(users.sec_a1)
    assert client.get(reverse("grading:annex5_xlsx", args=[campaign.pk, tree.township_a.pk])).status_code == 404


def test_district_workbook_job_completes(
    client,
    users,
    tree,
    campaign,
    graded,
    django_capture_on_commit_callbacks,
):
    client.force_login(users.ds)
    url = reverse("grading:annex5_district_xlsx", args=[campaign.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # eager Celery runs the job once the request commits
        response = client.post(url)
    job = Job.objects.get(kind=ANNEX5_DISTRICT_KIND)
    assert response.status_code == 302 and response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == JobStatus.DONE and job.progress == 100
    wb = load(job.file.read())
    assert wb.sheetnames == ["汇总", "东风镇党委", "城关街道党工委"]
    overview = wb["汇总"]
    assert [c.value for c in overview[1]][:3] == ["乡镇(街道)", "参评组织数", "已评分"]
    assert [c.value for c in overview[2]][:4] == ["东风镇党委", 3, 3, 1]
    assert [c.value for c in overview[4]][:3] == ["全区合计", 4, 3]
    assert wb["东风镇党委"].max_row == 4
    assert Event.objects.filter(verb="grading.export", actor=users.ds).exists()
    assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 200


@pytest.mark.parametrize(("username", "status"), [("ts_a", 404), ("sec_a1", 404), ("nobody", 404)])
def test_district_documents_refused_below_district(client, users, campaign, username, status):
    client.force_login(getattr(users, username))
    assert client.get(reverse("grading:annex5_district_xlsx", args=[campaign.pk])).status_code == status
    assert client.post(reverse("grading:annex5_district_xlsx", args=[campaign.pk])).status_code == status
    assert client.get(reverse("grading:circular_pdf", args=[campaign.pk])).status_code == status
    assert not Job.objects.exists()


def test_circular_names_poor_and_good(client, users, tree, campaign, graded, tmp_path):
    sec_b1 = users.sec_b1
    scored(sec_b1, users.ts_b, graded["b1"], "0.5")  # 50 → 较差
    client.force_login(users.ds)
    response = client.get(reverse("grading:circular_pdf", args=[campaign.pk]))
    assert response.status_code == 200 and response["Content-Type"] == PDF
    text = pdf_text(response.content)
    assert "全区基层党组织分类定级情况的通报" in text.replace("\n", "")
    assert "南门社区党支部" in text and "东风村党支部" in text
    assert "软弱涣散" in text
    fonts = pdf_fonts(response.content, tmp_path)
    assert all("Noto" in f and "CJK" in f for f in fonts), fonts


def test_a_long_circular_is_a_job_with_the_same_document(
    client, users, tree, campaign, graded, monkeypatch, django_capture_on_commit_callbacks
):
    """Issue 15 §7: past CIRCULAR_DIRECT_MAX organizations the GET only says what it will make; 生成 queues a job."""
    from grading.documents import circular

    monkeypatch.setattr(circular, "CIRCULAR_DIRECT_MAX", 0)
    scored(users.sec_b1, users.ts_b, graded["b1"], "0.5")  # 50 → 较差
    client.force_login(users.ds)
    url = reverse("grading:circular_pdf", args=[campaign.pk])
    html = client.get(url).content.decode()
    assert f'action="{url}"' in html and ">生成</button>" in html and not Job.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    job = Job.objects.get(kind=circular.CIRCULAR_KIND)
    assert response["Location"] == reverse("core:job_detail", args=[job.pk]) and job.status == JobStatus.DONE
    text = pdf_text(b"".join(client.get(reverse("core:job_download", args=[job.pk])).streaming_content))
    assert "南门社区党支部" in text and "软弱涣散" in text
    assert Event.objects.filter(verb="grading.export", actor=users.ds).exists()
    client.force_login(users.ts_a)
    assert client.post(url).status_code == 404  # below the district: as if it did not exist


def test_notice_pdf(client, users, tree, campaign, graded):
    notice = notice_publish(
        actor=users.ts_a,
        campaign=campaign,
        township=tree.township_a,
        assessments=[graded["a1"], graded["a2"]],
        published_on=date(2026, 4, 5),
        contact="电话 0000-1234567",
        cap_reason="测试",
    )
    client.force_login(users.viewer_a)
    response = client.get(reverse("grading:notice_pdf", args=[notice.pk]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "初评结果公示" in text and "2026年4月6日至2026年4月8日" in text.replace(" ", "")
    assert "0000-1234567" in text and "东风镇中学党总支" in text
    client.force_login(users.ts_b)
    assert client.get(reverse("grading:notice_pdf", args=[notice.pk])).status_code == 404


def test_printed_notice_matches_the_public_page(client, users, tree, campaign, graded, monkeypatch):
    """The bulletin-board PDF shows what the public page shows: names and 初评等次, never the township's scores."""
    import re

    notice = notice_publish(
        actor=users.ts_a,
        campaign=campaign,
        township=tree.township_a,
        assessments=[graded["a1"], graded["a2"]],
        published_on=date(2026, 4, 5),
        contact="电话 0000-1234567",
        cap_reason="测试",
    )
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: date(2026, 4, 7))
    public = client.get(reverse("grading_public:notice", args=[notice.pk])).content.decode()
    client.force_login(users.ts_a)
    printed = pdf_text(client.get(reverse("grading:notice_pdf", args=[notice.pk])).content)
    flat = re.sub(r"\s+", "", printed)
    assert "90" not in flat and "85" not in flat and "乡镇评分" not in flat
    main = public.split('<article class="card gpub-notice">')[1].split("</article>")[0]
    words = [re.sub(r"\s+", "", w) for w in re.split(r"<[^>]+>", main)]
    for word in filter(None, words):
        assert word in flat, word


def test_annex_links_follow_status(graded):
    draft = render_to_string("grading/_annex_links.html", {"assessment": graded["b1"]})
    assert reverse("grading:annex1_pdf", args=[graded["b1"].pk]) in draft
    assert "annex4" not in draft and "草稿" in draft
    done = render_to_string("grading/_annex_links.html", {"assessment": graded["a1"]})
    assert reverse("grading:annex4_pdf", args=[graded["a1"].pk]) in done
    assert reverse("grading:annex4_xlsx", args=[graded["a1"].pk]) in done


def test_one_page_annex_renders_fast(users, graded):
    annex1_pdf(actor=users.sec_a1, assessment=graded["a1"])  # the first document of a process loads the fonts
    started = time.perf_counter()
    annex1_pdf(actor=users.sec_a1, assessment=graded["a1"])
    assert time.perf_counter() - started < 2.0
