"""The ballot-by-ballot entry on a phone (375×812), reached by clicking from the branch secretary's home: a proxy ballot
is refused in words (A9, 《中国共产党基层组织选举工作条例》第二十四条), and a write-in with no 不赞成 beside it is said
to be void before saving and after, while the ballot's marks count (A8, 第二十五条 and the common 计票办法)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from elections.models import BallotEntry, BallotRound, Meeting
from elections.services.projects import project_create
from tests.browser.test_election_phone import PHONE, overflow
from tests.browser.test_login_journeys import ARTIFACTS, log_in
from tests.crawl_support import rule_codes_shown
from tests.elections import conftest as election_fixtures

calendar_2026 = election_fixtures.calendar_2026

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = ["王一", "李二", "张三", "刘四"]


def test_proxy_refused_and_unbacked_write_in_void_on_a_phone(
    new_page, live_server, users, tree, members, calendar_2026, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    project = project_create(
        actor=users.ts_a, organization=tree.village_a1, election_date=timezone.localdate() + timedelta(days=60), seats=3
    )
    meeting = Meeting.objects.create(project=project, held_on=timezone.localdate(), present_count=8)
    ballot_round = BallotRound.objects.create(
        meeting=meeting, number=1, purpose="committee", seats=3, names=NAMES, due=8, present=8
    )
    page = new_page(viewport=PHONE)
    log_in(page, live_server.url, "sec_a1")  # lands on the village's page
    page.get_by_role("link", name=f"{project.year}年换届").click()
    page.get_by_role("link", name="党员大会和计票").first.click()
    page.get_by_role("link", name="逐张录入").first.click()
    page.get_by_role("heading", name="第1张").wait_for()
    assert overflow(page) <= PHONE["width"]

    # A9: a ballot cast for an absent member is refused, nothing stored
    page.locator("fieldset.el-mark").nth(0).get_by_label("赞成", exact=True).check()
    page.get_by_label("此票是缺席党员委托他人代投的").check()
    page.get_by_role("button", name="保存,下一张").click()
    page.get_by_text("不得委托他人代为投票,缺席党员不能投票").first.wait_for()
    assert not BallotEntry.objects.filter(round=ballot_round).exists()

    # A8: a write-in with no 不赞成: the preview says it is void and the ballot still counts
    page.locator("fieldset.el-mark").nth(0).get_by_label("赞成", exact=True).check()
    page.fill("#el-write-ins", "赵六")
    preview = page.locator("#el-ballot-check").inner_text()
    assert "另选无效,其余标记有效" in preview and "赞成1人,有效票" in preview
    page.get_by_role("button", name="保存,下一张").click()
    page.get_by_text("第1张已录入").wait_for()
    page.locator("#el-write-in-notes summary").click()
    assert "第1张:另选他人1人(赵六)" in page.locator("#el-write-in-notes").inner_text()
    assert overflow(page) <= PHONE["width"]
    assert not rule_codes_shown(page.content())
    page.screenshot(path=str(ARTIFACTS / "election-phone-ballot-entry.png"), full_page=True)
    assert BallotEntry.objects.get(round=ballot_round).write_ins == ["赵六"]
