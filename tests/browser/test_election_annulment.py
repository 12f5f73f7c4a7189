"""第五篇 六.2 宣布当选无效 in the browser, on a phone: the district, from its home, opens a village's project whose
result was approved, goes to the confirmation page, records the decision (贿选, the body, the document) and sees the
seat reopened for a further ballot (the A5 path) and the annulment on the project and result pages; no horizontal
overflow at 375 px on any of them."""

from __future__ import annotations

import pytest

from core.models import Event
from elections.models import Phase, Sanction
from tests.browser.clicks import overflow
from tests.browser.test_login_journeys import ARTIFACTS, log_in
from tests.elections import conftest as election_fixtures
from tests.elections.test_annulment import approved, at_congress  # noqa: F401 (fixtures)

calendar_2026 = election_fixtures.calendar_2026
election_date = election_fixtures.election_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def test_the_district_annuls_an_election_and_the_seat_reopens(new_page, live_server, approved, members, tree):  # noqa: F811
    project, village = approved, members["a1"]
    assert project.status == Phase.FOLLOWING_UP
    page = new_page(viewport=PHONE)
    log_in(page, live_server.url, "ds")
    page.locator("label.nav-toggle-label").click()
    page.locator("nav.mainnav").get_by_role("link", name="换届选举").click()
    page.locator("ul.el-chart").get_by_role("link", name=tree.township_a.name).click()
    page.get_by_role("link", name=project.organization.name).click()
    panel = page.locator("section.el-incidents")
    panel.wait_for()
    assert overflow(page) <= PHONE["width"]
    panel.get_by_role("link", name="宣布当选无效").click()

    page.get_by_role("heading", name="确认宣布当选无效").wait_for()
    assert "空缺名额须在党员大会上另行选举" in page.locator("main").inner_text()
    assert overflow(page) <= PHONE["width"]
    page.get_by_label("宣布当选无效的当选人").select_option(village[1].name)
    page.get_by_label("查实的违纪情形").select_option("bribery")
    page.get_by_label("查实情况").fill("经查实,其亲属向8名党员发放购物卡拉票")
    page.get_by_label("决定机关").select_option("district")
    page.get_by_label("决定人").fill("区委组织部部长")
    page.get_by_label("决定文号").fill("区组通〔2026〕9号")
    page.screenshot(path=str(ARTIFACTS / "election-annul-confirm.png"), full_page=True)
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.get_by_role("button", name="确认宣布当选无效").click()

    page.get_by_text(f"已宣布{village[1].name}当选无效").first.wait_for()
    reopened = page.locator("p.el-reopened")
    assert "空缺1名" in reopened.inner_text() and village[1].name in reopened.inner_text()
    assert overflow(page) <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "election-annul-meeting.png"), full_page=True)
    page.get_by_role("link", name="选举结果").click()
    notice = page.locator("section.el-annulments")
    assert village[1].name in notice.inner_text() and "区组通〔2026〕9号" in notice.inner_text()
    assert overflow(page) <= PHONE["width"]

    sanction = Sanction.objects.get(project=project, kind="annul")
    assert (sanction.name, sanction.body, sanction.recorded_by.username) == (village[1].name, "district", "ds")
    project.refresh_from_db()
    assert project.status == Phase.ELECTING
    assert Event.objects.filter(verb="election.annul", actor__username="ds").exists()
