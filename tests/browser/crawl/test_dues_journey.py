"""The dues ledger of a branch of about 40 members, on a phone (375 px), reached by clicking only (issue 16): the
township logs in, opens 党费 from its township page, picks a branch with arrears on the board, sees the arrears on
the ledger, downloads the ledger as Excel and PDF, and records this month's dues for the branch on one page. On the
package's committed demo (``load_demo --small``); screenshots test-artifacts/dues-NN-<what>.png."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.crawl.conftest import ARTIFACTS
from tests.browser.test_login_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 375, "height": 812}
FILE_TIMEOUT = 90_000  # WeasyPrint renders the PDF in the request: slow on a busy machine


def _width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def _shot(page, n: int, what: str) -> None:
    Path(ARTIFACTS).mkdir(exist_ok=True)
    page.screenshot(path=f"{ARTIFACTS}/dues-{n:02d}-{what}.png", full_page=True)


def _download(page, href: str) -> str:
    with page.expect_download(timeout=FILE_TIMEOUT) as info:
        page.locator("main").locator(f"a[href*='{href}']").first.click()
    download = info.value
    assert download.path() and Path(download.path()).stat().st_size > 0
    return download.suggested_filename


def test_township_finds_arrears_in_a_forty_member_branch_and_exports_on_a_phone(demo_server, new_page):
    page = new_page(viewport=PHONE)
    log_in(page, demo_server, "township01")
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator("main").get_by_role("link", name="党费", exact=True).first.click()
    assert "党费收缴" in page.locator("h1").inner_text()
    assert _width(page) <= PHONE["width"]
    _shot(page, 1, "township-board")

    # a branch of 30–60 members with arrears (the board marks them)
    rows = page.locator("tr[data-list-row]").filter(has=page.locator(".badge-error"))
    sizes = [int(rows.nth(i).locator("td").nth(1).inner_text()) for i in range(rows.count())]
    pick = next(i for i, n in enumerate(sizes) if 30 <= n <= 60)
    name = rows.nth(pick).locator("td a").first.inner_text()
    with page.expect_navigation(wait_until="domcontentloaded"):
        rows.nth(pick).locator("td a").first.click()
    assert name in page.locator("h1").inner_text() and "党费收缴台账" in page.locator("h1").inner_text()
    assert page.locator("td.dues-unpaid, td.dues-partial").count() > 0  # the arrears are on the ledger
    owing = page.locator(".grid .card").filter(has_text="有欠缴的党员").locator(".stat").inner_text()
    assert int(owing) > 0
    assert page.locator("tr[data-list-row]").count() >= 30
    assert _width(page) <= PHONE["width"]  # the months scroll inside their frame, not the page
    _shot(page, 2, "ledger")

    assert re.search(r"党费收缴台账\.xlsx$", _download(page, "ledger.xlsx"))
    assert re.search(r"党费收缴台账\.pdf$", _download(page, "ledger.pdf"))

    # this month's collection for the whole branch on one page
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator("main").get_by_role("link", name="批量登记党费").click()
    assert _width(page) <= PHONE["width"]
    inputs = page.locator(".dues-batch-row input[type=number]")
    assert inputs.count() >= 30
    _shot(page, 3, "batch")
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.get_by_role("button", name="保存登记").click()
    _shot(page, 4, "saved")
    errors = page.locator(".errorlist").all_inner_texts()
    assert not errors, errors
    assert "已登记" in page.locator(".messages").inner_text()
