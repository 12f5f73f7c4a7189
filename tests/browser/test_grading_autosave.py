"""附件1 autosaves as the secretary types: the text survives a reload, and a session timeout loses nothing."""

from __future__ import annotations

import pytest

from grading import services
from grading.models import Assessment
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
    # given: the secretary on 附件1
    log_in(page, live_server.url, "sec_a1")
    page.goto(f"{live_server.url}/grading/assessments/{assessment.pk}/report/")

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
    log_in(page, live_server.url, "sec_a1")
    url = f"{live_server.url}/grading/assessments/{assessment.pk}/report/"
    page.goto(url)
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
