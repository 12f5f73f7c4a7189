"""A township runs a demo village's election in the browser, on the demo district as ``load_demo --small`` builds it.

Issue 5 is done when a township can run a demo village's election in the browser; the journey in
test_election_journey.py runs on test fixtures, this one on the demo data (organizations, grading, rectification and
elections demos: the package's committed demo, ``demo_db``, and its media folder). It writes (an election run to
its end, a notice published), so it runs after the package's other tests (tests/conftest.py, ``WRITES_LAST``):

- the demo village at the congress (``elections.demo.builder.at_congress``: attendance taken, committee round open):
  its township's demo account (``townshipNN``) goes from its home to the election board and the project, checks the
  attendance against the 4/5 quorum (A1), enters the committee count as per-name totals on the open round and
  publishes it, runs the secretary round (A12), approves the result (批复), and the village's organization page shows
  the new committee (the secretary and the members) and the new term;
- the demo village choosing its candidates (``choosing``): its township's account reads the recommendation tallies
  and the ranking (两推), a candidate's eligibility checklist (by the demo's department) and the 资格联审 page (one
  candidate stopped by 信访局's 不同意) — all real demo names —; the district records the county group's re-review;
  the township puts the others through inspection, the final list and its approval and publishes the notice
  today; the public notice page (no login) lists the candidates. The demo's own notices have all ended (its congress
  and completed villages are past step 17), so the open notice is the one published here.

Screenshots go to test-artifacts/election-demo-*.png.
"""

from __future__ import annotations

import re

import pytest

from elections.models import Candidate, CandidatePost, ElectionProject, Phase, RoundStatus
from elections.services.candidates import recommendation_ranking
from organizations.models import Position, Post, RoleAssignment
from organizations.roles import Role
from tests.browser.test_election_joint_review import rereview
from tests.browser.test_election_journey import Shots, click, phase_is, submits
from tests.browser.test_login_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

DEMO_TOWNSHIP_ACCOUNT = re.compile(r"^township[0-9]{2}$")


def township_account(project: ElectionProject) -> str:
    """The demo account of the project's township (the one the demo itself ran the project as)."""
    grant = (
        RoleAssignment.objects.filter(
            organization_id=project.township_id, role=Role.TOWNSHIP_STAFF, revoked_at__isnull=True
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    assert grant is not None, f"no township account for {project.organization.name}"
    assert DEMO_TOWNSHIP_ACCOUNT.match(grant.user.username), grant.user.username
    return grant.user.username


def open_from_board(page, base: str, project: ElectionProject) -> None:
    """From the township's home, the election board, then the project."""
    assert page.url == f"{base}/township/{project.township_id}/"
    page.locator("main").get_by_role("link", name="换届选举", exact=True).click()
    page.get_by_role("heading", name=re.compile("换届选举$")).wait_for()
    board = page.locator("table.el-board tbody")
    board.get_by_role("link", name=project.organization.name, exact=True).click()
    page.wait_for_url(f"{base}/elections/projects/{project.pk}/")


def count_totals(page, shot, name: str, *, ballots: int, votes: dict[str, int]) -> None:
    """On the open round's page: per-name totals, any warning the page asks about confirmed, then published."""
    for field in ("issued", "returned", "valid"):
        page.fill(f"#el-count input[name={field}]", str(ballots))
    page.fill("#el-count input[name=invalid]", "0")
    for candidate, n in votes.items():
        page.get_by_label(f"{candidate}得票", exact=True).fill(str(n))
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.get_by_role("button", name="保存计票结果").click()
    if page.get_by_text("以下提示需要确认后才能保存").count():
        for box in page.locator("input[name=confirm]").all():
            box.check()
        with page.expect_navigation(wait_until="domcontentloaded"):
            page.get_by_role("button", name="保存计票结果").click()
    page.get_by_text("计票结果已保存").wait_for()
    shot(f"{name}-entered")
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.get_by_role("button", name="公布计票结果").click()
    page.get_by_text("计票结果已公布").wait_for()
    page.get_by_role("heading", name="结果:选举有效").wait_for()
    shot(f"{name}-result")


def test_township_runs_the_demo_village_election_to_the_new_committee(
    new_page, demo_server, demo_db, demo_media, settings
):
    # given: the small demo district with its six election projects (one at the congress, one choosing candidates)
    assert "换届选举演示数据已载入:6个项目" in demo_db, demo_db
    settings.MEDIA_ROOT = demo_media  # the papers the demo generated, and those this journey adds
    base = demo_server
    congress = ElectionProject.objects.select_related("organization").get(meeting__rounds__status=RoundStatus.OPEN)
    choosing = ElectionProject.objects.select_related("organization").get(status=Phase.NOMINATING)
    village = congress.organization
    meeting = congress.meeting
    open_round = meeting.rounds.get()
    assert open_round.status == RoundStatus.OPEN
    secretary_nominee = congress.candidates.get(post=CandidatePost.SECRETARY).member.name
    page = new_page()
    shot = Shots(page, "election-demo")

    # the township's demo account: from its home to the election board and the project at the congress
    log_in(page, base, township_account(congress))
    open_from_board(page, base, congress)
    phase_is(page, "大会选举")
    shot("project")

    # attendance as the demo took it: more than 4/5 of those due are present (A1)
    page.get_by_role("link", name="党员大会和计票").click()
    quorum = page.locator("#el-quorum")
    quorum.wait_for()
    due, needed = int(quorum.get_attribute("data-due")), int(quorum.get_attribute("data-needed"))
    present = meeting.present_count
    assert 5 * needed > 4 * due >= 5 * (needed - 1)  # the smallest number that is more than 4/5
    assert present >= needed
    assert f"应到会 {due} 人,实到会 {present} 人,至少需 {needed} 人" in quorum.inner_text()
    assert "超过4/5,可以选举" in quorum.inner_text()
    assert page.locator("#el-attendance input[name=present]:checked").count() == present
    shot("meeting")

    # the committee round the demo left open: the count entered as per-name totals, the nominee for secretary first
    page.get_by_role("link", name=str(open_round)).click()
    page.get_by_role("heading", name=str(open_round)).wait_for()
    page.get_by_text(f"应选{open_round.seats}名").wait_for()
    names = [
        label.removesuffix("得票")
        for label in page.locator("#el-count input[name^=votes_]").evaluate_all("els => els.map(e => e.ariaLabel)")
    ]
    assert sorted(names) == sorted(open_round.names) and secretary_nominee in names
    ranked = [secretary_nominee] + [n for n in names if n != secretary_nominee]
    elected, others = ranked[: open_round.seats], ranked[open_round.seats :]
    votes = {n: present - 1 - i for i, n in enumerate(elected)} | {n: 2 + i for i, n in enumerate(others)}
    count_totals(page, shot, "committee", ballots=present, votes=votes)
    result = page.locator("section.card").filter(has_text="结果:选举有效")
    for n in elected:
        result.locator("li").filter(has_text=f"{n}:{votes[n]}票").get_by_text("当选").wait_for()

    # the new committee elects its secretary (A12)
    page.get_by_role("link", name="党员大会和计票").click()
    page.select_option("select[name=purpose]", "secretary")
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.get_by_role("button", name="开始新一轮投票").click()
    page.get_by_role("button", name="保存计票结果").wait_for()
    count_totals(page, shot, "secretary", ballots=len(elected), votes={secretary_nominee: len(elected)})
    assert all(r.status == RoundStatus.VALID for r in meeting.rounds.all())

    # the township approves the result (批复)
    page.get_by_role("link", name="选举结果").click()
    for n in elected:
        page.locator("table tbody tr").filter(has_text=n).first.wait_for()
    page.fill("input[name=note]", "同意选举结果")
    with submits(page, "已批复"):
        page.get_by_role("button", name="批复同意").click()
    page.get_by_text("批复同意 同意选举结果").wait_for()
    shot("approved")

    # then: the village's page shows the new committee and its new term; the old committee has left office
    page.goto(f"{base}/orgs/{village.pk}/")
    roster = page.locator("section.card").filter(has=page.get_by_role("heading", name="班子成员", exact=True))
    roster.locator("li").filter(has_text=f"书记:{secretary_nominee}").wait_for()
    for n in elected[1:]:
        roster.locator("li").filter(has_text=f"委员:{n}").wait_for()
    congress.refresh_from_db()
    assert congress.new_term is not None
    page.locator(".el-panel").get_by_text(f"新一届{congress.new_term.elected_on:%Y-%m-%d}").wait_for()
    shot("organization")
    current = {(p.member.name, p.post) for p in Position.objects.filter(organization=village, ended_on=None)}
    assert current == {(secretary_nominee, Post.SECRETARY)} | {(n, Post.COMMITTEE_MEMBER) for n in elected[1:]}
    assert not Position.objects.filter(organization=village, term=congress.term, ended_on=None).exists()

    # the village choosing its candidates, as its own township's demo account: 两推 tallies and the ranking
    other = new_page()
    log_in(other, base, township_account(choosing))
    open_from_board(other, base, choosing)
    phase_is(other, "确定人选")
    other.get_by_role("link", name="推荐和候选人").click()
    ranking = recommendation_ranking(choosing)
    rows = other.locator("h3:has-text('初步人选') + table tbody tr")
    assert rows.count() == len(ranking) >= 4
    for row, r in zip(rows.all(), ranking, strict=True):
        cells = row.locator("td").all_inner_texts()
        assert cells == [r["member"].name, str(r["members"]), str(r["residents"]), str(r["total"]), str(r["township"])]
    candidates = list(Candidate.objects.filter(project=choosing).select_related("member").order_by("pk"))
    listed = other.locator("form:has(input[name=ids]) tbody tr")
    assert listed.count() == len(candidates)
    for c in candidates:
        listed.filter(has=other.get_by_role("link", name=c.member.name, exact=True)).first.wait_for()
    shot("recommendations", other)

    # a candidate's joint review (资格联审): every ground checked by the demo's department, the candidate eligible
    first = candidates[0]
    other.locator(f"form:has(input[name=ids]) a[href='/elections/candidates/{first.pk}/']").click()
    other.get_by_role("heading", name=re.compile(rf"^{re.escape(first.member.name)}(.+)· 资格审查通过$")).wait_for()
    reviewed = other.locator("table tbody tr td.small").all_inner_texts()
    assert reviewed and all("县纪委监委" in text for text in reviewed)
    shot("eligibility", other)

    # 资格联审 (Q1/Q2): the demo's list agreed by every department, one candidate stopped by 信访局 with its reason;
    # the district records the county group's re-review of the others
    other.locator("p.el-tabs").get_by_role("link", name="资格联审").click()
    other.locator("p.el-refused").filter(has_text="信访局不同意").first.wait_for()
    shot("joint-review", other)
    district = new_page()
    log_in(district, base, "district")
    district.locator("nav.mainnav").get_by_role("link", name="换届选举").click()
    district.locator("ul.el-chart").get_by_role("link", name=choosing.township.name).click()
    district.locator("table.el-board tbody").get_by_role("link", name=choosing.organization.name, exact=True).click()
    district.locator("p.el-tabs").get_by_role("link", name="资格联审").click()
    rereview(district)

    # the reviewed list (the refused candidate left out) through inspection and the final list, approved by the
    # township, in public from today
    other.locator("p.el-tabs").get_by_role("link", name="推荐和候选人").click()
    for action in ("列入考察对象", "确定为候选人预备人选"):
        for row in other.locator("form:has(input[name=ids]) tbody tr").all():
            if "资格审查未通过" not in row.inner_text():
                row.locator("input[name=ids]").check()
        click(other, action)
    click(other, "乡镇批准候选人预备人选")
    click(other, "今天开始公示")
    notice_link = other.get_by_role("link", name="公示页面")
    notice_link.wait_for()
    shot("notice-published", other)
    notice_url = notice_link.get_attribute("href")

    # then: the notice in public, no login, lists the demo village's candidates
    public = new_page()
    response = public.goto(f"{base}{notice_url}")
    assert response is not None and response.status == 200
    assert "/accounts/login/" not in public.url
    public.get_by_role("heading", name=f"{choosing.organization.name}新一届委员会委员候选人预备人选公示").wait_for()
    shown = public.locator("table tbody tr td:first-child").all_inner_texts()
    approved = Candidate.objects.filter(project=choosing, status="approved").values_list("member__name", flat=True)
    assert sorted(shown) == sorted(approved) and len(approved) == len(candidates) - 1  # not the one 信访局 stopped
    shot("notice-public", public)
