"""A township opens a case for a 后进支部, adds a problem and a measure, reports it done with a photo, asks for
acceptance, and the district accepts it: the case closes and asks for re-grading."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rectification import services
from rectification.models import Case, Evidence
from rectification.rules import Phase
from tests.browser.test_login_journeys import CHROMIUM_ARGS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())  # data-confirm
    yield page
    context.close()


def test_township_opens_a_case_and_the_district_accepts_it(page, live_server, users, tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # given: village A1 is a 后进支部
    services.category_set_by_hand(
        actor=users.ds, organization=tree.village_a1, year=2026, category="lagging", reason="测试"
    )
    base = live_server.url

    # when: the township opens a case by hand
    log_in(page, base, "ts_a")
    page.goto(f"{base}/rectification/orgs/{tree.village_a1.pk}/")
    page.get_by_role("link", name="整顿立案").click()
    page.fill("#id_reason", "后进支部,乡镇党委研究决定立案整顿")
    page.get_by_role("button", name="立案").click()
    page.get_by_text("已为东风村党支部整顿立案").wait_for()
    case = Case.objects.get(organization=tree.village_a1)

    # a problem and its measure
    page.get_by_role("link", name="登记查摆问题").click()
    page.select_option("#id_category", "no_venue")
    page.select_option("#id_source", "self_check")
    page.fill("#id_description", "无固定活动场所")
    page.get_by_role("button", name="保存").click()
    page.fill("#id_text", "改造村部闲置用房为活动室")
    page.fill("#id_responsible", "张三")
    page.fill("#id_deadline", "2026-12-31")
    page.fill("#id_budget", "3.5")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("已制定整改措施").wait_for()

    # into 整顿提高, then the measure reported done with a photo
    page.get_by_role("button", name="完成查摆问题,进入整顿提高").click()
    page.get_by_text("已转入“整顿提高”").wait_for()
    page.get_by_role("link", name="报告整改进展").first.click()
    page.select_option("#id_measure", index=1)
    page.fill("#id_text", "活动室已改造完成并投入使用")
    page.fill("#id_percent", "100")
    page.set_input_files("#id_file", files=[{"name": "活动室.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_role("button", name="提交").click()
    page.get_by_text("已报告进展并上传佐证材料").wait_for()
    assert Evidence.objects.filter(case=case, original_name="活动室.png").exists()
    page.get_by_role("button", name="整改完成,申请检查验收").click()
    page.get_by_text("已转入“检查验收”").wait_for()

    # then: the district accepts (a 后进 case is the township's to accept; the district holds the same right)
    page.context.clear_cookies()
    log_in(page, base, "ds")
    page.goto(f"{base}/rectification/cases/{case.pk}/")
    page.get_by_role("link", name="检查验收").click()
    page.fill("#id_self_check", "对照整顿方案逐项落实")
    page.fill("#id_representatives_total", "30")
    page.fill("#id_satisfied", "26")
    page.fill("#id_basically_satisfied", "3")
    page.fill("#id_unsatisfied", "1")
    for key in ("report", "records", "site", "masses"):
        page.check(f"#id_{key}_passed")
    page.get_by_role("button", name="提交验收结果").click()
    page.get_by_text("整顿验收通过,已结案并申请重新评定等次").wait_for()

    case.refresh_from_db()
    assert case.phase == Phase.ACCEPTED and case.regrade_requested_at is not None
    assert page.get_by_text("活动室已改造完成并投入使用").count() >= 1
