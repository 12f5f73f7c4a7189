"""Each demo role, in Chromium, logs in and reaches each of its capabilities by clicking only.

No address is typed but the login page's: from the home each journey clicks the menu, the to-do links and the links of
lists and pages, and checks that each capability answers (a heading, a form, a file). Downloads are clicked too and
must start (a file with a name and some bytes). On the demo district, ``load_demo --small`` (this package's demo).

What each role can do (organizations/roles.py) and where the journey goes for it:
- district: the district overview; grading (审定, the 通报 and 附件5 of the district); rectification (board, a case, its
  ledger); elections (the terms to renew, a township's board, a project); organizations and members; notices.
- township01: its township; grading (the board, the year-end page, an organization's 附件4 and files, 附件5, the
  公示); rectification (board, a case); elections (board, a project, its papers); members; notices.
- branch0001: its organization; grading (its assessment, 附件1–3 and the blank 测评票); the roster and its PDF; notices.
- liaison01: the organizations it is assigned; one's grading and rectification pages.
- viewer01: its township, read-only: grading board, an organization, rectification; notices.
Screenshots: test-artifacts/journey-<role>-NN-<what>.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.crawl.conftest import ARTIFACTS
from tests.browser.test_login_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

FILE_TIMEOUT = 90_000  # a PDF is rendered by WeasyPrint in the request: slow on a busy machine


class Journey:
    """A page in its own context and the steps it clicks through, with a screenshot after each."""

    def __init__(self, new_page, base: str, username: str) -> None:
        self.page = new_page()
        self.base, self.username, self.n = base, username, 0
        Path(ARTIFACTS).mkdir(exist_ok=True)
        for old in Path(ARTIFACTS).glob(f"journey-{username}-*.png"):
            old.unlink()
        log_in(self.page, base, username)

    def shot(self, what: str) -> None:
        self.n += 1
        self.page.screenshot(path=f"{ARTIFACTS}/journey-{self.username}-{self.n:02d}-{what}.png", full_page=True)

    def at(self, path: str | re.Pattern[str]) -> None:
        url = self.page.url.removeprefix(self.base)
        assert path.search(url) if isinstance(path, re.Pattern) else url == path, f"at {url}, expected {path}"

    def click(self, name: str | re.Pattern[str] = "", *, within: str = "body", what: str = "", href: str = "") -> None:
        """Follow the first link of that name (or whose address contains ``href``) inside ``within``, wait for the
        page, and check it answered."""
        scope = self.page.locator(within)
        link = (scope.locator(f"a[href*='{href}']") if href else scope.get_by_role("link", name=name)).first
        with self.page.expect_navigation(wait_until="domcontentloaded"):
            link.click()
        heading = self.page.locator("h1").first.inner_text()
        assert "出错" not in heading and "无权" not in heading and "不存在" not in heading, heading
        self.shot(what or (name if isinstance(name, str) and name else "page"))

    def menu(self, name: str) -> None:
        """A main-menu entry (the phone's 菜单 button is not needed at desktop width)."""
        self.click(name, within="nav.mainnav")

    def home(self) -> None:
        self.click("首页", within="nav.mainnav", what="home")

    def download(self, href_pattern: str, *, within: str = "main") -> str:
        """Click a link to a file (found by its address's end: the label may be 'PDF', 'Excel', '附件4'…); the file
        must come: a name with its extension and a non-empty body."""
        link = self.page.locator(within).locator(f"a[href*='{href_pattern}']").first
        with self.page.expect_download(timeout=FILE_TIMEOUT) as info:
            link.click()
        download = info.value
        path = download.path()
        assert path and Path(path).stat().st_size > 0, download.suggested_filename
        assert re.search(r"\.(pdf|xlsx)$", download.suggested_filename), download.suggested_filename
        return download.suggested_filename


@pytest.fixture
def journey(new_page, demo_server):
    return lambda username: Journey(new_page, demo_server, username)


def test_district(journey):
    j = journey("district")
    j.at("/district/")
    j.shot("home")
    # grading: the district's review and its documents
    j.click("分类定级审定", within="main", what="grading-district")
    j.download("circular.pdf")
    j.download("annex2-ballot.pdf")
    # the district's 附件5 is an export: confirm, the job runs, its page offers the file; 我的任务 lists it
    j.click(href="annex5-district.xlsx", within="main", what="annex5-confirm")
    with j.page.expect_navigation(wait_until="domcontentloaded"):
        j.page.get_by_role("button", name="开始导出").click()
    j.shot("job")
    # (the job runs after its request commits: on SQLite the live server shares the test's open transaction, so the
    # file is not made here; test_jobs covers it)
    j.page.locator("h1").filter(has_text="汇总表").wait_for()
    j.click("我的任务", within="main", what="jobs")
    j.page.locator("main").get_by_text("汇总表").first.wait_for()
    # rectification: the board, a case and its ledger
    j.menu("整顿")
    j.at(re.compile("^/rectification/district/"))
    j.click(re.compile("村党支部$"), within="main table", what="case")
    j.download("ledger.xlsx")
    # elections: the terms to renew, a township's board, a project and its report
    j.menu("换届选举")
    j.click(href="/elections/township/", within="main", what="election-board")
    j.click(href="/elections/projects/", within="main", what="election-project")
    j.home()
    j.click(re.compile("有环节逾期的换届项目"), within="main", what="election-board")
    j.click(re.compile("党支部$"), within="main table", what="election-project")
    # organizations and members
    j.menu("党组织")
    j.click(re.compile("村党支部$"), within="main table", what="org")
    j.click(re.compile("党员名册"), within="main", what="members")
    j.click(re.compile(r"^\S{2,4}$"), within="main table tbody", what="member")
    # the campaigns and their templates, the holiday calendar, the audit log, notices
    j.menu("分类定级")
    j.click(re.compile("年度"), within="main table", what="campaign")
    j.menu("节假日与调休")
    j.menu("操作日志")
    j.menu("通知")
    j.home()
    j.at("/district/")


def test_township(journey):
    j = journey("township01")
    j.at(re.compile(r"^/township/\d+/$"))
    j.shot("home")
    # grading: the board, an organization's 附件4 and files, the township's 附件5, the notice
    j.click("分类定级", within="main", what="grading-board")
    j.click("年底复核申请与总结", within="main", what="yearend")
    j.page.go_back()
    j.click("汇总表(附件5)", within="main", what="annex5")
    j.download("annex5.xlsx")
    j.download("annex5.pdf")
    j.page.go_back()
    j.click(re.compile("公示$"), within="main", what="notice")
    j.download("notice.pdf")
    j.page.go_back()
    j.click("洞村党支部", within="main table", what="annex4")
    j.download("annex4.pdf")
    j.download("annex1.pdf")
    # rectification: the board and a case
    j.menu("整顿")
    j.click(re.compile("党支部$"), within="main table", what="case")
    # elections: the board, a project, its papers
    j.home()
    j.click("换届选举", within="main", what="election-board")
    j.click(re.compile("党支部$"), within="main table", what="election-project")
    # members
    j.menu("党组织")
    j.click(re.compile("村党支部$"), within="main table", what="org")
    j.click(re.compile("党员名册"), within="main", what="members")
    j.menu("通知")


def test_branch_secretary(journey):
    j = journey("branch0001")
    j.at(re.compile(r"^/orgs/\d+/$"))
    j.shot("home")
    # grading: its assessment, 附件1–3 and the blank ballot
    j.click(re.compile("分类定级"), within="main", what="assessment")
    j.download("annex1.pdf")
    j.download("annex2-ballot.pdf")
    j.download("annex3.pdf")
    j.click(re.compile("附件1"), within="main", what="annex1")
    j.click(re.compile("附件2"), within="main", what="annex2")
    j.click(re.compile("附件3"), within="main", what="annex3")
    # the roster and its PDF
    j.home()
    j.download("roster.pdf")
    j.click(re.compile("党员名册"), within="main", what="members")
    j.click(re.compile(r"^\S{2,4}$"), within="main table tbody", what="member")
    j.menu("通知")


def test_liaison_leader(journey):
    j = journey("liaison01")
    j.at("/orgs/")
    j.shot("home")
    j.click(re.compile("党支部$"), within="main", what="org")
    j.click(re.compile("分类定级"), within="main", what="assessment")
    j.page.go_back()
    j.click("分类管理", within="main", what="rectification")
    j.menu("通知")


def test_viewer(journey):
    j = journey("viewer01")
    j.at(re.compile(r"^/township/\d+/$"))
    j.shot("home")
    j.click("分类定级", within="main", what="grading-board")
    j.click(re.compile("公示$"), within="main", what="notice")
    j.page.go_back()
    j.click(re.compile("党支部$"), within="main table", what="org-grading")
    j.home()
    j.click(re.compile("党支部$"), within="main table", what="org")
    j.click(re.compile("党员名册"), within="main", what="members")
    j.menu("通知")
