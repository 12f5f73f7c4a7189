"""Clicks that change the page, waited for: a link's click returns before the next page arrives, so a check made
right after it (a count, a width measured by script) could read the old page or a page with no body yet."""

from __future__ import annotations


def follow(locator) -> None:
    """Click a link (or a GET button) and return once the page it leads to has its document."""
    with locator.page.expect_navigation(wait_until="domcontentloaded"):
        locator.click()


def overflow(page) -> int:
    """The page's widest scroll width, measured once the page has loaded."""
    page.wait_for_load_state("load")
    return page.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
