"""第三篇 五 on a phone, by clicks only: the township officer, from its home, drafts the 79-member village branch's
upgrade to a 党总支 with it, sends the plan out for comments and records one, sends the village's 请示 (PDF downloaded),
then records the township committee's 批复 (镇党委批复, PDF downloaded); no horizontal overflow at 375 px."""

from __future__ import annotations

import pytest

from organizations.models.reorganization import Reorganization, ReorgState
from tests.browser.clicks import follow, overflow
from tests.browser.test_login_journeys import ARTIFACTS, log_in
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def fits(page) -> None:
    assert overflow(page) <= PHONE["width"], page.url


def download(page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    path = info.value.path()
    with open(path, "rb") as handle:
        return handle.read()


def test_township_takes_a_village_from_draft_through_request_and_reply(new_page, live_server, users, tree, members):
    MemberFactory.create_batch(71, organization=tree.village_a1)  # 79 members, as in the pilot
    page = new_page(viewport=PHONE)
    log_in(page, live_server.url, "ts_a")
    follow(page.get_by_role("link", name=tree.village_a1.name).first)
    follow(page.get_by_role("link", name="发起组织设置调整"))
    fits(page)
    page.get_by_label("设置方案").fill("支部党员79名,已达到成立党总支的条件,拟升格为党总支,再按协会、景区设立党支部。")
    follow(page.get_by_role("button", name="保存"))
    page.get_by_text("设置方案已保存").wait_for()
    fits(page)

    follow(page.get_by_role("link", name="发放方案征求意见"))
    follow(page.get_by_role("button", name="发放方案征求意见"))
    follow(page.get_by_role("link", name="登记意见"))
    page.get_by_label("提出人(单位)").fill("松脂协会")
    page.get_by_label("意见").fill("协会党员单独成立党支部")
    follow(page.get_by_role("button", name="保存"))
    page.get_by_text("意见已登记").wait_for()
    assert "协会党员单独成立党支部" in page.content()

    follow(page.get_by_role("link", name="向上级党委请示"))
    fits(page)
    page.get_by_label("征求意见党员人数").fill("79")
    page.get_by_label("请示文号").fill("东支〔2026〕1号")
    follow(page.get_by_role("button", name="向上级党委请示"))
    page.get_by_text("已请示,待批复").first.wait_for()
    fits(page)
    assert download(page, "下载请示(PDF)").startswith(b"%PDF")
    page.screenshot(path=str(ARTIFACTS / "reorganization-phone-request.png"), full_page=True)

    # the township committee answers (镇党委批复), from the same home's to-do list
    page.locator("label.nav-toggle-label").click()  # the phone's folded menu
    follow(page.locator("nav.mainnav").get_by_role("link", name="首页"))
    follow(page.get_by_role("link", name="待批复的组织设置调整请示:1"))
    follow(page.get_by_role("link", name="改设为党总支"))
    follow(page.get_by_role("link", name="批复同意"))
    fits(page)
    page.get_by_label("批复文号").fill("镇党委〔2026〕8号")
    follow(page.get_by_role("button", name="批复同意"))
    page.get_by_text("已批复同意,待召开党员大会").first.wait_for()
    assert download(page, "下载批复(PDF)").startswith(b"%PDF")
    fits(page)
    reorg = Reorganization.objects.get(organization=tree.village_a1)
    assert reorg.state == ReorgState.APPROVED and reorg.members_consulted == 79
    assert reorg.request_number == "东支〔2026〕1号" and reorg.reply_number == "镇党委〔2026〕8号"
