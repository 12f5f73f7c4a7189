"""Debian's Chromium for every browser test (Playwright cannot download its own browser here), one per module, and
pages in browser contexts of their own (one per person: each logs in with their own session, or none)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser) -> Iterator[Callable[..., object]]:
    """``new_page(viewport=...)``: a page in a fresh context (Chinese locale, 15 s timeouts, confirmations accepted)."""
    contexts = []

    def make(viewport: dict[str, int] = DESKTOP) -> object:
        context = browser.new_context(locale="zh-CN", viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("dialog", lambda dialog: dialog.accept())  # the 确定……吗? confirmations (data-confirm)
        return page

    yield make
    for context in contexts:
        context.close()
