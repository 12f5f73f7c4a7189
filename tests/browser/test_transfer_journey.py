"""组织关系转接 by clicks only (issue 17): the secretary of a village of township A starts the transfer of a member to
a community of township B on a phone, township A issues the 介绍信 (PDF downloaded), township B's community secretary
confirms it from home on a phone, and the member is on B's roster; then the move back, at the service level. No
horizontal overflow at 375 px on the pages the secretaries see."""

from __future__ import annotations

import re

import pytest

from organizations.models import MemberTransfer
from tests.browser.clicks import follow, overflow
from tests.browser.test_login_journeys import ARTIFACTS, log_in
from transfers.services.requests import transfer_start
from transfers.services.workflow import Action, transfer_move

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def fits(page) -> None:
    assert overflow(page) <= PHONE["width"], page.url


def test_a_member_moves_to_another_townships_community_and_back(new_page, live_server, users, tree, members):
    member = members["a1"][0]
    secretary = new_page(viewport=PHONE)
    log_in(secretary, live_server.url, "sec_a1")
    follow(secretary.get_by_role("link", name=re.compile("^党员名册")))
    follow(secretary.get_by_role("link", name=member.name).first)
    follow(secretary.get_by_role("link", name="转出组织关系"))
    fits(secretary)
    secretary.get_by_placeholder("输入组织名称或编码搜索").fill("南门")
    secretary.wait_for_function("() => document.querySelectorAll('select[name=to_org] option').length === 2")
    secretary.locator("select[name=to_org]").select_option(label=tree.community_b1.name)
    secretary.get_by_label("转接原因").fill("工作调动")
    follow(secretary.get_by_role("button", name="保存"))
    secretary.get_by_text("已发起组织关系转接").wait_for()
    fits(secretary)
    secretary.screenshot(path=str(ARTIFACTS / "transfer-phone-started.png"), full_page=True)

    # township A issues the letter from its home's to-do line
    township = new_page()
    log_in(township, live_server.url, "ts_a")
    follow(township.get_by_role("link", name="待开具的组织关系介绍信:1"))
    follow(township.get_by_role("link", name=member.name))
    follow(township.get_by_role("link", name="开具介绍信"))
    follow(township.get_by_role("button", name="开具介绍信"))
    township.get_by_text("已办理:开具介绍信").wait_for()
    assert "〔2026〕第001号" in township.content()
    with township.expect_download() as info:
        township.get_by_role("link", name="下载介绍信(PDF)").click()
    with open(info.value.path(), "rb") as handle:
        assert handle.read().startswith(b"%PDF")

    # township B's community secretary confirms from home, on a phone
    receiver = new_page(viewport=PHONE)
    log_in(receiver, live_server.url, "sec_b1")
    follow(receiver.get_by_role("link", name="待接收的组织关系:1"))
    fits(receiver)
    follow(receiver.get_by_role("link", name=member.name))
    fits(receiver)
    follow(receiver.get_by_role("link", name="确认接收"))
    fits(receiver)
    receiver.screenshot(path=str(ARTIFACTS / "transfer-phone-confirm.png"), full_page=True)
    follow(receiver.get_by_role("button", name="确认接收"))
    receiver.get_by_text("已办理:确认接收").wait_for()
    follow(receiver.get_by_role("link", name=member.name))  # now on B's roster: the member's page opens
    assert tree.community_b1.name in receiver.content()
    fits(receiver)
    member.refresh_from_db()
    assert member.organization_id == tree.community_b1.pk

    # and back, at the service level: township B numbers its own letter
    back = transfer_start(actor=users.sec_b1, member=member, kind="within", to_org=tree.village_a1, reason="返乡")
    back = transfer_move(actor=users.ts_b, transfer=back, action=Action.ISSUE, valid_days=30, dues_paid_to="2026-11")
    transfer_move(actor=users.sec_a1, transfer=back, action=Action.CONFIRM)
    member.refresh_from_db()
    assert member.organization_id == tree.village_a1.pk and back.letter_number == "〔2026〕第001号"
    assert MemberTransfer.objects.filter(member=member).count() == 2
