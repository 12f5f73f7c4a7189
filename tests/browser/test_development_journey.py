"""A branch secretary records an applicant and makes them an activist with a contact person, all by clicking from
their home, on a phone (issue 17 deliver 2: the development pipeline)."""

from __future__ import annotations

from datetime import date

import pytest

from development.models import Applicant
from tests.browser.clicks import follow, overflow
from tests.browser.test_login_journeys import PHONE, log_in
from tests.factories import fake_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_secretary_adds_an_applicant_and_makes_them_an_activist(new_page, live_server, users, tree, members):
    page = new_page(PHONE)
    contact = members["a1"][0]
    id_number = fake_id_number(date(2001, 4, 5))

    # the secretary's home is their organization's page: its 党员发展 panel leads to the list
    log_in(page, live_server.url, "sec_a1")
    follow(page.locator(".dv-panel").get_by_role("link", name="发展党员名单"))
    assert page.get_by_role("heading", name="东风村党支部:党员发展").is_visible()
    assert overflow(page) <= PHONE["width"]

    # an applicant, with a mistake first: nothing typed is lost
    follow(page.get_by_role("link", name="登记入党申请人"))
    page.fill("#id_name", "韩梅梅")
    page.select_option("#id_gender", "female")
    page.fill("#id_birth_date", "2001-04-05")
    page.select_option("#id_education", "bachelor")
    page.fill("#id_occupation", "村医")
    page.fill("#id_id_number", id_number[:-1])
    page.fill("#id_applied_on", "2025-03-10")
    assert overflow(page) <= PHONE["width"]
    follow(page.get_by_role("button", name="保存"))
    assert page.get_by_text("身份证号应为18位").is_visible()
    assert page.input_value("#id_name") == "韩梅梅"
    page.fill("#id_id_number", id_number)
    follow(page.get_by_role("button", name="保存"))
    page.get_by_text("已登记入党申请人韩梅梅").wait_for()
    assert overflow(page) <= PHONE["width"]

    # then an activist, with a contact person
    follow(page.get_by_role("link", name="确定为入党积极分子"))
    page.fill("#id_on", "2025-06-01")
    page.get_by_label(contact.name, exact=True).check()
    assert overflow(page) <= PHONE["width"]
    follow(page.get_by_role("button", name="确定为入党积极分子"))
    page.get_by_text("韩梅梅:已确定为入党积极分子").wait_for()
    assert page.get_by_role("heading", name="韩梅梅(入党积极分子)").is_visible()
    assert page.get_by_text(contact.name).first.is_visible()
    assert overflow(page) <= PHONE["width"]

    record = Applicant.objects.get(id_number=id_number)
    assert (record.stage, record.activist_on) == ("activist", date(2025, 6, 1))
    assert [m.pk for m in record.contacts.all()] == [contact.pk]
