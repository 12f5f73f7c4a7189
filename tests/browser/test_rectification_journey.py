"""A township opens a case for a 后进支部 (graded 一般), adds a problem and a measure, reports it done with a photo,
asks for acceptance, and the district accepts it: the case closes and files the re-grade request with grading. The
district then re-grades the organization on grading's year-end page, and the organization page shows the new grade
and category (issue 4, "Done when": a case goes from problems to accepted in the browser, and its organization is
then re-graded)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from grading.models import Assessment, AssessmentStatus, GradeRecord, RegradeRequest
from grading.rules.grades import Category
from rectification.models import Case, CategoryAssignment, Evidence, RegradeStatus
from rectification.rules.cases import Phase
from rectification.services.categories import current_category
from tests.browser.test_login_journeys import PHONE, log_in
from tests.calendar_support import seed_test_calendar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def page(new_page) -> object:
    return new_page(PHONE)


def graded_average(users, org) -> Assessment:
    """A final 一般 for ``org`` through grading's own services (the subscriber makes it a 后进支部)."""
    from grading.models import Item
    from grading.services import campaigns as grading_services
    from grading.services.assessments import township_scores_save
    from grading.services.notices import notice_publish
    from grading.services.workflow import Action, catch_up, transition
    from tests.factories import UserFactory
    from tests.rectification.conftest import SHARE_FOR_GRADE, _submit

    seed_test_calendar(2026)
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    campaign = grading_services.campaign_open(
        actor=users.ds, campaign=grading_services.campaign_create(actor=users.ds, year=2026)
    )
    a = _submit(root, Assessment.objects.get(campaign=campaign, organization=org))
    items = Item.objects.filter(dimension__template=a.template, is_veto=False)
    share = SHARE_FOR_GRADE["average"]
    a = township_scores_save(
        actor=root,
        assessment=a,
        expected_version=a.version,
        item_scores={i.pk: ((i.max_points * share).quantize(Decimal("0.1")), "") for i in items},
    )
    a = transition(actor=root, assessment=a, action=Action.SCORE)
    township = type(org).objects.get(path=org.township_path())
    notice_publish(actor=root, campaign=campaign, township=township, assessments=[a], published_on=date(2026, 4, 5))
    catch_up(today=date(2026, 4, 20))
    a = transition(actor=root, assessment=Assessment.objects.get(pk=a.pk), action=Action.SUBMIT_TO_DISTRICT)
    transition(actor=root, assessment=a, action=Action.APPROVE, today=date(2026, 4, 21))
    catch_up(today=date(2026, 5, 10))  # the objection window passed: final (the event fires on commit)
    return Assessment.objects.get(pk=a.pk)


def test_township_opens_a_case_the_district_accepts_and_regrades(page, live_server, users, tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # given: village A1 graded 一般, hence a 后进支部
    assessment = graded_average(users, tree.village_a1)
    assert assessment.final_grade == "average" and current_category(tree.village_a1) == Category.LAGGING
    base = live_server.url

    # when: the township opens a case by hand
    log_in(page, base, "ts_a")
    page.goto(f"{base}/rectification/orgs/{tree.village_a1.pk}/")
    page.get_by_role("link", name="整顿立案").click()
    page.fill("#id_reason", "后进支部,乡镇党委研究决定立案整顿")
    page.get_by_role("button", name="立案").click()
    page.get_by_text("已为东风村党支部整顿立案").wait_for()
    case = Case.objects.get(organization=tree.village_a1)

    # a problem and its measure
    page.get_by_role("link", name="登记查摆问题").click()
    page.select_option("#id_category", "no_venue")
    page.select_option("#id_source", "self_check")
    page.fill("#id_description", "无固定活动场所")
    page.get_by_role("button", name="保存").click()
    page.fill("#id_text", "改造村部闲置用房为活动室")
    page.fill("#id_responsible", "张三")
    page.fill("#id_deadline", "2026-12-31")
    page.fill("#id_budget", "3.5")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("已制定整改措施").wait_for()

    # into 整顿提高, then the measure reported done with a photo
    page.get_by_role("button", name="完成查摆问题,进入整顿提高").click()
    page.get_by_text("已转入“整顿提高”").wait_for()
    page.get_by_role("link", name="报告整改进展").first.click()
    page.select_option("#id_measure", index=1)
    page.fill("#id_text", "活动室已改造完成并投入使用")
    page.fill("#id_percent", "100")
    page.set_input_files("#id_file", files=[{"name": "活动室.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_role("button", name="提交").click()
    page.get_by_text("已报告进展并上传佐证材料").wait_for()
    assert Evidence.objects.filter(case=case, original_name="活动室.png").exists()
    page.get_by_role("button", name="整改完成,申请检查验收").click()
    page.get_by_text("已转入“检查验收”").wait_for()

    # then: the district accepts (a 后进 case is the township's to accept; the district holds the same right)
    page.context.clear_cookies()
    log_in(page, base, "ds")
    page.goto(f"{base}/rectification/cases/{case.pk}/")
    page.get_by_role("link", name="检查验收").click()
    page.fill("#id_self_check", "对照整顿方案逐项落实")
    page.fill("#id_representatives_total", "30")
    page.fill("#id_satisfied", "26")
    page.fill("#id_basically_satisfied", "3")
    page.fill("#id_unsatisfied", "1")
    for key in ("report", "records", "site", "masses"):
        page.check(f"#id_{key}_passed")
    page.get_by_role("button", name="提交验收结果").click()
    page.get_by_text("整顿验收通过,已结案并申请重新评定等次").wait_for()

    case.refresh_from_db()
    assert case.phase == Phase.ACCEPTED and case.regrade_requested_at is not None
    assert page.get_by_text("活动室已改造完成并投入使用").count() >= 1
    # the closed case filed exactly one re-grade request with grading
    request = RegradeRequest.objects.get(assessment=assessment)
    assert case.regrade_status == RegradeStatus.FILED and case.regrade_request == request
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.REGRADE_REQUESTED
    page.get_by_text("已报区委组织部复核").first.wait_for()

    # --- the district re-grades on grading's year-end page, reached from the case ---------------------------------
    page.get_by_role("link", name="年底复核定级").click()
    article = page.locator("article", has_text="东风村党支部")
    article.get_by_text("整顿验收通过").wait_for()
    # item by item on the township's 附件4 template (prefilled with its scores): every item raised to 85 % of its
    # maximum, so the total lands in the 较好 band (C1)
    article.get_by_role("link", name="逐项复核评分").click()
    points = page.locator("input.gs-points")
    assert points.count() > 0 and points.first.input_value()  # prefilled from the township's scores
    for field in points.all():
        field.fill(str((Decimal(field.get_attribute("max")) * Decimal("0.85")).quantize(Decimal("0.1"))))
    page.fill("#id_opinion", "整顿验收通过,活动阵地建成,复核定为“较好”")
    page.get_by_role("button", name="复核定级").click()
    page.get_by_text("复核定级为“较好”").first.wait_for()
    assert "东风村党支部复核评分" in page.content()

    # --- the organization page shows the new grade and category, with the old ones in the history -----------------
    page.goto(f"{base}/orgs/{tree.village_a1.pk}/")
    grading_panel = page.locator(".gp-panel")
    grading_panel.get_by_text("年底复核定级").wait_for()
    assert "较好" in grading_panel.text_content() and "一般" in grading_panel.text_content()
    rc_panel = page.locator(".rc-panel")
    rc_panel.get_by_text("赶超支部").wait_for()
    a = Assessment.objects.get(pk=assessment.pk)
    assert (a.status, a.final_grade) == (AssessmentStatus.FINAL, "fairly_good")
    assert list(GradeRecord.objects.filter(assessment=a).values_list("grade", flat=True).order_by("pk"))[-1] == (
        "fairly_good"
    )
    assert list(
        CategoryAssignment.objects.filter(organization=tree.village_a1)
        .order_by("pk")
        .values_list("category", flat=True)
    ) == [Category.LAGGING, Category.CATCH_UP]
