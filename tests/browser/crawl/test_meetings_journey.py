"""Issue 16's "done when" for organizational life, in Chromium on the demo district, by clicking only:
branch0001 records a 支委会 with attendance on a 375 px phone (from its home, in well under two minutes), and
township01 sees the effect on that organization's 附件4 evidence and on the township's compliance board.
Screenshots: test-artifacts/meetings-*.png."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from django.utils import timezone

from meetings.models import Meeting
from tests.browser.crawl.conftest import ARTIFACTS
from tests.browser.test_login_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
PHONE = {"width": 375, "height": 812}
ORG = "洞村党支部"  # branch0001's organization


def no_overflow(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url}: {width}px wide"


def no_english(page) -> None:
    text = page.locator("main").inner_text()
    assert not re.search(r"\b(committee|present|absent|leave|monthly|None)\b", text), text[:300]


def committee_count() -> int:
    year = timezone.localdate().year
    return Meeting.objects.filter(organization__name=ORG, kind="committee", held_on__year=year).count()


def test_branch0001_records_a_committee_meeting_on_a_phone_and_township01_sees_it(demo_server, new_page):
    Path(ARTIFACTS).mkdir(exist_ok=True)
    before = committee_count()
    page = new_page(viewport=PHONE)
    started = time.perf_counter()
    log_in(page, demo_server, "branch0001")
    assert re.search(r"/orgs/\d+/$", page.url)
    with page.expect_navigation():
        page.locator("section.mt-panel").get_by_role("link", name="登记会议").click()
    no_overflow(page)
    no_english(page)
    page.select_option("#id_kind", label="支部委员会")
    page.fill("#id_topic", "研究冬季党员培训和困难党员慰问")
    people = page.locator(".mt-person")
    assert people.count() > 10
    people.nth(0).locator(".mt-opt-leave span").click()
    people.nth(0).locator(".mt-reason").fill("外出务工")
    people.nth(1).locator(".mt-opt-absent span").click()
    people.nth(1).locator(".mt-reason").fill("未联系上")
    no_overflow(page)
    page.screenshot(path=f"{ARTIFACTS}/meetings-branch0001-form-375.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    assert "已登记支部委员会" in page.locator("ul.messages").inner_text()
    assert time.perf_counter() - started < 120
    detail = page.locator("main").inner_text()
    assert "请假" in detail and "外出务工" in detail and "缺席" in detail
    no_overflow(page)
    page.screenshot(path=f"{ARTIFACTS}/meetings-branch0001-detail-375.png", full_page=True)
    after = committee_count()
    assert after == before + 1

    town = new_page()
    log_in(town, demo_server, "township01")
    with town.expect_navigation():
        town.locator("main").get_by_role("link", name="组织生活").first.click()
    row = town.locator("table.mt-board tr", has=town.get_by_role("link", name=ORG))
    cells = row.locator("td")
    headers = [t.strip() for t in town.locator("table.mt-board thead th").all_inner_texts()]
    committee_column = headers.index("支部委员会")
    assert cells.nth(committee_column - 1).inner_text().startswith(f"{after}/")
    town.screenshot(path=f"{ARTIFACTS}/meetings-township01-board.png", full_page=True)
    with town.expect_navigation():
        town.get_by_role("link", name="首页").first.click()
    with town.expect_navigation():
        town.locator("main").get_by_role("link", name="分类定级").first.click()
    with town.expect_navigation():
        town.locator("main table").get_by_role("link", name=ORG).first.click()
    evidence = town.locator("td.gs-item", has_text="三会一课").locator(".gd-evidence").inner_text()
    assert f"支部委员会:{after}次" in evidence
    town.screenshot(path=f"{ARTIFACTS}/meetings-township01-annex4.png", full_page=True)
