"""C5 at every stage that sets a grade, and widening only at the year-end review.

Source: 第一篇(分类定级方案)四、工作要求 2 "原则上评为“好”等级的党组织一般不能超过20%,年底复核评定时方可适当扩大
“好”等级党组织比例". The township's notice already checks the cap; the district's approval and its re-review of an
objection set grades too and must check it the same way (a written reason when the share is exceeded); the year's
settings cannot widen the share, only the year-end review can.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grading.models import Assessment, AssessmentStatus
from grading.services import campaigns as services
from grading.services.objections import objection_raise
from grading.services.workflow import Action, transition
from tests.calendar_support import seed_test_calendar
from tests.grading import test_district_pages as pages
from tests.grading.test_district_pages import client_for, to_district

pytestmark = pytest.mark.usefixtures("written_on")


@pytest.fixture
def campaign(users, tree):
    seed_test_calendar(2026)
    return services.campaign_open(actor=users.ds, campaign=services.campaign_create(actor=users.ds, year=2026))


@pytest.fixture
def sec_all(users, tree):
    return pages.sec_all.__wrapped__(users, tree)


S = AssessmentStatus


def test_plan_part1_4_2_district_raising_to_good_over_the_share_needs_a_reason(campaign, users, tree, sec_all):
    """第一篇 四.2: 乡镇 A grades 3 organizations, so 20% allows no 好; the district raising a 较好 to 好 (with a note
    for the change) is told the share and asked for a reason, as the township is when it publishes."""
    (a,) = to_district(campaign, users, sec_all, [tree.village_a1], ["0.85"])
    assert a.township_grade == "fairly_good"
    with pytest.raises(ValidationError, match="“好”等次") as refused:
        transition(actor=users.ds, assessment=a, action=Action.APPROVE, grade="good", note="实地考察表现突出")
    assert "理由" in refused.value.messages[0]
    assert Assessment.objects.get(pk=a.pk).status == S.WITH_DISTRICT
    a = transition(
        actor=users.ds,
        assessment=a,
        action=Action.APPROVE,
        grade="good",
        note="实地考察表现突出",
        cap_reason="经区委组织部部务会研究",
    )
    assert a.status == S.APPROVED and a.district_grade == "good"
    assert a.district_cap_reason == "经区委组织部部务会研究"


def test_plan_part1_4_2_district_keeping_a_grade_needs_no_cap_reason(campaign, users, tree, sec_all):
    """The cap asks for a reason only when a stage raises the count of 好 past the share."""
    (a,) = to_district(campaign, users, sec_all, [tree.village_a1], ["0.85"])
    a = transition(actor=users.ds, assessment=a, action=Action.APPROVE, grade="fairly_good")
    assert a.status == S.APPROVED and a.district_cap_reason == ""


def test_plan_part1_4_2_approval_page_asks_for_the_cap_reason(campaign, users, tree, sec_all):
    (a,) = to_district(campaign, users, sec_all, [tree.village_a1], ["0.85"])
    c = client_for(users.ds)
    url = reverse("grading:district_review", args=[campaign.pk])
    data = {"assessment": a.pk, f"a{a.pk}-grade": "good", f"a{a.pk}-note": "实地考察表现突出"}
    html = c.post(url, data).content.decode()
    assert "“好”等次" in html and "超出比例的理由" in html and "实地考察表现突出" in html
    assert Assessment.objects.get(pk=a.pk).status == S.WITH_DISTRICT
    c.post(url, {**data, f"a{a.pk}-cap_reason": "经部务会研究"})
    a.refresh_from_db()
    assert a.status == S.APPROVED and a.district_cap_reason == "经部务会研究"


def test_plan_part1_4_2_objection_upheld_to_good_over_the_share_needs_a_reason(campaign, users, tree, sec_all):
    (a,) = to_district(campaign, users, sec_all, [tree.village_a1], ["0.85"])
    a = transition(actor=users.ds, assessment=a, action=Action.APPROVE, grade="fairly_good", today=date(2026, 11, 27))
    objection_raise(actor=users.ts_a, assessment=a, content="应评为好", today=date(2026, 11, 28))
    with pytest.raises(ValidationError, match="“好”等次"):
        transition(
            actor=users.ds, assessment=a, action=Action.RESOLVE_OBJECTION, upheld=True, grade="good", note="复核"
        )
    a = transition(
        actor=users.ds,
        assessment=a,
        action=Action.RESOLVE_OBJECTION,
        upheld=True,
        grade="good",
        note="复核",
        cap_reason="异议材料属实",
    )
    assert a.status == S.FINAL and a.final_grade == "good" and a.district_cap_reason == "异议材料属实"


def test_plan_part1_4_2_the_years_settings_cannot_widen_the_share(users):
    """Widening is the year-end review's act ("年底复核评定时方可适当扩大"), not a setting changed at any time."""
    draft = services.campaign_create(actor=users.ds, year=2026)
    with pytest.raises(ValidationError, match="年底复核"):
        services.campaign_update(actor=users.ds, campaign=draft, good_cap_percent=Decimal(25))
    lower = services.campaign_update(actor=users.ds, campaign=draft, good_cap_percent=Decimal(15))
    assert lower.good_cap_percent == Decimal(15)


def test_plan_part1_4_2_settings_page_refuses_a_wider_share_in_words(users, tree):
    draft = services.campaign_create(actor=users.ds, year=2026)
    url = reverse("grading:campaign_detail", args=[draft.pk])
    data = {
        "title": "2026年度分类定级",
        "self_assessment_due": "2026-03-31",
        "township_review_due": "2026-04-10",
        "district_review_due": "2026-04-20",
        "regrade_request_due": "2026-12-10",
        "regrade_due": "2026-12-20",
        "notice_days": "3",
        "objection_working_days": "7",
        "good_cap_percent": "30",
    }
    response = client_for(users.ds).post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "只有年底复核评定时方可适当扩大" in html and 'value="30' in html
    draft.refresh_from_db()
    assert draft.good_cap_percent == Decimal(20)
