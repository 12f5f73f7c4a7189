"""The district's year-end 复核 (re-scored item by item, ``ScoreLevel.REGRADE``) in the papers and on the pages: 附件4's
PDF and xlsx show a 复核评分 column beside the township's score and the 复核 total, grade, date and opinion below,
and nothing of it without a re-scoring; the organization's grade history and the assessment's page say the grade
comes from the year-end 复核 and link to the read-only re-score page."""

from __future__ import annotations

import re
import subprocess

import pytest
from django.urls import reverse

from grading.documents.assessments import ANNEX4_HEADERS, ANNEX4_REGRADE_HEADERS
from grading.models import Assessment, ItemScore, ScoreLevel
from grading.rules import grades as grade_rules
from grading.services import regrade as yearend_regrade
from tests.grading import test_district_pages as pages
from tests.grading.test_district_pages import client_for
from tests.grading.test_documents import load, pdf_fonts, pdf_text
from tests.grading.test_yearend_items import as_typed, requested, scored_item, township_points

# The 2026 campaign's 10 December request date, seen from the day these tests were written.
pytestmark = pytest.mark.usefixtures("written_on")

campaign = pages.campaign
sec_all = pages.sec_all
fmt = grade_rules.fmt


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def regraded(campaign, users, tree, sec_all):
    """Village A1 scored 85 by the township (较好), re-scored by the district with items 0 and 1 at their maximum."""
    a, req = requested(campaign, users, sec_all, tree.village_a1)
    Assessment.objects.filter(pk=a.pk).update(township_opinion="该党组织自评材料齐全,经逐项核实评分,初定为“较好”等次。")
    first, second = scored_item(a, 0), scored_item(a, 1)
    typed = as_typed(a, i0=fmt(first.max_points), i1=fmt(second.max_points))
    typed[first.pk] = (typed[first.pk][0], "整改到位,台账齐全")
    decided = yearend_regrade.regrade_decide(
        actor=users.ds,
        request=req,
        opinion="复核认为整改成效明显",
        scoring=yearend_regrade.RegradeScoring(item_scores=typed),
    )
    return decided, first, second


def pdf_info(content: bytes, tmp_path) -> str:
    path = tmp_path / "annex4.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout


def download(user, name: str, a) -> bytes:
    response = client_for(user).get(reverse(f"grading:{name}", args=[a.pk]))
    assert response.status_code == 200
    return response.content


# --- 附件4 --------------------------------------------------------------------------------------------------------


def test_annex4_pdf_shows_the_regrade_beside_the_township(users, regraded, tmp_path) -> None:
    a, first, second = regraded
    township = township_points(a)
    content = download(users.sec_a1, "annex4_pdf", a)
    text = pdf_text(content)
    flat = re.sub(r"\s+", "", text)
    assert "复核评分" in flat and "乡镇评分" in flat
    assert f"复核评分总分{fmt(a.final_score)}分" in flat and a.final_score != a.township_score
    band = grade_rules.grade_for_score(a.final_score).label
    assert f"(得分对应等次{band}),复核定级{a.get_final_grade_display()},复核日期" in flat
    assert "区委组织部复核意见复核认为整改成效明显" in flat and "复核:整改到位,台账齐全" in flat
    # each changed item: the township's score, then the re-scored one on the same line
    for item in (first, second):
        assert fmt(township[item.pk]) != fmt(item.max_points)
    layout = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    line = next(ln for ln in layout.stdout.decode().splitlines() if first.text[:8] in ln.replace(" ", ""))
    assert re.search(rf"{re.escape(fmt(township[first.pk]))}\s.*{re.escape(fmt(first.max_points))}", line), line
    # still A4 portrait with the embedded CJK font
    fonts = pdf_fonts(content, tmp_path)
    assert fonts and all("Noto" in f and "CJK" in f and f.split()[-5] == "yes" for f in fonts), fonts
    info = pdf_info(content, tmp_path)
    # the sheet is still one A4 page; the organizational-life evidence appendix (issue 16) starts on its own page
    assert "595.276 x 841.89" in info, info
    pages = int(re.search(r"Pages:\s+(\d+)\n", info).group(1))
    run = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-", "-"], input=content, capture_output=True)
    first_page = run.stdout.decode().replace(" ", "")
    assert "复核评分总分" in first_page and "系统记录佐证" not in first_page
    assert pages == 1 or (pages == 2 and "系统记录佐证" in flat), info


def test_annex4_xlsx_has_the_regrade_columns_and_lines(users, regraded) -> None:
    a, first, second = regraded
    township = township_points(a)
    ws = load(download(users.ts_a, "annex4_xlsx", a)).active
    assert tuple(c.value for c in ws[1]) == ANNEX4_REGRADE_HEADERS
    items = {r[1].value: r for r in ws.iter_rows(min_row=2)}
    row = items[first.text]
    assert row[4].value == pytest.approx(float(township[first.pk]))
    assert row[6].value == pytest.approx(float(first.max_points)) and row[6].data_type == "n"
    assert row[7].value == "整改到位,台账齐全"
    assert items[second.text][6].value == pytest.approx(float(second.max_points))
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    assert rows["合计"][4].value == pytest.approx(float(a.township_score))
    assert rows["合计"][6].value == pytest.approx(float(a.final_score))
    regrade_sum = sum(
        s.points for s in ItemScore.objects.filter(assessment=a, level=ScoreLevel.REGRADE, points__isnull=False)
    )
    assert rows["复核评分总分"][1].value == pytest.approx(float(regrade_sum)) == pytest.approx(float(a.final_score))
    assert rows["复核定级"][1].value == a.get_final_grade_display()
    assert rows["复核得分对应等次"][1].value == grade_rules.grade_for_score(a.final_score).label
    assert rows["复核日期"][1].is_date
    assert rows["区委组织部复核意见"][1].value == "复核认为整改成效明显"
    assert rows["初定等次"][1].value == a.get_township_grade_display()


def test_annex4_without_a_regrade_is_as_before(campaign, users, tree, sec_all, tmp_path) -> None:
    a, _req = requested(campaign, users, sec_all, tree.village_a1)
    text = re.sub(r"\s+", "", pdf_text(download(users.ts_a, "annex4_pdf", a)))
    assert "乡镇评分" in text and "复核" not in text
    ws = load(download(users.ts_a, "annex4_xlsx", a)).active
    assert tuple(c.value for c in ws[1]) == ANNEX4_HEADERS and ws.max_column == len(ANNEX4_HEADERS)
    assert [r[0].value for r in ws.iter_rows(min_row=2)][-6:] == [
        "合计",
        "触发一票否决",
        "得分对应等次",
        "初定等次",
        "调整理由",
        "乡镇党(工)委意见",
    ]


def test_a_grade_only_regrade_prints_no_regrade_column(campaign, users, tree, sec_all) -> None:
    a, req = requested(campaign, users, sec_all, tree.village_a1)
    yearend_regrade.regrade_decide(actor=users.ds, request=req, grade="good", opinion="同意", cap_reason="成效突出")
    ws = load(download(users.ds, "annex4_xlsx", a)).active
    assert tuple(c.value for c in ws[1]) == ANNEX4_HEADERS


# --- The pages --------------------------------------------------------------------------------------------------


def test_grade_history_and_assessment_page_link_to_the_regrade(users, tree, regraded) -> None:
    a = regraded[0]
    url = reverse("grading:regrade_score", args=[a.pk])
    org_page = client_for(users.sec_a1).get(reverse("organizations:org_detail", args=[tree.village_a1.pk]))
    html = org_page.content.decode()
    assert "年底复核定级" in html and f'href="{url}"' in html
    detail = client_for(users.sec_a1).get(reverse("grading:assessment_detail", args=[a.pk])).content.decode()
    assert "由区委组织部年底复核定级" in detail and f'href="{url}"' in detail
    assert f"({fmt(a.final_score)}分)" in detail
    # and the township's scoring page of the organization
    scoring = client_for(users.ts_a).get(reverse("grading:township_score", args=[a.pk])).content.decode()
    assert "年底复核定级为" in scoring and f'href="{url}"' in scoring
    # the link answers read-only to the secretary and the township
    for who in (users.sec_a1, users.ts_a):
        page = client_for(who).get(url)
        assert page.status_code == 200
        body = page.content.decode()
        assert "复核评分" in body and 'id="gs-form"' not in body


def test_no_regrade_no_link(campaign, users, tree, sec_all) -> None:
    a, _req = requested(campaign, users, sec_all, tree.village_a1)
    url = reverse("grading:regrade_score", args=[a.pk])
    html = client_for(users.sec_a1).get(reverse("organizations:org_detail", args=[tree.village_a1.pk])).content
    assert url not in html.decode()
    detail = client_for(users.sec_a1).get(reverse("grading:assessment_detail", args=[a.pk])).content.decode()
    assert url not in detail and "年底复核定级" not in detail
    scoring = client_for(users.ts_a).get(reverse("grading:township_score", args=[a.pk])).content.decode()
    assert url not in scoring
