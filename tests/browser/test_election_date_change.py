"""A13 《中国共产党基层组织选举工作条例》第三条 on a phone: the township, from its home, finds a postponed project
waiting for approval, records the reply (文号, date) and the project goes on; no horizontal overflow at 375 px."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from elections.models import DateChange, DecisionStatus
from elections.services.projects import project_create
from organizations.services import committee as org_services
from tests.browser.clicks import overflow
from tests.browser.test_login_journeys import ARTIFACTS, log_in
from tests.elections import conftest as election_fixtures

calendar_2026 = election_fixtures.calendar_2026

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def test_township_approves_a_postponement_on_a_phone(
    new_page, live_server, users, tree, members, calendar_2026, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    ends = timezone.localdate() - timedelta(days=20)
    org_services.term_create(
        actor=users.ds, organization=tree.village_a1, elected_on=ends - timedelta(days=5 * 365 + 1), seats=3
    )
    project = project_create(
        actor=users.ts_a,
        organization=tree.village_a1,
        election_date=timezone.localdate() + timedelta(days=60),
        seats=3,
        date_reason="村党组织书记病休,推迟换届",
    )
    page = new_page(viewport=PHONE)
    log_in(page, live_server.url, "ts_a")
    page.locator("label.nav-toggle-label").click()
    page.locator("nav.mainnav").get_by_role("link", name="换届选举").click()
    page.locator("ul.el-chart").get_by_role("link", name=tree.township_a.name).click()
    page.get_by_role("link", name=project.organization.name).click()
    panel = page.locator("section.el-date-change")
    panel.get_by_text("待上级党组织批准").wait_for()
    assert "村党组织书记病休" in panel.inner_text()
    assert overflow(page) <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "election-phone-date-change.png"), full_page=True)
    panel.get_by_label("批复文号").fill("某党发〔2026〕3号")
    panel.get_by_role("button", name="提交审批结果").click()
    page.get_by_text("换届延期申请已批准").first.wait_for()
    change = DateChange.objects.get(project=project)
    assert change.status == DecisionStatus.APPROVED and change.document == "某党发〔2026〕3号"
    assert change.decided_by == users.ts_a
    assert overflow(page) <= PHONE["width"]
