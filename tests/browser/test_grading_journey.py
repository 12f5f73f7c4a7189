"""Issue 3 item 10: the whole grading journey for one township in a real browser.

The branch secretary fills 附件1–3 on a phone (autosave) and submits; the township scores 附件4, completes the
scoring and publishes a notice from its board; the clock moves (the notice's dates are moved into the past in the
database: no worker, no catch-up call from the test); the public page follows the dates; the township sees the
notice closed and submits to the district; the district approves; the organization page shows the grade.
Every role starts at its home after logging in and only clicks (no typed URL but the login page and the public notice).
Screenshots go to test-artifacts/grading-journey-*.png.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from grading.models import Assessment, AssessmentStatus, Item, Notice
from grading.services import campaigns as services
from tests.browser.test_login_journeys import ARTIFACTS, PHONE, log_in
from tests.calendar_support import seed_test_calendar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

S = AssessmentStatus
DESKTOP = {"width": 1280, "height": 900}
REPORT = {
    "basic_situation": "东风村党支部现有党员8名,支部委员3名,班子团结。",
    "self_building": "坚持“三会一课”,全年召开支部党员大会4次、支委会12次。",
    "role_played": "带领群众发展沃柑产业,集体经济收入增加3万元。",
    "problems": "年轻党员偏少,活动阵地简陋。",
    "measures": "下半年发展两名年轻党员,年底前建成活动室。",
}
# 附件2: attendees and ballots per category (good, fairly good, average, poor): 21 ballots
TALLY = {"leader": (1, 1, 0, 0, 0), "member": (8, 4, 3, 1, 0), "masses": (10, 3, 5, 2, 0), "deputies": (2, 0, 2, 0, 0)}


@pytest.fixture
def open_page(new_page) -> Callable[..., object]:
    return new_page


@pytest.fixture
def assessment(users, tree) -> Assessment:
    seed_test_calendar(2026)
    campaign = services.campaign_open(actor=users.ds, campaign=services.campaign_create(actor=users.ds, year=2026))
    return Assessment.objects.select_related("campaign").get(campaign=campaign, organization=tree.village_a1)


class Shots:
    def __init__(self) -> None:
        self.n = 0
        ARTIFACTS.mkdir(exist_ok=True)

    def __call__(self, page, name: str) -> None:
        self.n += 1
        page.screenshot(path=str(ARTIFACTS / f"grading-journey-{self.n:02d}-{name}.png"), full_page=True)


def wait_saved(page, pk: int, check: Callable[[Assessment], bool], timeout: float = 15) -> Assessment:
    """Until the autosave has reached the database and the page holds the new version (no save in flight)."""
    deadline = time.monotonic() + timeout
    while True:
        a = Assessment.objects.select_related("report", "meeting").get(pk=pk)
        if check(a) and page.input_value("#id_version") == str(a.version):
            return a
        assert time.monotonic() < deadline, "autosave did not reach the database"
        page.wait_for_timeout(200)


def tab(page, name: str) -> None:
    """One of the secretary's annex tabs (总览, 附件1–3) at the top of each annex page."""
    page.locator("nav.sa-tabs").get_by_role("link", name=name).click()
    page.wait_for_load_state("domcontentloaded")


def test_one_township_from_self_assessment_to_the_district_grade(open_page, live_server, users, tree, assessment):
    url, pk, shot = live_server.url, assessment.pk, Shots()
    items = list(Item.objects.filter(dimension__template=assessment.template, is_veto=False).order_by("pk"))

    # --- the branch secretary, on a phone: 附件1–3 autosave as they are typed, then submit -------------------
    secretary = open_page(PHONE)
    log_in(secretary, url, "sec_a1")  # home: the organization page
    secretary.get_by_role("link", name="填报自查自评").click()
    secretary.get_by_role("button", name="提交乡镇审核").wait_for()
    shot(secretary, "secretary-overview")

    tab(secretary, "附件1 自评报告")
    for name, text in REPORT.items():
        secretary.fill(f"#id_{name}", text)
    wait_saved(secretary, pk, lambda a: a.report.measures == REPORT["measures"])
    shot(secretary, "annex1")

    tab(secretary, "附件2 测评会")
    secretary.fill("#id_held_on", "2026-03-20")
    secretary.fill("#id_place", "东风村委会会议室")
    secretary.fill("#id_supervised_by", "韦国强")
    for category, counts in TALLY.items():
        for column, n in zip(("attendees", "good", "fairly_good", "average", "poor"), counts, strict=True):
            secretary.fill(f"#id_tally-{category}-{column}", str(n))
    a = wait_saved(secretary, pk, lambda a: sum(r.good + r.fairly_good + r.average for r in a.meeting.rows.all()) == 21)
    assert a.meeting.place == "东风村委会会议室"
    shot(secretary, "annex2")

    tab(secretary, "附件3 支委会自评")
    for item in items:
        secretary.fill(f"#id_item-{item.pk}", str(item.max_points - Decimal("0.5")))  # 91 in all
    secretary.select_option("#id_self_grade", "good")
    secretary.fill("#id_committee_met_on", "2026-03-25")
    secretary.fill("#id_committee_for", "3")
    secretary.fill("#id_committee_against", "0")
    secretary.fill("#id_committee_abstain", "0")
    assert secretary.text_content("[data-score-total]").strip() == "91"  # the live total
    a = wait_saved(secretary, pk, lambda a: a.self_score == Decimal("91") and a.committee_abstain == 0)
    assert a.self_grade == "good" and a.committee_for == 3
    shot(secretary, "annex3")

    tab(secretary, "总览")
    secretary.get_by_role("button", name="提交乡镇审核").click()
    secretary.get_by_text("已提交乡镇(街道)党(工)委审核").wait_for()
    shot(secretary, "submitted")
    assert Assessment.objects.get(pk=pk).status == S.SUBMITTED

    # --- the township: 附件4 beside the self-score and the tally, complete the scoring, publish ----------------
    township = open_page()
    log_in(township, url, "ts_a")  # home: the township page
    township.locator("nav.mainnav").get_by_role("link", name="分类定级").click()
    township.locator("tr", has_text="东风村党支部").get_by_role("link", name="评分").click()
    township.get_by_text("自评得分(附件3)").wait_for()
    for item in items:
        township.fill(f"#id_points_{item.pk}", str(item.max_points - 1))  # 82 in all: 较好 (C1)
    township.fill("#id_opinion", "经党委会议研究,同意初定为“较好”等次。")
    assert township.text_content("#gs-total").strip() == "82"
    assert township.text_content("#gs-band").strip() == "较好"
    shot(township, "township-scoring")
    township.get_by_role("button", name="完成评分").click()
    township.get_by_text("东风村党支部已完成评分").wait_for()
    a = Assessment.objects.get(pk=pk)
    assert (a.status, a.township_score, a.township_grade) == (S.SCORED, Decimal("82"), "fairly_good")

    township.check(f"input[name=ids][value='{pk}']")
    township.get_by_role("button", name="发布公示(勾选的已评分党组织)").click()
    township.fill("#id_contact", "东风镇党委组织办,电话 0771-4801111")
    shot(township, "publish-confirm")
    township.get_by_role("button", name="发布公示", exact=True).click()
    township.get_by_text("已发布公示").wait_for()
    notice = Notice.objects.get(assessments=pk)
    today = timezone.localdate()
    assert (notice.published_on, notice.starts_on) == (today, today + timedelta(days=1))  # D1
    shot(township, "notice-published")

    # --- the clock moves: the next day the notice is public, without login ------------------------------------
    public = open_page(PHONE)
    assert public.goto(f"{url}/public/notices/{notice.pk}/").status == 200  # not started yet: only its start date
    public.get_by_text("公示尚未开始").wait_for()
    assert "东风村党支部" not in public.text_content("main")
    Notice.objects.filter(pk=notice.pk).update(
        published_on=today - timedelta(days=1), starts_on=today, ends_on=today + timedelta(days=2)
    )
    assert public.goto(f"{url}/public/notices/{notice.pk}/").status == 200
    public.get_by_text("东风村党支部").wait_for()
    assert "82" not in public.text_content("main")  # the public sees grades, not scores
    shot(public, "public-notice-open")

    # --- and three days later it is over: closed by the dates alone -------------------------------------------
    Notice.objects.filter(pk=notice.pk).update(
        published_on=today - timedelta(days=5), starts_on=today - timedelta(days=4), ends_on=today - timedelta(days=2)
    )
    assert Assessment.objects.get(pk=pk).status == S.IN_NOTICE  # nobody ran anything
    assert public.goto(f"{url}/public/notices/{notice.pk}/").status == 404
    township.locator("nav.mainnav").get_by_role("link", name="分类定级").click()  # its board, a few days later
    township.locator("tr", has_text="东风村党支部").get_by_role("link", name="公示").click()
    township.get_by_text("公示期满").first.wait_for()
    shot(township, "notice-closed")
    township.get_by_role("button", name="报区委组织部审批(1个)").click()
    township.get_by_text("东风村党支部").first.wait_for()
    assert Assessment.objects.get(pk=pk).status == S.WITH_DISTRICT

    # --- the district approves on its review page ---------------------------------------------------------------
    district = open_page()
    log_in(district, url, "ds")  # home: the district overview
    district.get_by_role("link", name="分类定级审定").click()
    district.locator("nav").get_by_role("link", name="审定", exact=True).click()
    row = district.locator("tr", has_text="东风村党支部")
    shot(district, "district-review")
    row.get_by_role("button", name="审定", exact=True).click()
    district.get_by_text("东风村党支部审定为“较好”").wait_for()
    a = Assessment.objects.get(pk=pk)
    assert (a.status, a.district_grade) == (S.APPROVED, "fairly_good") and a.objection_due > today

    # --- the organization page shows the grade --------------------------------------------------------------------
    secretary.get_by_role("link", name="党建工作管理平台").click()  # back to the home: the organization page
    panel = secretary.locator(".gp-panel")
    panel.get_by_text("区委组织部审定").wait_for()
    assert "较好" in panel.text_content() and "已审定" in panel.text_content()
    shot(secretary, "organization-grade")
