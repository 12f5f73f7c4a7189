"""What the crawl's roles see, page by page (status and text): run on two databases, equal output means the same
site. ``python -m tests.browser.crawl.fingerprint district branch0001`` prints it as JSON (the backup test runs it
against the restored database in a process of its own).

A page's fingerprint is its status and the text a user reads (crawler.visible_text), with the clock taken out
(times of day and the "today" of the page can differ between two runs a few seconds apart)."""

from __future__ import annotations

import json
import re
import sys

CLOCK = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")
PER_ROUTE = 1


def fingerprint(roles: list[str]) -> dict[str, list[object]]:
    from tests.browser.crawl.crawler import crawl, visible_text

    result = crawl(roles, per_route=PER_ROUTE)
    prints: dict[str, list[object]] = {}
    for page in result.pages():
        text = CLOCK.sub("", "\n".join(visible_text(page.html))) if page.html else ""
        prints[f"{page.role} {page.url}"] = [page.status, text]
    return prints


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(fingerprint(sys.argv[1:])))
