"""Reminder channels on a phone, by clicks only (issue 17): the district officer, from its home, chooses to receive
reminders by SMS too (接收方式, in the menu beside 修改密码), then opens 系统状态 → 消息发送记录, filters the failed
ones and sends one again (重发, confirmed); no horizontal overflow at 375 px."""

from __future__ import annotations

import pytest

from core.models import ChannelChoice, Delivery, Event, Notification
from tests.browser.clicks import follow, overflow
from tests.browser.test_login_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def fits(page) -> None:
    assert overflow(page) <= PHONE["width"], page.url


def open_menu(page) -> None:
    page.locator("label.nav-toggle-label").click()  # the phone's folded menu


def test_district_officer_chooses_sms_and_resends_a_failed_message(new_page, live_server, users, settings):
    settings.SMS_GATEWAY_URL = ""  # the console backend: the resent message is logged and counted as sent
    note = Notification.objects.create(recipient=users.sec_a1, title="换届提醒:东风村党支部任期将满", url="/")
    failed = Delivery.objects.create(
        notification=note, channel="sms", address="13812345678", status="failed", attempts=5, last_error="连接超时"
    )
    page = new_page(viewport=PHONE)
    log_in(page, live_server.url, "ds")
    open_menu(page)
    follow(page.locator("nav.mainnav").get_by_role("link", name="接收方式"))
    fits(page)
    page.get_by_label("手机短信").check()
    page.get_by_label("手机号码").fill("1391234567")  # ten digits: refused, what was typed stays
    follow(page.get_by_role("button", name="保存"))
    page.get_by_text("手机号码应为以1开头的11位数字").wait_for()
    assert page.get_by_label("手机号码").input_value() == "1391234567"
    page.get_by_label("手机号码").fill("13912345678")
    follow(page.get_by_role("button", name="保存"))
    page.get_by_text("接收方式已保存").wait_for()
    fits(page)
    assert ChannelChoice.objects.get(user=users.ds, channel="sms").address == "13912345678"

    open_menu(page)
    follow(page.locator("nav.mainnav").get_by_role("link", name="系统状态"))
    follow(page.get_by_role("link", name="消息发送记录"))
    follow(page.get_by_role("navigation", name="按状态筛选").get_by_role("link", name="失败"))
    fits(page)
    assert "138****5678" in page.content() and "13812345678" not in page.content()
    follow(page.get_by_role("button", name="重发"))  # confirmed by the page's dialog handler
    page.get_by_text("已重新加入发送队列").wait_for()
    fits(page)
    failed.refresh_from_db()
    assert failed.status == "sent" and Event.objects.filter(verb="delivery.resend", actor=users.ds).exists()
