"""On a phone (375 px), reached by clicking from the secretary's home: the 选举登记 page's consent and vote on
excusing members (A1a, 《中国共产党基层组织选举工作条例》第十六条) and the meeting page's vote to reduce the seats
(A5, 1990年暂行条例第二十二条). No horizontal overflow; no rule codes on the page."""

from __future__ import annotations

import pytest

from elections.models import SeatReduction
from elections.services.excusal import excusal_consent
from tests.browser.clicks import overflow
from tests.browser.test_login_journeys import ARTIFACTS, log_in
from tests.crawl_support import rule_codes_shown
from tests.elections import conftest as election_fixtures
from tests.elections.test_excusal import at_congress
from tests.elections.test_seat_reduction import three_of_four

calendar_2026 = election_fixtures.calendar_2026
election_date = election_fixtures.election_date
project = election_fixtures.project
electing = election_fixtures.electing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
__all__ = ["at_congress", "three_of_four"]


def to_project(page, base, project):
    log_in(page, base, "sec_a1")  # lands on the village's page, whose election panel links the project
    page.get_by_role("link", name=f"{project.year}年换届").click()


def test_congress_vote_on_excused_members_on_a_phone(new_page, live_server, users, tree, at_congress, settings):
    project, _ = at_congress
    excusal_consent(actor=users.ts_a, project=project, document="某党委〔2026〕7号")
    page = new_page(viewport=PHONE)
    to_project(page, live_server.url, project)
    page.get_by_role("link", name="选举登记").first.click()
    section = page.locator("section.el-excusal")
    section.get_by_text("须经党员大会表决通过").wait_for()
    assert overflow(page) <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "election-phone-excusal.png"), full_page=True)
    section.get_by_label("赞成").fill("7")
    section.get_by_role("button", name="保存党员大会表决结果").click()
    page.get_by_text("已记录党员大会表决结果").first.wait_for()
    assert "赞成7人" in page.locator("section.el-excusal").inner_text()
    assert overflow(page) <= PHONE["width"] and not rule_codes_shown(page.content())


def test_congress_vote_to_reduce_seats_on_a_phone(new_page, live_server, users, tree, three_of_four):
    page = new_page(viewport=PHONE)
    to_project(page, live_server.url, three_of_four)
    page.get_by_role("link", name="党员大会和计票").first.click()
    section = page.locator("section.el-seat-reduction")
    section.get_by_text("尚有1个名额未选出").wait_for()
    assert overflow(page) <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "election-phone-seat-reduction.png"), full_page=True)
    section.locator("input[name=votes_for]").fill("6")
    section.get_by_role("button", name="记录减少名额的表决结果").click()
    page.get_by_text("已记录党员大会表决:通过").first.wait_for()
    assert SeatReduction.objects.get(project=three_of_four).passed
    assert overflow(page) <= PHONE["width"] and not rule_codes_shown(page.content())
