"""A township runs a village election in the browser: voter roll, recommendations, candidates and their joint review,
lists and approval, the public notice, the step 18 papers generated and attached, the congress (attendance,
scrutineers), the committee count entered as totals and published, the secretary round, the township's approval; the
new committee shows on the organization page.

The project is opened through the services and its earlier phases walked there (opening a project is a page of its
own, tested with it); everything from the roll on is done through the pages. Screenshots go to
test-artifacts/election-journey-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from elections.models import Candidate, Phase, RoundStatus
from organizations.models import Position, Post
from tests.browser.test_login_journeys import ARTIFACTS, CHROMIUM_ARGS, log_in
from tests.elections import conftest as election_fixtures
from tests.elections.conftest import finish_steps

# The election fixtures live in tests/elections/conftest.py; named here, they apply to this module too.
calendar_2026 = election_fixtures.calendar_2026
election_date = election_fixtures.election_date
project = election_fixtures.project
electing = election_fixtures.electing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())  # data-confirm
    yield page
    context.close()


class Shots:
    def __init__(self, page) -> None:
        self.page, self.n = page, 0
        ARTIFACTS.mkdir(exist_ok=True)

    def __call__(self, name: str) -> None:
        self.n += 1
        self.page.screenshot(path=str(ARTIFACTS / f"election-journey-{self.n:02d}-{name}.png"), full_page=True)


def _count(page, shot, name: str, *, ballots: int, votes: dict[str, int]) -> None:
    """Enter the per-name totals; confirm the warnings the page asks about; publish."""
    for field in ("issued", "returned", "valid"):
        page.fill(f"#el-count input[name={field}]", str(ballots))
    page.fill("#el-count input[name=invalid]", "0")
    for candidate, n in votes.items():
        page.get_by_label(f"{candidate}得票").fill(str(n))
    page.get_by_role("button", name="保存计票结果").click()
    page.wait_for_load_state("domcontentloaded")
    if page.get_by_text("以下提示需要确认后才能保存").count():
        for box in page.locator("input[name=confirm]").all():
            box.check()
        page.get_by_role("button", name="保存计票结果").click()
    page.get_by_text("计票结果已保存").wait_for()
    shot(f"{name}-entered")
    page.get_by_role("button", name="公布计票结果").click()
    page.get_by_text("计票结果已公布").wait_for()
    shot(f"{name}-result")


def test_township_runs_a_village_election_to_the_new_committee(page, live_server, electing, users, members, tree):
    # given: village A1's project, its preparation, launch and mobilization done (services)
    election = electing
    assert election.status == Phase.NOMINATING
    village = members["a1"]
    base = live_server.url
    shot = Shots(page)
    p = f"{base}/elections/projects/{election.pk}"
    log_in(page, base, "ts_a")

    # the voter roll from the roster (A1/A2)
    page.goto(f"{p}/voters/")
    page.get_by_role("button", name="从党员名册登记").click()
    page.get_by_text(village[0].name).first.wait_for()
    shot("voters")

    # 两推: members' recommendation tallies
    page.goto(f"{p}/candidates/")
    page.select_option("select[name=round]", "members")
    for i, m in enumerate(village[:4]):
        page.get_by_label(f"{m.name}票数").fill(str(8 - i))
    page.get_by_role("button", name="保存推荐票数").click()
    page.wait_for_load_state("domcontentloaded")

    # the initial list: four for three seats (A11) and a secretary nominee
    for m, post in [(m, "committee") for m in village[:4]] + [(village[0], "secretary")]:
        page.select_option("select[name=member]", str(m.pk))
        page.select_option("select[name=post]", post)
        page.get_by_role("button", name="列入初步人选").click()
        page.wait_for_load_state("domcontentloaded")
    assert Candidate.objects.filter(project=election).count() == 5

    # 资格联审: every ground checked by a department
    for candidate in Candidate.objects.filter(project=election).order_by("pk"):
        page.goto(f"{base}/elections/candidates/{candidate.pk}/")
        page.fill("input[name=department]", "县纪委监委")
        for select in page.get_by_label("结论").all():
            select.select_option("pass")
        page.get_by_role("button", name="保存审查结论").click()
        page.wait_for_load_state("domcontentloaded")
    shot("eligibility")
    assert not Candidate.objects.filter(project=election).exclude(status="eligible").exists()

    # inspection list, final list, the township's approval, the public notice
    page.goto(f"{p}/candidates/")
    for action in ("列入考察对象", "确定为候选人预备人选"):
        for box in page.locator("input[name=ids]").all():
            box.check()
        page.get_by_role("button", name=action).click()
        page.wait_for_load_state("domcontentloaded")
    page.get_by_role("button", name="乡镇批准候选人预备人选").click()
    page.wait_for_load_state("domcontentloaded")
    page.get_by_role("button", name="今天开始公示").click()
    page.wait_for_load_state("domcontentloaded")
    shot("candidates")
    assert Candidate.objects.filter(project=election, status="approved").count() == 5

    # step 18: the request and the township's reply generated from the project and attached to the step
    page.goto(f"{p}/papers/")
    page.get_by_role("button", name="生成并作为第18步请示材料").click()
    page.get_by_text("已生成并作为第18步的请示材料").wait_for()
    page.get_by_role("button", name="生成并作为第18步批复材料").click()
    page.get_by_text("已生成并作为第18步的批复材料").wait_for()
    shot("papers")
    step18 = election.steps.get(template__number=18)
    assert set(step18.documents.values_list("kind", flat=True)) == {"request", "reply"}

    # the rest of 确定人选 (pledges, minutes) through the services, then the congress in the browser
    finish_steps(users.ds, election, until=Phase.ELECTING)
    page.goto(f"{p}/meeting/")
    page.get_by_role("button", name="今天召开党员大会").click()
    page.wait_for_load_state("domcontentloaded")
    for box in page.locator("#el-attendance input[name=present]").all():
        box.check()
    page.get_by_role("button", name="保存到会情况").click()
    page.wait_for_load_state("domcontentloaded")
    page.fill("input[name=scrutineers]", village[6].name)
    page.fill("input[name=counters]", village[7].name)
    page.locator("form:has(input[name=scrutineers]) button").click()
    page.wait_for_load_state("domcontentloaded")
    shot("meeting")

    # the committee ballot counted by totals: three elected of four
    page.select_option("select[name=purpose]", "committee")
    page.get_by_role("button", name="开始新一轮投票").click()
    page.get_by_role("button", name="保存计票结果").wait_for()
    votes = {village[0].name: 8, village[1].name: 7, village[2].name: 6, village[3].name: 2}
    _count(page, shot, "committee", ballots=8, votes=votes)

    # the new committee elects its secretary (A12)
    page.goto(f"{p}/meeting/")
    page.select_option("select[name=purpose]", "secretary")
    page.get_by_role("button", name="开始新一轮投票").click()
    page.get_by_role("button", name="保存计票结果").wait_for()
    _count(page, shot, "secretary", ballots=3, votes={village[0].name: 3})
    assert all(r.status == RoundStatus.VALID for r in election.meeting.rounds.all())

    # the township approves (批复): the roster takes the new committee
    page.goto(f"{p}/result/")
    page.fill("input[name=note]", "同意选举结果")
    page.get_by_role("button", name="批复同意").click()
    page.get_by_text("已批复").first.wait_for()
    shot("approved")

    # then: the organization page shows the new committee
    page.goto(f"{base}/orgs/{tree.village_a1.pk}/")
    page.get_by_text(village[0].name).first.wait_for()
    shot("organization")
    current = {(x.member.name, x.post) for x in Position.objects.filter(organization=tree.village_a1, ended_on=None)}
    assert current == {
        (village[0].name, Post.SECRETARY),
        (village[1].name, Post.COMMITTEE_MEMBER),
        (village[2].name, Post.COMMITTEE_MEMBER),
    }
    body = page.content()
    assert village[1].name in body and village[2].name in body
