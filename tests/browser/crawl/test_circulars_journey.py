"""Issue 17's "done when" for 通知公告, in Chromium on the demo district, by clicking only: township01 sends a
circular with a reply deadline to five branches; branch0001 (on a 375 px phone) sees it on its home, opens it, signs
for it and replies with a file; a second branch's secretary replies too; township01 sees 2 replied and 3 not, and
reminds those three.
Screenshots: test-artifacts/circulars-*.png."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from circulars.models import Circular
from organizations.models import RoleAssignment
from organizations.roles import Role
from tests.browser.clicks import follow, overflow
from tests.browser.crawl.conftest import ARTIFACTS
from tests.browser.test_login_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
PHONE = {"width": 375, "height": 812}
ORG = "洞村党支部"  # branch0001's organization, the first of township01's
TITLE = "关于报送冬训工作安排的通知"


def test_township01_sends_a_circular_to_five_branches_two_reply_and_it_reminds_the_other_three(
    demo_server, new_page, settings, demo_media
):
    # the demo's media folder: on PostgreSQL the live server's writes are committed, and the crawl of the package's
    # later tests opens this circular's files (a folder removed after this test would answer them 404)
    settings.MEDIA_ROOT = demo_media
    Path(ARTIFACTS).mkdir(exist_ok=True)
    town = new_page()
    log_in(town, demo_server, "township01")
    follow(town.locator("nav.mainnav").get_by_role("link", name="通知公告"))
    follow(town.get_by_role("link", name="起草通知"))
    town.fill("#id_title", TITLE)
    town.fill("#id_body", "请各支部于截止日期前报送本支部冬训工作安排。")
    town.fill("#id_deadline", (timezone.localdate() + timedelta(days=7)).isoformat())
    town.get_by_label("逐个选择").check()
    town.locator("details.ci-pick summary").click()
    boxes = town.locator("label.ci-pick-item", has_text="党支部")
    town.locator("label.ci-pick-item", has_text=ORG).locator("input").check()
    checked = 1
    for i in range(boxes.count()):
        if checked == 5:
            break
        box = boxes.nth(i)
        if ORG not in box.inner_text():
            box.locator("input").check()
            checked += 1
    follow(town.get_by_role("button", name="保存草稿"))
    follow(town.get_by_role("button", name="发送"))
    assert "已发送至5个党组织" in town.locator("ul.messages").inner_text()
    circular = Circular.objects.get(title=TITLE)
    assert circular.state == "sent" and circular.receipts.count() == 5

    phone = new_page(viewport=PHONE)
    log_in(phone, demo_server, "branch0001")
    assert overflow(phone) <= PHONE["width"]
    follow(phone.locator("section.todo").get_by_role("link", name="未读通知公告"))
    assert overflow(phone) <= PHONE["width"]
    follow(phone.get_by_role("link", name=TITLE))
    follow(phone.get_by_role("button", name="签收"))
    phone.fill("#id_text", "本支部冬训安排已制定,见附件。")
    phone.set_input_files(
        "#id_upload", {"name": "冬训安排.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}
    )
    follow(phone.get_by_role("button", name="提交回复"))
    own = phone.locator("section.ci-own").inner_text()
    assert "已回复" in own and "冬训安排.pdf" in own
    assert overflow(phone) <= PHONE["width"]
    phone.screenshot(path=f"{ARTIFACTS}/circulars-branch0001-375.png", full_page=True)

    second = (
        RoleAssignment.objects.filter(
            role=Role.BRANCH_SECRETARY, organization__in=[r.organization_id for r in circular.receipts.all()]
        )
        .exclude(organization__name=ORG)
        .select_related("user")
        .order_by("organization__path")
        .first()
    )
    other = new_page()
    log_in(other, demo_server, second.user.username)
    follow(other.locator("section.todo").get_by_role("link", name="未读通知公告"))
    follow(other.get_by_role("link", name=TITLE))
    other.fill("#id_text", "已收到,按要求落实。")
    follow(other.get_by_role("button", name="提交回复"))
    assert "已回复" in other.locator("section.ci-own").inner_text()

    follow(town.locator("nav.mainnav").get_by_role("link", name="首页"))
    follow(town.locator("nav.mainnav").get_by_role("link", name="通知公告"))
    follow(town.get_by_role("link", name=TITLE))
    counts = town.locator("ul.ci-counts").inner_text()
    assert "2 已回复" in counts and "3 未读" in counts, counts
    board = town.locator("table.ci-board").inner_text()
    assert board.count("已回复") >= 2 and board.count("未读") >= 3, board
    follow(town.get_by_role("button", name="提醒未回复"))
    assert "已提醒3个尚未回复的党组织" in town.locator("ul.messages").inner_text()
    town.screenshot(path=f"{ARTIFACTS}/circulars-township01-board.png", full_page=True)
    assert circular.receipts.filter(remind_count=1).count() == 3
