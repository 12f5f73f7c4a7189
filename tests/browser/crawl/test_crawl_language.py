"""Every page the crawl reached speaks Chinese: no English word meant for the user, no code of our specification.

What a user reads (crawler.visible_text): the text of the page, its <title>, and the titles, placeholders, labels read
aloud, image text, button values and confirmation questions of its elements. Scripts and styles are not read.
English: any word of two or more Latin letters not on ALLOWED (file formats and abbreviations that Chinese offices
use as they are), other than a file name's extension ("报告.pdf"). Codes of our specification: "RULES" and a
rule's section letter with its number, such as "A13", "(C5)", "B1–B4" (crawler.RULE_CODE): the user reads the rule
in words, and its source where it helps.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from tests.browser.crawl.crawler import ENGLISH_WORD, RULE_CODE, Crawl, visible_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Latin words a Chinese user reads as they are (case-sensitive): file formats (OFD: the national e-document format,
# GB/T 33190) and encodings named where a file is
# uploaded or downloaded; proper names: the demo's login names (typed at the login page as they are) and the holiday
# package the calendar names as its source, in a Chinese sentence ("由系统内置的 chinesecalendar 日历软件包收录").
ALLOWED = frozenset(
    {"PDF", "OFD", "Word", "Excel", "CSV", "JPG", "PNG", "doc", "docx", "xls", "xlsx", "UTF", "GBK", "ID", "SVG", "QR"}
    | {"district", "admin", "chinesecalendar"}
)


URL = re.compile(r"https?://\S+")


def findings(text: str) -> list[str]:
    text = URL.sub(" ", text)  # an address to print or copy (the public notice's) is not a word to read
    words = [w for w in ENGLISH_WORD.findall(text) if w not in ALLOWED]
    codes = RULE_CODE.findall(text)
    return [f"英文“{w}”" for w in words] + [f"规则编号“{c}”" for c in codes]


def test_the_rule_sees_english_and_codes():
    assert findings("Not Found") == ["英文“Not”", "英文“Found”"]
    assert findings("超过4/5,A1") == ["规则编号“A1”"]
    assert findings("依据 RULES B1–B4") == ["英文“RULES”", "规则编号“RULES”", "规则编号“B1–B4”"]
    assert findings("(C5)未通过") == ["规则编号“C5”"]
    assert findings("下载PDF或xlsx;组织代码 T01-001;2026年;第12条;会议记录.pdf;10MB") == []
    assert findings("生成公文(A4纸,PDF)") == []
    assert findings("公示地址:http://dj.example.gov.cn/public/notices/24/") == []


def test_no_page_shows_english_or_rule_codes(site_crawl: Crawl):
    # given every HTML page the roles reached
    found: dict[tuple[str, str], set[str]] = defaultdict(set)  # (finding, route) -> pages
    for page in site_crawl.html_pages():
        for chunk in visible_text(page.html):
            for finding in findings(chunk):
                found[(finding, page.route)].add(f"{page.role} {page.url}: …{chunk[:80]}…")
    # then none shows a word of English or a rule code
    lines = []
    for (finding, route), where in sorted(found.items()):
        sample = sorted(where)
        lines.append(f"{finding} 在 {route}(共 {len(where)} 页),如 {sample[0]}")
    assert not lines, f"{len(lines)} 处用户可见的英文或规则编号:\n" + "\n".join(lines)
