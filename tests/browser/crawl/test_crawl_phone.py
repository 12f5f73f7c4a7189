"""Every page the crawl reached fits a phone: Chromium at 375×812, one page per route name, one browser context.

The rule, checked in the page after load:
- the document is no wider than the screen (``scrollWidth`` of <html> and <body> ≤ 375), and no visible element
  reaches past the screen's right edge, unless it sits inside a deliberate scroll container;
- no text is cut off: no visible element with text whose content is wider or taller than its box while its overflow
  hides the rest (``hidden`` or ``clip``), or that ends in an ellipsis (``text-overflow``).
A deliberate scroll container is an element with ``overflow-x: auto`` or ``scroll`` (e.g. ``.table-wrap`` around a
wide table): what is inside can be scrolled to, so it is neither cut off nor past the edge; the container itself must
fit. Except a table that stacks on a phone (``table.responsive``: one card per row, label beside value): its cards
must fit the screen even inside a scroll wrapper, or its values sit off the right edge behind a scroll bar.
Visually hidden text for screen readers (a 1 px box clipped to nothing: ``.gt-sr`` and the like) is not text cut off.

The pages are opened at the addresses the crawl reached them by links (the crawl is the proof that a user can click
there; clicking the same way again in Chromium would take minutes), in a context that takes over each role's
logged-in session. Screenshots of failing pages: test-artifacts/crawl-phone-<route>.png (of every page with
CRAWL_PHONE_SHOTS=1 in the environment, to look at them).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.crawl.conftest import ARTIFACTS
from tests.browser.crawl.crawler import Crawl

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 375, "height": 812}

FIT = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    if (el.classList.length) name += "." + [...el.classList].join(".");
    const text = (el.innerText || el.value || "").replace(/\\s+/g, " ").trim().slice(0, 40);
    return name + (text ? " “" + text + "”" : "");
  };
  const docWidth = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
  if (docWidth > width + 1) problems.push("页面宽 " + docWidth + "px,超出屏幕 " + width + "px");
  const scrolls = (el) => /(auto|scroll)/.test(getComputedStyle(el).overflowX);
  const inScroller = (el) => {
    for (let p = el; p && p !== document.body; p = p.parentElement) {
      if (p.matches("table.responsive")) return false;  // stacked on a phone: must fit, scroller or not
      if (p !== el && scrolls(p)) return true;
    }
    return false;
  };
  const srOnly = (el, rect) => rect.width <= 1 || rect.height <= 1;
  const past = [];
  for (const el of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) continue;
    if (srOnly(el, rect) || inScroller(el)) continue;
    if (rect.right > width + 1) {
      // the outermost element past the edge is the one to name: its children are past it with it
      if (!past.some((p) => p.contains(el))) {
        past.push(el);
        problems.push("超出屏幕右边 " + Math.round(rect.right - width) + "px:" + describe(el));
      }
      continue;
    }
    const text = (el.innerText || "").trim();
    if (!text || scrolls(el)) continue;
    const hides = /(hidden|clip)/.test(style.overflowX + " " + style.overflowY);
    if (hides && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1))
      problems.push("文字被截断:" + describe(el));
    else if (style.textOverflow === "ellipsis" && el.scrollWidth > el.clientWidth + 1)
      problems.push("文字以省略号截断:" + describe(el));
  }
  return problems;
}"""


def test_every_page_fits_a_phone(site_crawl: Crawl, demo_server: str, browser):
    # given one page per route name, as reached by the crawl, each with the role that reached it, and each role's home
    pages = site_crawl.one_per_route()
    pages += [page for rc in site_crawl.roles.values() for page in rc.pages[:1] if page.html and page not in pages]
    context = browser.new_context(locale="zh-CN", viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    failures: list[str] = []
    current_role = None
    host = demo_server.split("//", 1)[1].split(":")[0]
    try:
        for crawled in sorted(pages, key=lambda p: p.role):
            if crawled.role != current_role:
                current_role = crawled.role
                context.clear_cookies()
                context.add_cookies(
                    [
                        {"name": name, "value": value, "domain": host, "path": "/"}
                        for name, value in site_crawl.roles[crawled.role].cookies.items()
                    ]
                )
            # when the page is opened on a phone
            response = page.goto(demo_server + crawled.url, wait_until="load")
            assert response is not None and response.status == 200, f"{crawled.url}: {response and response.status}"
            # then it fits the screen
            problems = page.evaluate(FIT)
            if problems or os.environ.get("CRAWL_PHONE_SHOTS"):
                shot = Path(ARTIFACTS) / f"crawl-phone-{crawled.route.replace(':', '-')}.png"
                shot.parent.mkdir(exist_ok=True)
                page.screenshot(path=str(shot), full_page=True)
                if not problems:
                    continue
                failures.append(f"{crawled.role} {crawled.url} ({crawled.route}), 截图 {shot}:")
                failures.extend(f"    {p}" for p in problems[:8])
                if len(problems) > 8:
                    failures.append(f"    ……另有 {len(problems) - 8} 处")
    finally:
        context.close()
    assert not failures, f"{len(pages)} 个页面中有的在手机上(375px)放不下:\n" + "\n".join(failures)


def test_the_rule_sees_a_page_that_does_not_fit(browser):
    """The check itself: a wide table outside a scroll wrapper, a clipped label, an ellipsis, all found; the same
    table in a .table-wrap-like scroller and a screen-reader-only label, not."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_content(
        "<body style='margin:0'>"
        "<div id='scroller' style='overflow-x:auto'><table><tr><td style='white-space:nowrap'>"
        + "很长的内容"
        * 20
        + "</td></tr></table></div>"
        "<span style='position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)'>读屏文字</span>"
        "</body>"
    )
    assert page.evaluate(FIT) == []
    page.set_content(
        "<body style='margin:0'><table><tr><td style='white-space:nowrap'>" + "很长的内容" * 20 + "</td></tr></table>"
        "<p style='width:3em;overflow:hidden;white-space:nowrap'>评分说明文字</p>"
        "<p style='width:3em;overflow:hidden;white-space:nowrap;text-overflow:ellipsis'>评分说明文字</p></body>"
    )
    problems = page.evaluate(FIT)
    context.close()
    assert any(p.startswith("页面宽") for p in problems)
    assert sum(p.startswith("超出屏幕右边") for p in problems) == 1  # the table, not each of its cells
    assert sum(p.startswith("文字被截断") for p in problems) == 2  # the ellipsis is cut off too
    assert any("评分说明文字" in p for p in problems)


def test_the_rule_sees_a_stacked_table_past_the_edge_of_its_scroller(browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_content(
        "<body style='margin:0'><div style='overflow-x:auto'><table class='responsive'>"
        "<tr style='display:block'><td style='display:flex;white-space:nowrap'>" + "很长的内容" * 20 + "</td></tr>"
        "</table></div></body>"
    )
    problems = page.evaluate(FIT)
    context.close()
    assert any(p.startswith("超出屏幕右边") and "很长的内容" in p for p in problems), problems
