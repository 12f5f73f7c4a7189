"""附件3 on a 375 px phone: the running total stays in sight while scrolling, no label is broken mid-word, the
一票否决 badge is a compact pill, the page fits the width and is shorter than it was (~5,800 px)."""

from __future__ import annotations

import pytest

from grading.models import Assessment
from grading.services import campaigns as services
from tests.browser.test_login_journeys import PHONE, log_in
from tests.calendar_support import seed_test_calendar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def assessment(users, tree) -> Assessment:
    seed_test_calendar(2026)
    campaign = services.campaign_open(actor=users.ds, campaign=services.campaign_create(actor=users.ds, year=2026))
    return Assessment.objects.get(campaign=campaign, organization=tree.village_a1)


def test_annex3_on_a_phone(new_page, live_server, users, assessment) -> None:
    page = new_page(PHONE)
    log_in(page, live_server.url, "sec_a1")
    page.get_by_role("link", name="填报自查自评").click()
    page.get_by_role("link", name="附件3 支委会自评").first.click()
    page.locator("table.sa-scores").wait_for()

    size = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert size[0] <= 375, size
    assert size[1] < 5000, size

    # the running total is on screen in the middle of the list, and follows the typing
    first = page.locator("table.sa-scores input[type=number]").first
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight / 3)")
    page.wait_for_timeout(200)
    total = page.locator(".sa-running-total")
    box = total.bounding_box()
    assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"] + 1, box
    first.fill("3")
    page.wait_for_timeout(200)
    assert "3" in total.text_content()

    # labels on one line, not broken mid-word
    labels = page.evaluate(
        """() => [...document.querySelectorAll('table.sa-scores td[data-label]')].slice(0, 12).map(td => {
             const s = getComputedStyle(td, '::before'); return s.display === 'none' || s.whiteSpace === 'nowrap'; })"""
    )
    assert labels and all(labels)

    # the veto badge is a compact pill, not a stretched oval
    badge = page.locator("table.sa-scores .badge", has_text="一票否决").first
    b = badge.bounding_box()
    assert b is not None and b["height"] < 30 and b["width"] < 120, b


def test_annex4_scoring_on_a_phone(new_page, live_server, users, tree, assessment) -> None:
    from tests.grading.test_workflow import fill_and_submit

    fill_and_submit(users.sec_a1, assessment)
    page = new_page(PHONE)
    log_in(page, live_server.url, "ts_a")
    page.get_by_role("link", name="分类定级").first.click()
    page.locator("tr", has_text="东风村党支部").get_by_role("link", name="评分").click()
    page.locator("table.gs-sheet").wait_for()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, width
    labels = page.evaluate(
        """() => [...document.querySelectorAll('table.gs-sheet td[data-label]')].slice(0, 12).map(td => {
             const s = getComputedStyle(td, '::before'); return s.display === 'none' || s.whiteSpace === 'nowrap'; })"""
    )
    assert labels and all(labels)
    badge = page.locator("table.gs-sheet .badge", has_text="一票否决").first
    b = badge.bounding_box()
    assert b is not None and b["height"] < 30 and b["width"] < 120, b
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight / 3)")
    page.wait_for_timeout(200)
    box = page.locator(".gs-totalbar").bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"] + 1, box
