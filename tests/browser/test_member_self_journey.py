"""党员账号 by clicks only (issue 17 deliver 6), on a phone: the branch secretary opens a member's page, opens the
member's account and reads the initial password off the page, logs out; the member logs in with it and finds their
own dues, their organization's meetings with their attendance and a circular to read. No horizontal overflow at
375 px."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.browser.clicks import follow, overflow
from tests.browser.test_login_journeys import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def fits(page) -> None:
    assert overflow(page) <= PHONE["width"], page.url


def _records(member, tree) -> None:
    """This year's January and February dues (February unpaid), a meeting the member attended and a circular."""
    from circulars.models import Circular, Receipt
    from dues.models import DuesMonth
    from meetings.models import Attendance, Meeting

    year = timezone.localdate().year
    for month, paid in ((1, Decimal("10")), (2, Decimal("0"))):
        DuesMonth.objects.create(
            organization=member.organization, member=member, year=year, month=month, due=Decimal("10"), paid=paid
        )
    meeting = Meeting.objects.create(
        organization=member.organization,
        kind="committee",
        held_on=date(year, 1, 8),
        topic="学习党章",
        entered_on=date(year, 1, 8),
    )
    Attendance.objects.create(meeting=meeting, member=member, mark="present")
    circular = Circular.objects.create(
        sender=tree.township_a,
        title="关于开展主题党日的通知",
        body="请各支部按时开展。",
        state="sent",
        sent_at=timezone.now(),
    )
    Receipt.objects.create(circular=circular, organization=member.organization)


def test_the_secretary_opens_an_account_and_the_member_reads_their_own(new_page, live_server, users, members, tree):
    member = members["a1"][0]
    _records(member, tree)

    secretary = new_page(viewport=PHONE)
    log_in(secretary, live_server.url, "sec_a1")
    follow(secretary.get_by_role("link", name=re.compile("^党员名册")))
    follow(secretary.get_by_role("link", name=member.name).first)
    assert "未开通" in secretary.content()
    follow(secretary.get_by_role("button", name="开通党员账号"))
    secretary.get_by_text("初始密码只显示这一次").wait_for()
    fits(secretary)
    username = secretary.locator("[data-account-username]").inner_text().strip()
    password = secretary.locator("[data-account-password]").inner_text().strip()
    secretary.screenshot(path=str(ARTIFACTS / "member-account-opened.png"), full_page=True)
    follow(secretary.get_by_role("link", name="返回党员页面"))
    assert f"已开通:{username}" in secretary.content()
    secretary.locator("label.nav-toggle-label").click()  # the phone's 菜单
    follow(secretary.get_by_role("button", name="退出"))

    phone = new_page(viewport=PHONE)
    log_in(phone, live_server.url, username, password)
    phone.get_by_role("heading", name="我的").wait_for()
    page = phone.content()
    assert member.name in page and tree.village_a1.name in page and member.masked_id_number in page
    assert "已交 1 个月" in page and "欠交" in page  # January paid, February owed
    assert "学习党章" in page and "出席" in page
    fits(phone)
    phone.screenshot(path=str(ARTIFACTS / "member-home-phone.png"), full_page=True)
    follow(phone.get_by_role("link", name="关于开展主题党日的通知"))
    phone.get_by_text("请各支部按时开展。").wait_for()
    assert "签收" not in phone.get_by_role("button").all_inner_texts()
    fits(phone)
