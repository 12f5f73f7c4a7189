"""The search-as-you-type picker on a phone, by clicks only (issue 15): township staff open a general branch from
their home, 登记任职, type part of a name, the matching members of its subtree replace the select's options (htmx, no
page load), pick one and save. No horizontal overflow at 375 px."""

from __future__ import annotations

import pytest

from organizations.models import Position
from tests.browser.test_login_journeys import log_in
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def test_township_staff_pick_a_member_by_typing_part_of_the_name(new_page, live_server, users, tree, members):
    wanted = MemberFactory(organization=tree.branch_a21, name="欧阳晓明")
    MemberFactory(organization=tree.community_b1, name="欧阳外镇")  # another township: never offered
    page = new_page(viewport=PHONE)
    log_in(page, live_server.url, "ts_a")
    page.get_by_role("link", name=tree.general_a2.name).first.click()
    page.get_by_role("link", name="登记任职").click()
    select = page.locator("select[name=member]")
    assert select.locator("option").count() == 5  # 请选择 and the subtree's four members (a short list)
    page.get_by_placeholder("输入党员姓名搜索").fill("欧阳")
    page.wait_for_function("() => document.querySelectorAll('select[name=member] option').length === 2")
    labels = select.locator("option").all_inner_texts()
    assert labels[1] == "欧阳晓明(东风镇中学第一党支部)" and not any("欧阳外镇" in t for t in labels)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    select.select_option(label="欧阳晓明(东风镇中学第一党支部)")
    page.get_by_label("职务").select_option("secretary")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("任职已登记").wait_for()
    assert Position.objects.filter(member=wanted, organization=tree.general_a2, post="secretary").exists()
