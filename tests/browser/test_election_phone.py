"""The elections board and a project page on a phone (375×812), reached by clicking from the township's home: no
horizontal overflow, the project's current step within the first screen and a half, not ~2,500 px down, and the
32 steps folded by phase (the current phase open) so the page is a few screens long, not ~13,000 px."""

from __future__ import annotations

import pytest

from elections.models import Phase
from elections.services.projects import project_create
from tests.browser.clicks import overflow
from tests.browser.test_login_journeys import ARTIFACTS, log_in
from tests.elections import conftest as election_fixtures

calendar_2026 = election_fixtures.calendar_2026

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
MAX_PROJECT_HEIGHT = 4 * PHONE["height"]


def test_board_and_project_page_fit_a_phone(
    new_page, live_server, users, tree, members, calendar_2026, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    from datetime import timedelta

    from django.utils import timezone

    project = project_create(
        actor=users.ts_a, organization=tree.village_a1, election_date=timezone.localdate() + timedelta(days=60), seats=3
    )
    page = new_page(viewport=PHONE)
    log_in(page, live_server.url, "ts_a")
    page.locator("label.nav-toggle-label").click()  # the phone's 菜单
    page.locator("nav.mainnav").get_by_role("link", name="换届选举").click()
    page.get_by_role("heading", name="换届选举进度").wait_for()
    assert overflow(page) <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "election-phone-board.png"), full_page=True)
    page.locator("ul.el-chart").get_by_role("link", name=tree.township_a.name).click()
    page.get_by_role("link", name=project.organization.name).click()
    current = page.locator("#el-current-step")
    current.wait_for()
    assert overflow(page) <= PHONE["width"]
    assert current.bounding_box()["y"] < 1.5 * PHONE["height"]
    page.screenshot(path=str(ARTIFACTS / "election-phone-project.png"), full_page=True)
    height = page.evaluate("() => document.documentElement.scrollHeight")
    print(f"project page at 375 px: {height} px tall")
    assert height < MAX_PROJECT_HEIGHT, height  # was ~13,000 px with every step unfolded

    # The current phase is open, with its steps; another phase opens on a tap
    folded = page.locator("details.el-phase-steps")
    assert folded.count() == len(Phase.choices) - 1
    assert page.locator("details.el-phase-steps[open]").count() == 1
    assert page.locator("details.el-phase-steps[open] tr.el-current").count() == 1
    later = folded.filter(has_text="大会选举").first
    assert not later.locator("tr").first.is_visible()
    later.locator("summary").click()
    assert later.locator("tbody tr").first.is_visible()
