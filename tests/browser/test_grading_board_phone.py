"""The township's grading board on a phone (375×812): short, and filtered by tapping.

A township of 30 organizations (18 in draft, 5 submitted, 2 returned, 5 scored; today is past both deadlines).
Measured at this viewport with this data, ``document.body.scrollHeight`` of the whole board was **10612 px** when
every row became a card of eight label/value lines (commit 016ba5f), and is **2959 px** with the compact two-line
rows; the test bounds it at 4500 px (rows at most 80 px each) so that a return of the tall cards fails.
Then the officer taps 待处理 (the 10 rows waiting for the township), 乡镇已评分, ticks two scored organizations and
publishes them; the notice's list and the 附件5 summary are compact too; and 全部 brings the whole list back.
Screenshots: test-artifacts/grading-board-phone-*.png.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from grading.models import Assessment
from grading.services import campaigns as services
from grading.services.assessments import assessments_ensure
from grading.services.workflow import Action, transition
from organizations.models import OrgKind
from organizations.services import tree as org_services
from tests.browser.test_login_journeys import ARTIFACTS, PHONE, log_in
from tests.calendar_support import seed_test_calendar
from tests.factories import UserFactory
from tests.grading.test_workflow import fill_and_submit, score

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BEFORE = 10612  # px, the tall cards (see the docstring)
BOUND = 4500  # px; 2959 with the compact rows
ROW_MAX = 80  # px, two lines of text with a badge


@pytest.fixture
def campaign(users, tree):
    """Township A grows to 30 organizations; 12 of them submit, the township scores 5 and returns 2."""
    seed_test_calendar(2026)
    campaign = services.campaign_open(actor=users.ds, campaign=services.campaign_create(actor=users.ds, year=2026))
    for i in range(27):
        name = f"东风镇第{i + 1}村党支部"
        org_services.organization_create(
            actor=users.ds, parent=tree.township_a, code=f"T01-1{i:02d}", name=name, kind=OrgKind.BRANCH
        )
    assessments_ensure(campaign)
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)  # stands in for the branch secretaries
    rows = (
        Assessment.objects.filter(campaign=campaign, organization__path__startswith=tree.township_a.path)
        .select_related("organization", "campaign")
        .order_by("organization__path")
    )
    for n, a in enumerate(list(rows)[3:15]):
        a = fill_and_submit(admin, a)
        if n < 5:
            transition(actor=users.ts_a, assessment=score(users.ts_a, a, Decimal("0.85")), action=Action.SCORE)
        elif n < 7:
            transition(actor=users.ts_a, assessment=a, action=Action.RETURN, note="材料不全")
    return campaign


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"grading-board-phone-{name}.png"), full_page=True)


def rows(page) -> int:
    return page.locator("table.gt-board tbody tr.gt-row").count()


def tallest(page, selector: str) -> float:
    """The height in px of the tallest element matching ``selector``."""
    return page.evaluate(
        "s => Math.max(...[...document.querySelectorAll(s)].map(e => e.getBoundingClientRect().height))", selector
    )


def tap_filter(page, label: str) -> None:
    """A tap on a filter link (a click: ``new_page`` contexts have no touch screen, and the link needs none)."""
    page.locator(".gt-filter a", has_text=label).click()
    page.wait_for_load_state("domcontentloaded")


def test_board_is_short_on_a_phone_and_filters_by_tapping(new_page, live_server, users, tree, campaign):
    page = new_page(PHONE)
    log_in(page, live_server.url, "ts_a")
    page.goto(f"{live_server.url}/grading/{campaign.pk}/township/{tree.township_a.pk}/")

    # the whole list: 30 compact rows, far shorter than the tall cards, nothing wider than the phone
    assert rows(page) == 30
    height = page.evaluate("document.body.scrollHeight")
    shot(page, "all")
    assert height <= BOUND, f"board is {height} px high on a phone (was {BEFORE} px with tall cards)"
    assert tallest(page, "tr.gt-row") <= ROW_MAX
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not page.locator("table.gt-board thead").is_visible()
    assert not page.locator("td.gt-detail").first.is_visible() and page.locator("td.gt-brief").first.is_visible()

    # 待处理: the ten rows waiting for the township (5 submitted to score, 5 scored to publish), each marked
    tap_filter(page, "待处理")
    assert re.search(r"\?status=todo#gt-list$", page.url)
    assert rows(page) == 10 and page.locator("tr.gt-row.gt-todo").count() == 10
    assert page.locator(".gt-filter a[aria-current]").inner_text().startswith("待处理")
    assert page.locator("td.gt-act a.gt-go", has_text="评分").count() == 10
    shot(page, "todo")

    # 乡镇已评分: tick two and publish them; the confirmation lists exactly those two
    tap_filter(page, "乡镇已评分")
    assert rows(page) == 5
    boxes = page.locator("td.gt-pick input[name=ids]")
    assert boxes.count() == 5
    boxes.nth(0).check()
    boxes.nth(1).check()
    shot(page, "scored")
    page.get_by_role("button", name=re.compile("发布公示")).click()
    page.wait_for_load_state("domcontentloaded")
    assert "公示名单(2个)" in page.locator("h2", has_text="公示名单").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "publish")
    page.fill("#id_contact", "镇党委组织办 0771-1234567")
    page.get_by_role("button", name="发布公示").click()
    page.wait_for_load_state("domcontentloaded")

    # the notice's list and the 附件5 summary are compact on a phone too: one or two lines per organization
    page.goto(f"{live_server.url}/grading/{campaign.pk}/township/{tree.township_a.pk}/")
    page.locator(".gt-notices a").first.click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("table.gt-compact tbody tr").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "notice")
    page.goto(f"{live_server.url}/grading/{campaign.pk}/township/{tree.township_a.pk}/summary/")
    assert page.locator("table.gt-compact tbody tr").count() == 5
    shot(page, "summary")
    assert tallest(page, "table.gt-compact tbody tr") <= ROW_MAX
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto(f"{live_server.url}/grading/{campaign.pk}/township/{tree.township_a.pk}/")

    # 全部 brings the whole list back
    tap_filter(page, "全部")
    assert rows(page) == 30 and page.locator(".gt-filter a[aria-current]").inner_text().startswith("全部")
