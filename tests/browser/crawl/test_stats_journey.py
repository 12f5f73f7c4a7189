"""党员统计 on a phone (375 px), reached by clicking only (issue 17 §1): the district logs in, opens 党员统计 from the
menu, sees the comparison of its townships (chart and table), follows a township's number to its members and
downloads the yearly workbook. On the package's committed demo; screenshots test-artifacts/stats-NN-<what>.png."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.browser.crawl.conftest import ARTIFACTS
from tests.browser.test_login_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 375, "height": 812}


def _width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def _shot(page, n: int, what: str) -> None:
    Path(ARTIFACTS).mkdir(exist_ok=True)
    page.screenshot(path=f"{ARTIFACTS}/stats-{n:02d}-{what}.png", full_page=True)


def test_district_compares_its_townships_and_downloads_the_workbook_on_a_phone(demo_server, new_page):
    page = new_page(viewport=PHONE)
    log_in(page, demo_server, "district")
    page.locator("label.nav-toggle-label").click()
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator("nav.mainnav").get_by_role("link", name="党员统计", exact=True).click()
    assert "党员统计" in page.locator("h1").inner_text()
    comparison = page.locator("#comparison")
    assert "各乡镇(街道)对比" in comparison.locator("h2").inner_text()
    assert comparison.locator("svg.st-chart rect").count() >= 2
    townships = comparison.locator("tbody tr")
    assert townships.count() >= 2
    assert _width(page) <= PHONE["width"]  # the tables scroll inside their frame, the charts scale
    _shot(page, 1, "district")

    with page.expect_download(timeout=60_000) as info:
        page.locator("main").locator("a[href$='workbook.xlsx']").first.click()
    download = info.value
    assert download.suggested_filename.endswith("党员统计表.xlsx")
    book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert "年龄结构" in book.sheetnames and "流动党员" in book.sheetnames

    # a township's row → its own statistics → the members behind a number
    name = townships.first.locator("th a").inner_text()
    with page.expect_navigation(wait_until="domcontentloaded"):
        townships.first.locator("th a").click()
    assert name in page.locator("h1").inner_text()
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator("#gender tfoot a").first.click()
    assert "性别" in page.locator("h1").inner_text()
    assert page.locator("main table tbody tr").count() > 0
    assert _width(page) <= PHONE["width"]
    _shot(page, 2, "members")
