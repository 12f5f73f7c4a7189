"""资格联审 in the browser (Q1/Q2, 第五篇 五(四)15 "县委组织部会同……等部门……进行资格联审,并报县村(社区)'两委'换届
工作领导小组复审"), on a phone: the township, from its home, opens the project's 资格联审 page and records the returned
forms (thirteen departments agree on every candidate; 公安局 agrees on three and refuses one with its reason); the
list cannot be approved yet; the district, from its home, records the group's re-review; the township then approves
the three. No horizontal overflow at 375 px; the page shows no rule code.

``record_opinions`` and ``rereview`` are the clicks other election journeys reuse."""

from __future__ import annotations

import re

import pytest

from elections.models import Candidate, CandidateStatus
from tests.browser.clicks import overflow
from tests.browser.test_election_journey import click, submits
from tests.browser.test_login_journeys import ARTIFACTS, log_in
from tests.elections import conftest as election_fixtures

calendar_2026 = election_fixtures.calendar_2026
election_date = election_fixtures.election_date
project = election_fixtures.project
nominated = election_fixtures.nominated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
RULE_CODE = re.compile(r"\b[QT][1-4]\b")


def record_opinions(
    page, departments: list[str], *, reviewer: str, candidates: list[str] | None = None, refuse: str = ""
) -> None:
    """On the 资格联审 page: tick the departments of one returned form (and, when given, only these candidates),
    their opinion, the signer; save."""
    form = page.locator("#jr-opinions")
    for name in departments:
        form.get_by_label(name, exact=True).check()
    if candidates is not None:
        for box in form.locator("input[name=candidates]").all():
            box.uncheck()
        for label in candidates:
            form.get_by_label(label, exact=True).check()
    if refuse:
        form.get_by_label("不同意", exact=True).check()
        form.get_by_label("不同意的理由").fill(refuse)
    form.get_by_label("审核人(部门签字人)").fill(reviewer)
    with submits(page, "条部门意见"):
        form.get_by_role("button", name="保存部门意见").click()


def rereview(page) -> None:
    """On the 资格联审 page, as the district: the group agrees on the candidates ticked for it (those every
    department agreed on)."""
    with submits(page, "名候选人的复审意见"):
        page.locator("#jr-rereview").get_by_role("button", name="保存复审意见").click()


def open_project(page, base: str, township: str, project_name: str) -> None:
    """From the home page (the township's or the district's): 换届选举, the township, the project."""
    page.locator("label.nav-toggle-label").click()
    page.locator("nav.mainnav").get_by_role("link", name="换届选举").click()
    page.locator("ul.el-chart").get_by_role("link", name=township).click()
    page.get_by_role("link", name=project_name).first.click()


def test_township_records_the_review_and_district_rereviews_on_a_phone(new_page, live_server, users, tree, nominated):
    project, cands = nominated
    names = [c.member.name for c in cands]
    page = new_page(viewport=PHONE)
    log_in(page, live_server.url, "ts_a")
    open_project(page, live_server.url, tree.township_a.name, project.organization.name)
    page.locator("p.el-tabs").get_by_role("link", name="资格联审").click()
    page.get_by_role("heading", name="资格联审", exact=True).wait_for()
    assert page.locator("details.el-jr").count() == 4
    departments = ["纪委监委", "法院", "检察院", "司法局", "民政局", "政法委(综治办、县610办)", "审计局", "信访局"]
    departments += ["安监局", "环保局", "卫计局", "财政局(减负办)", "民宗局"]
    record_opinions(page, departments, reviewer="赵审核")
    page.get_by_text("联审中(13/14)").first.wait_for()
    record_opinions(page, ["公安局"], reviewer="钱审核", candidates=[f"{n}(委员)" for n in names[:3]])
    record_opinions(page, ["公安局"], reviewer="钱审核", candidates=[f"{names[3]}(委员)"], refuse="有涉黑涉恶线索")
    page.locator("p.el-refused").filter(has_text="公安局不同意:有涉黑涉恶线索").first.wait_for()
    text = page.locator("main").inner_text()
    assert "联审未通过" in text and not RULE_CODE.search(text)
    assert overflow(page) <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "election-phone-joint-review.png"), full_page=True)

    # the list cannot be approved before the group's re-review
    page.get_by_role("link", name="推荐和候选人").click()
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.get_by_role("button", name="乡镇批准候选人预备人选").click()
    page.locator("ul.messages li.msg-error").filter(
        has_text="尚待县村(社区)“两委”换届工作领导小组复审"
    ).first.wait_for()
    assert not Candidate.objects.filter(project=project, status=CandidateStatus.APPROVED).exists()

    # the district records the re-review from its own home
    district = new_page(viewport=PHONE)
    log_in(district, live_server.url, "ds")
    open_project(district, live_server.url, tree.township_a.name, project.organization.name)
    district.locator("p.el-tabs").get_by_role("link", name="资格联审").click()
    district.get_by_role("heading", name="资格联审", exact=True).wait_for()
    form = district.locator("#jr-rereview")
    assert form.get_by_label(f"{names[3]}(委员)", exact=True).is_checked() is False  # the refused one is not ticked
    rereview(district)
    assert district.locator("details.el-jr .badge").filter(has_text="联审通过").count() == 3
    assert overflow(district) <= PHONE["width"]
    district.screenshot(path=str(ARTIFACTS / "election-phone-joint-rereview.png"), full_page=True)

    # the township approves the three the review cleared
    page.locator("p.el-tabs").get_by_role("link", name="推荐和候选人").click()
    page.get_by_role("heading", name="推荐和候选人").wait_for()
    click(page, "乡镇批准候选人预备人选")
    approved = set(Candidate.objects.filter(project=project, status="approved").values_list("member__name", flat=True))
    assert approved == set(names[:3])
    assert Candidate.objects.get(pk=cands[3].pk).status == CandidateStatus.REFUSED
