"""Each role's home on the demo district, at 375 px, as a first-time user meets it (issue 11): the to-do panel, the
organization list that fits the screen, the liaison leader's list with a heading and each organization's grade and
rectification status. Starts at the login page and only clicks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.test_login_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 375, "height": 812}
ARTIFACTS = Path("test-artifacts")


@pytest.fixture(scope="module")
def crowded(demo_db, django_db_blocker) -> Iterator[None]:
    """As on the full demo: a village of liaison01 and the first branch of township03 (viewer01's township too) with
    over 50 members, whose setup findings show as long badges in the landing lists. Committed on the package's demo
    for this module (the live server reads committed rows) and removed again after it."""
    from organizations.models import Member, Organization, RoleAssignment
    from tests.factories import MemberFactory

    with django_db_blocker.unblock():
        liaison_village = (
            RoleAssignment.objects.filter(user__username="liaison01").order_by("organization__path").first()
        )
        township = RoleAssignment.objects.get(user__username="township03").organization
        branch = Organization.objects.filter(path__startswith=township.path, depth=3, is_graded=True).order_by("path")[
            0
        ]
        added = [
            m.pk
            for org in (liaison_village.organization, branch)
            for m in MemberFactory.create_batch(55, organization=org)
        ]
    yield
    with django_db_blocker.unblock():
        Member.objects.filter(pk__in=added).delete()


def fits(page) -> dict[str, float]:
    """Widths that must stay within the screen: the document, the organization table and every badge in it."""
    return page.evaluate(
        """() => {
          const table = document.querySelector('table.org-table');
          const badges = [...document.querySelectorAll('table.org-table .badge')];
          return {
            document: document.documentElement.scrollWidth,
            table: table ? table.scrollWidth : 0,
            wrap: table ? table.parentElement.clientWidth : 0,
            badges: badges.length,
            right: Math.max(0, ...badges.map(b => b.getBoundingClientRect().right)),
          };
        }"""
    )


def test_homes_on_a_phone(crowded, demo_server, new_page):
    """The three landings on the package's committed demo."""
    ARTIFACTS.mkdir(exist_ok=True)
    for username in ("township03", "liaison01", "viewer01"):
        page = new_page(viewport=PHONE)
        log_in(page, demo_server, username)
        page.locator("table.org-table").wait_for()
        page.screenshot(path=str(ARTIFACTS / f"home-{username}-375.png"), full_page=True)
        got = fits(page)
        assert got["badges"] > 0, (username, "the landing shows setup-finding badges")
        assert got["document"] <= PHONE["width"], (username, got)
        assert got["table"] <= got["wrap"], (username, got)
        assert got["right"] <= PHONE["width"], (username, got)
        if username == "liaison01":
            liaison_home(page)
        if username == "township03":
            township_home(page)


def township_home(page) -> None:
    """The township opens on what waits for it, with its grading progress chart; a count leads to its list."""
    panel = page.locator("section.todo")
    panel.get_by_role("heading", name="待办事项").wait_for()
    assert panel.locator("svg.chart-bar").count() == 1
    first = panel.locator("li.todo-item a").first
    label = first.locator(".todo-label").inner_text()
    assert int(first.locator(".todo-count").inner_text()) > 0, label
    first.click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("h1").count() == 1, (label, page.url)
    assert re.search(r"/(township|rectification|elections|grading)/", page.url), page.url


def liaison_home(page) -> None:
    """The liaison leader's list has a heading and each organization's latest grade and rectification status."""
    page.get_by_role("heading", name="我联系的党组织").wait_for()
    assert page.locator("table.org-table tbody tr").count() >= 4
    grades = page.locator('td[data-label="最近定级"]').all_inner_texts()
    assert any(re.fullmatch(r"20\d\d年 (好|较好|一般|较差)", g.strip()) for g in grades), grades
    statuses = page.locator('td[data-label="分类管理与整顿"]').all_inner_texts()
    assert statuses and all(s.strip() for s in statuses), statuses
