"""附件1 autosaves as the secretary types: the text survives a reload, and a session timeout loses nothing."""

from __future__ import annotations

import pytest

from grading.models import Assessment
from grading.services import campaigns as services
from tests.browser.test_login_journeys import PHONE, log_in
from tests.calendar_support import seed_test_calendar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(new_page) -> object:
    return new_page(PHONE)


@pytest.fixture
def assessment(users, tree) -> Assessment:
    seed_test_calendar(2026)
    campaign = services.campaign_open(actor=users.ds, campaign=services.campaign_create(actor=users.ds, year=2026))
    return Assessment.objects.get(campaign=campaign, organization=tree.village_a1)


def test_report_autosaves_and_survives_reload(page, live_server, users, assessment) -> None:
    # given: the secretary on 附件1, reached from their home
    open_report(page, live_server.url)

    # when: typing, without pressing 保存
    page.fill("#id_problems", "年轻党员偏少,活动阵地简陋")
    page.get_by_text("已自动保存").wait_for()
    page.reload()

    # then
    assert page.input_value("#id_problems") == "年轻党员偏少,活动阵地简陋"
    assessment.refresh_from_db()
    assert assessment.report.problems == "年轻党员偏少,活动阵地简陋"


def test_session_timeout_keeps_the_page(page, live_server, users, assessment) -> None:
    # given: the secretary's session has expired while the page stayed open
    open_report(page, live_server.url)
    url = page.url
    page.context.clear_cookies(name="sessionid")

    # when
    page.fill("#id_measures", "下半年发展两名年轻党员")

    # then: a clear message, no navigation, the typed text still there
    page.get_by_text("登录已超时,请在新窗口登录后再保存;本页内容未丢失").wait_for()
    assert page.url == url
    assert page.input_value("#id_measures") == "下半年发展两名年轻党员"
    assessment.report.refresh_from_db()
    assert assessment.report.measures == ""

    # and after logging in again in another window (a new CSRF token), the next change saves everything
    other = page.context.new_page()
    log_in(other, live_server.url, "sec_a1")
    other.close()
    page.fill("#id_measures", "下半年发展两名年轻党员,年底前建成活动室")
    page.get_by_text("已自动保存").wait_for()
    assessment.report.refresh_from_db()
    assert assessment.report.measures == "下半年发展两名年轻党员,年底前建成活动室"


# --- One version chain per page: the page's own autosave is never a conflict ----------------------------------


def open_report(page, base_url: str) -> None:
    """From the secretary's home (the organization page) to 附件1, by clicking only."""
    log_in(page, base_url, "sec_a1")
    page.get_by_role("link", name="填报自查自评").click()
    page.get_by_role("link", name="附件1 自评报告").first.click()
    page.locator("#id_problems").wait_for()
    # the page's scripts (deferred: autosave) run before "load": typing earlier would fire no autosave
    page.wait_for_load_state("load")


def test_saving_while_an_autosave_answer_is_on_its_way_loses_nothing(page, live_server, users, assessment) -> None:
    # given: the autosave's answer is held on its way back to the page
    held = []

    def hold_first_autosave(route) -> None:
        request = route.request
        if request.method == "POST" and request.headers.get("hx-request") and not held:
            held.append((route, route.fetch()))  # the server has saved; its answer waits here
        else:
            route.continue_()

    open_report(page, live_server.url)
    page.route("**/grading/assessments/*/report/", hold_first_autosave)
    page.fill("#id_problems", "年轻党员偏少")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the autosave was not sent"

    # when: more typing, 保存 pressed while the answer is still on its way, then the answer arrives
    page.fill("#id_measures", "下半年发展两名年轻党员")
    page.get_by_role("button", name="保存").click()
    page.wait_for_timeout(300)
    route, response = held[0]
    route.fulfill(response=response)

    # then: everything typed is saved, and nobody is blamed for the page's own autosave
    page.get_by_text("附件1 自查自评报告已保存").wait_for(timeout=30_000)
    assert "已在其他页面或由他人保存过" not in page.content()
    assessment.report.refresh_from_db()
    assert assessment.report.problems == "年轻党员偏少"
    assert assessment.report.measures == "下半年发展两名年轻党员"


def test_a_real_conflict_shows_both_versions_and_keeping_mine_works(new_page, live_server, users, assessment) -> None:
    # given: the secretary has 附件1 open in two tabs
    first, second = new_page(PHONE), new_page(PHONE)
    open_report(first, live_server.url)
    open_report(second, live_server.url)

    # when: the first tab saves one text, the second (opened before) saves another
    first.fill("#id_problems", "第一个页面写的问题")
    first.get_by_text("已自动保存").wait_for()
    second.fill("#id_measures", "第二个页面写的措施")
    second.get_by_text("未保存").wait_for()
    second.get_by_role("button", name="保存").click()

    # then: both versions are shown, and keeping mine saves what this page holds
    second.get_by_text("两个版本的不同之处").wait_for()
    table = second.locator(".sa-conflict-table")
    assert "第一个页面写的问题" in table.text_content()
    assert second.input_value("#id_measures") == "第二个页面写的措施"
    second.get_by_role("button", name="保留我的版本并保存").click()
    second.get_by_text("附件1 自查自评报告已保存").wait_for()
    assessment.report.refresh_from_db()
    assert assessment.report.measures == "第二个页面写的措施"
