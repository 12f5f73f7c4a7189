"""A township runs a village election in the browser, from the term-expiry list to the new committee.

Only what no user does is set up through the services: the holiday calendar, village A1's current committee (its term
ends within the six-month reminder window, A13, so the village is on the term-expiry list), and for the batch test a
second village. Every user action after that goes through the pages, in Debian's Chromium:

- the township (``ts_a``) opens the project from the term-expiry list (``elections:project_open``, its election day
  and seats prefilled from the term), then on the project's 32-step page uploads each required document (PDF and Word
  files through the file input; each upload form starts on the kind the step still misses) or generates it on the
  papers page (steps 8, 18 and 27: 请示/报告 and 批复) and marks the steps done, phase by phase (a step missing its
  document offers the missing kind on its button; a county step offers no button to the township);
- the district (``ds``, in its own browser) marks the county's steps (4 分析研判, 14 研究比选, 15 资格联审 with its
  document) — a township may not;
- the voter roll (step 10), 两推 (members' and residents' tallies, step 12) and the township committee's
  recommendation (step 13), the initial list and every candidate's joint review, the inspection and final lists, the
  township's approval and the public notice (step 17), the step 18 papers, the discipline pledges (step 19);
- the congress (steps 20-26): attendance, scrutineers, the committee count entered as totals and published, the
  secretary round; the township's approval (批复, A12); the step 27 report and reply generated, and the project moves on
  to 后续工作; the organization page shows the new committee and the old one has left office.

A second test opens a batch of two villages through ``elections:batch_open`` from the township's pages.
Screenshots go to test-artifacts/election-journey-*.png and election-batch-*.png.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.utils import timezone

from elections.models import Candidate, ElectionProject, Phase, RoundStatus
from organizations.models import OrgField, OrgKind, Position, Post
from organizations.services import committee as org_services
from tests.browser.clicks import follow
from tests.browser.test_login_journeys import ARTIFACTS, log_in
from tests.elections import conftest as election_fixtures

# The holiday calendar lives in tests/elections/conftest.py; named here, it applies to this module too.
calendar_2026 = election_fixtures.calendar_2026

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TERM_YEARS_DAYS = 5 * 365 + 1  # a village committee's five-year term (organizations.rules.term_end)
ENDS_IN_DAYS = 100  # inside the six-month reminder window (A13)


@pytest.fixture
def page(new_page) -> object:
    return new_page()


@pytest.fixture
def media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _expiring_term(actor, organization, *, seats: int = 3):
    """The organization's current committee, elected five years ago: its term ends in ENDS_IN_DAYS days."""
    today = timezone.localdate()
    elected_on = today + timedelta(days=ENDS_IN_DAYS) - timedelta(days=TERM_YEARS_DAYS)
    return org_services.term_create(actor=actor, organization=organization, elected_on=elected_on, seats=seats)


@pytest.fixture
def old_committee(tree, users, members, calendar_2026, media):
    """Village A1's current committee (secretary and two members of the last term), whose term ends soon."""
    village = members["a1"]
    term = _expiring_term(users.ds, tree.village_a1)
    for member, post in [
        (village[5], Post.SECRETARY),
        (village[6], Post.COMMITTEE_MEMBER),
        (village[7], Post.COMMITTEE_MEMBER),
    ]:
        org_services.position_assign(
            actor=users.ds,
            organization=tree.village_a1,
            member=member,
            post=post,
            started_on=term.elected_on,
            term=term,
        )
    return term


# --- Files as a user picks them ------------------------------------------------------------------------------


def pdf_bytes() -> bytes:
    """A small valid one-page PDF (catalog, pages, page; a correct cross-reference table)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def docx_bytes(text: str) -> bytes:
    """A minimal Word document (the three parts Word needs) with one paragraph; the same bytes for the same text."""
    buf = io.BytesIO()

    class Zip(zipfile.ZipFile):
        def writestr(self, name: str, data: str) -> None:  # a fixed timestamp: reproducible bytes
            super().writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)

    with Zip(buf, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            'document.main+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        z.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>',
        )
    return buf.getvalue()


PDF = pdf_bytes()
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def material(kind: str, title: str) -> dict[str, object]:
    """Minutes come as Word files, everything else as a scanned PDF."""
    if kind == "minutes":
        return {"name": f"{title}会议记录.docx", "mimeType": DOCX_TYPE, "buffer": docx_bytes(f"{title}会议记录")}
    return {"name": f"{title}.pdf", "mimeType": "application/pdf", "buffer": PDF}


# --- Page helpers -------------------------------------------------------------------------------------------


class Shots:
    def __init__(self, page, prefix: str = "election-journey") -> None:
        self.page, self.prefix, self.n = page, prefix, 0
        ARTIFACTS.mkdir(exist_ok=True)
        for old in ARTIFACTS.glob(f"{prefix}-*.png"):  # a shorter run must not leave an earlier run's pictures
            old.unlink()

    def __call__(self, name: str, page=None) -> None:
        self.n += 1
        target = page or self.page
        target.screenshot(path=str(ARTIFACTS / f"{self.prefix}-{self.n:02d}-{name}.png"), full_page=True)


@contextmanager
def submits(page, expect: str) -> Iterator[None]:
    """Wait for the form's answer (a new page) and for its success message; a refusal fails with its wording."""
    with page.expect_navigation(wait_until="domcontentloaded"):
        yield
    errors = page.locator("ul.messages li.msg-error, ul.errorlist li").all_inner_texts()
    assert not errors, errors
    page.locator("ul.messages li").filter(has_text=expect).first.wait_for()


def step_row(page, number: int):
    cell = page.locator("td[data-label='序号']").filter(has_text=re.compile(rf"^\s*{number}\s*$"))
    return page.locator("table.el-steps tbody tr").filter(has=cell)


def upload(page, number: int, kind: str) -> None:
    row = step_row(page, number)
    title = row.locator("td[data-label='环节']").inner_text().strip()
    assert row.locator("select[name=kind]").input_value() == kind  # the form starts on the kind still missing
    row.locator("input[type=file]").set_input_files(material(kind, title))
    with submits(page, "材料已上传"):
        row.get_by_role("button", name="上传").click()


def mark_done(page, number: int) -> None:
    with submits(page, f"第{number}步已完成"):
        step_row(page, number).get_by_role("button", name="标记完成").click()


def do_step(page, number: int, *kinds: str) -> None:
    """On the project page: upload the step's required documents, then mark it done."""
    for kind in kinds:
        upload(page, number, kind)
    mark_done(page, number)


def phase_is(page, label: str) -> None:
    page.locator("h1 + p .badge").filter(has_text=label).wait_for()


def generate(page, number: int, kind_label: str) -> None:
    """On the papers page: render the paper from the project and attach it to the step."""
    with submits(page, f"已生成并作为第{number}步的{kind_label}材料"):
        page.get_by_role("button", name=f"生成并作为第{number}步{kind_label}材料").click()


def click(page, name: str) -> None:
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.get_by_role("button", name=name).click()
    errors = page.locator("ul.messages li.msg-error").all_inner_texts()
    assert not errors, errors


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


# --- The journey ------------------------------------------------------------------------------------------------


def test_township_runs_a_village_election_to_the_new_committee(
    page, new_page, live_server, old_committee, users, members, tree
):
    # given: village A1's committee, elected five years ago, ends its term within six months
    village = members["a1"]
    base = live_server.url
    shot = Shots(page)
    log_in(page, base, "ts_a")
    district = new_page()
    log_in(district, base, "ds")

    # the township opens the project from the term-expiry list (A13)
    follow(page.locator("nav.mainnav").get_by_role("link", name="换届选举"))
    page.get_by_role("heading", name="换届选举进度").wait_for()  # the board; its expiring count links to the list
    shot("board")
    follow(page.locator("main").get_by_role("link", name="届满换届提醒"))
    row = page.locator("table.el-terms tbody tr").filter(has_text=tree.village_a1.name)
    row.get_by_text(village[5].name).wait_for()  # the current secretary
    shot("terms")
    follow(row.get_by_role("link", name="启动换届"))
    page.get_by_role("heading", name=f"启动换届选举:{tree.village_a1.name}").wait_for()
    assert page.input_value("input[name=seats]") == "3"  # as the last term (B5)
    assert page.input_value("input[name=election_date]") == old_committee.ends_on.isoformat()
    shot("open")
    with submits(page, "共32个环节"):
        page.get_by_role("button", name="启动换届选举").click()
    election = ElectionProject.objects.get(organization=tree.village_a1)
    p = f"{base}/elections/projects/{election.pk}"
    assert page.url == f"{p}/"
    phase_is(page, "前期准备")

    # 前期准备: the township's three steps (the outgoing audit needs its document), the county's analysis
    do_step(page, 1)
    do_step(page, 2)
    mark_done_refused = step_row(page, 3).get_by_role("button", name="标记完成")
    assert "缺少:其他" in (mark_done_refused.get_attribute("title") or "")
    do_step(page, 3, "other")
    assert step_row(page, 4).get_by_role("button", name="标记完成").count() == 0  # the county's step
    district.goto(f"{p}/")
    do_step(district, 4)
    phase_is(district, "部署启动")

    # 部署启动: plan, training, the outgoing committee's review; step 8's request and reply generated as papers
    page.goto(f"{p}/")
    phase_is(page, "部署启动")
    do_step(page, 5, "other")
    do_step(page, 6)
    do_step(page, 7, "minutes")
    follow(page.get_by_role("link", name="请示与批复"))
    generate(page, 8, "请示")
    generate(page, 8, "批复")
    follow(page.get_by_role("link", name="32个环节"))
    assert step_row(page, 8).get_by_role("link", name=re.compile("召开党员大会的请示")).count() == 1
    mark_done(page, 8)
    phase_is(page, "宣传动员")

    # 宣传动员: publicity; the voter roll from the roster (A1/A2), its registration form uploaded
    do_step(page, 9)
    follow(page.get_by_role("link", name="选举登记"))
    click(page, "从党员名册登记")
    page.get_by_text(village[0].name).first.wait_for()
    shot("voters")
    follow(page.get_by_role("link", name="32个环节"))
    do_step(page, 10, "other")
    phase_is(page, "确定人选")
    shot("steps-nominating")

    # 两推: the members' and the residents' tallies (step 12), the township committee's recommendation (step 13)
    do_step(page, 11, "other")
    follow(page.get_by_role("link", name="推荐和候选人"))
    tallies = {
        "members": [8, 7, 6, 5],
        "residents": [40, 35, 30, 12],
        "township": [1, 1, 1, 0],
    }
    for round_, counts in tallies.items():
        page.select_option("select[name=round]", round_)
        for m, n in zip(village[:4], counts, strict=True):
            if n:
                page.get_by_label(f"{m.name}票数").fill(str(n))
        click(page, "保存推荐票数")
    first = page.locator("h3:has-text('初步人选') + table tbody tr").first
    assert first.inner_text().startswith(village[0].name)

    # the initial list: four for three seats (A11) and a secretary nominee
    for m, post in [(m, "committee") for m in village[:4]] + [(village[0], "secretary")]:
        page.select_option("select[name=member]", str(m.pk))
        page.select_option("select[name=post]", post)
        click(page, "列入初步人选")
    assert Candidate.objects.filter(project=election).count() == 5
    follow(page.get_by_role("link", name="32个环节"))
    do_step(page, 12, "minutes")
    do_step(page, 13, "minutes")

    # 资格联审: every ground checked by a department; the county compares (14) and signs the joint review off (15)
    for candidate in Candidate.objects.filter(project=election).order_by("pk"):
        page.goto(f"{base}/elections/candidates/{candidate.pk}/")
        page.fill("input[name=department]", "县纪委监委")
        for select in page.get_by_label("结论").all():
            select.select_option("pass")
        click(page, "保存审查结论")
    shot("eligibility")
    assert not Candidate.objects.filter(project=election).exclude(status="eligible").exists()
    # Q1/Q2: every department of the joint review agrees (one returned form), the district records the re-review
    from elections.rules.joint_review import DEPARTMENTS
    from tests.browser.test_election_joint_review import record_opinions, rereview

    follow(page.locator("p.el-tabs").get_by_role("link", name="资格联审"))
    record_opinions(page, list(DEPARTMENTS.values()), reviewer="县委组织部 王审核")
    district.goto(f"{p}/")
    follow(district.locator("p.el-tabs").get_by_role("link", name="资格联审"))
    rereview(district)
    follow(district.get_by_role("link", name="32个环节").first)
    do_step(district, 14)
    do_step(district, 15, "other")
    shot("county-steps", district)

    # inspection list (16); final list, the township's approval and the public notice (17)
    page.goto(f"{p}/candidates/")
    for box in page.locator("input[name=ids]").all():
        box.check()
    click(page, "列入考察对象")
    follow(page.get_by_role("link", name="32个环节"))
    do_step(page, 16, "minutes")
    follow(page.get_by_role("link", name="推荐和候选人"))
    for box in page.locator("input[name=ids]").all():
        box.check()
    click(page, "确定为候选人预备人选")
    click(page, "乡镇批准候选人预备人选")
    click(page, "今天开始公示")
    page.get_by_role("link", name="公示页面").wait_for()
    shot("candidates")
    assert Candidate.objects.filter(project=election, status="approved").count() == 5
    follow(page.get_by_role("link", name="32个环节"))
    do_step(page, 17, "minutes", "notice")

    # step 18: the request and the township's reply generated from the project and attached to the step
    follow(page.get_by_role("link", name="请示与批复"))
    generate(page, 18, "请示")
    generate(page, 18, "批复")
    shot("papers")
    step18 = election.steps.get(template__number=18)
    assert set(step18.documents.values_list("kind", flat=True)) == {"request", "reply"}
    follow(page.get_by_role("link", name="32个环节"))
    mark_done(page, 18)

    # step 19: each one on the final list signs the discipline pledge (纪律承诺)
    follow(page.get_by_role("link", name="承诺"))
    options = page.locator("select[name=candidate] option").all_inner_texts()
    assert len(options) == 5
    for option in options:
        page.get_by_label("候选人预备人选").select_option(label=option)
        page.get_by_label("承诺类别").select_option("discipline")
        with submits(page, "纪律承诺"):
            page.get_by_role("button", name="保存承诺").click()
    assert page.locator("table.el-pledges .badge-ok").count() == 5
    shot("pledges")
    follow(page.get_by_role("link", name="32个环节"))
    do_step(page, 19, "other")
    phase_is(page, "大会选举")
    election.refresh_from_db()
    assert election.status == Phase.ELECTING

    # the congress: preparations (20), the meeting opened, attendance and scrutineers, the report (21-25)
    do_step(page, 20)
    follow(page.get_by_role("link", name="党员大会和计票"))
    click(page, "今天召开党员大会")
    for box in page.locator("#el-attendance input[name=present]").all():
        box.check()
    click(page, "保存到会情况")
    page.fill("input[name=scrutineers]", village[6].name)
    page.fill("input[name=counters]", village[7].name)
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator("form:has(input[name=scrutineers]) button").click()
    shot("meeting")
    follow(page.get_by_role("link", name="32个环节"))
    for number, kinds in [(21, ()), (22, ()), (23, ("minutes",)), (24, ()), (25, ())]:
        do_step(page, number, *kinds)

    # the committee ballot counted by totals: three elected of four
    follow(page.get_by_role("link", name="党员大会和计票"))
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
    page.goto(f"{p}/")
    do_step(page, 26, "minutes")

    # the township approves (批复): the roster takes the new committee
    follow(page.get_by_role("link", name="选举结果"))
    page.fill("input[name=note]", "同意选举结果")
    with submits(page, "已批复"):
        page.get_by_role("button", name="批复同意").click()
    shot("approved")

    # step 27: the village's report and the township's reply generated; the project moves on to 后续工作
    follow(page.get_by_role("link", name="请示与批复"))
    generate(page, 27, "请示")
    generate(page, 27, "批复")
    follow(page.get_by_role("link", name="32个环节"))
    mark_done(page, 27)
    phase_is(page, "后续工作")
    shot("steps-following-up")

    # then: the organization page shows the new committee; the old one has left office
    minutes_docx = docx_bytes("任期目标考核会议记录")
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
    election.refresh_from_db()
    assert election.status == Phase.FOLLOWING_UP
    assert election.steps.filter(done_on__isnull=False).count() == 27
    assert election.steps.filter(done_by=users.ds).count() == 3
    minutes = election.steps.get(template__number=7).documents.get()
    with minutes.file.open("rb") as f:  # the Word file as picked in the browser, stored whole
        assert (minutes.kind, minutes.original_name, f.read()) == ("minutes", "任期目标考核会议记录.docx", minutes_docx)


# --- Opening a batch ----------------------------------------------------------------------------------------


@pytest.fixture
def two_villages(tree, users, members, calendar_2026, media):
    """Village A1 and a second village of township A (seven full members), both terms ending within six months."""
    from organizations.services.tree import organization_create
    from tests.factories import MemberFactory

    second = organization_create(
        actor=None,
        parent=tree.township_a,
        code="T01-003",
        name="东湖村党支部",
        kind=OrgKind.BRANCH,
        field=OrgField.RURAL,
        check_permission=False,
    )
    MemberFactory.create_batch(7, organization=second)
    _expiring_term(users.ds, tree.village_a1)
    _expiring_term(users.ds, second)
    return tree.village_a1, second


def test_township_opens_a_batch_of_villages(page, live_server, two_villages, tree):
    # given: two villages of township A whose terms end within six months; the general branch has no term on file
    base = live_server.url
    shot = Shots(page, "election-batch")
    log_in(page, base, "ts_a")

    # when: from the township's home, the election board, the batch page with the expiring villages ticked
    follow(page.locator("main").get_by_role("link", name="换届选举", exact=True))
    page.get_by_role("heading", name=f"{tree.township_a.name} · 换届选举").wait_for()
    follow(page.get_by_role("link", name="批量启动换届"))
    for org in two_villages:
        assert page.get_by_label(f"选择{org.name}").is_checked()
    assert not page.get_by_label(f"选择{tree.general_a2.name}").is_checked()
    shot("batch")
    with submits(page, "已启动2个换届选举项目"):
        page.get_by_role("button", name="启动所选党组织的换届").click()

    # then: the board lists both projects, each with its 32 steps
    board = page.locator("table.el-board tbody")
    for org in two_villages:
        board.get_by_role("link", name=org.name).wait_for()
    shot("batch-board")
    projects = ElectionProject.objects.filter(organization__in=two_villages)
    assert projects.count() == 2 and all(p.steps.count() == 32 and p.status == Phase.PREPARING for p in projects)
