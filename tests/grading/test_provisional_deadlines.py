"""D3, provisional deadlines: a working-day window that crosses into a year whose holidays nobody has entered.

Source: the objection window is "7个工作日" (第一篇 三(一)3(2)); working days follow the official calendar, which is
published yearly (RULES.md D2, D3). Before the year is entered the district can still approve: the deadline is
computed on plain Monday–Friday weeks and marked 暂定 wherever it is shown, the district's home reminds it to enter
the year, and entering the year recomputes every 暂定 deadline, one audit event per deadline.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from core.calendar_services import calendar_year_enter
from core.models import Event
from grading.models import Assessment, AssessmentStatus
from grading.services import campaigns as services
from grading.services.workflow import Action, transition
from tests.calendar_support import seed_test_calendar
from tests.grading import test_district_pages as pages
from tests.grading.test_district_pages import client_for, to_district

pytestmark = pytest.mark.usefixtures("written_on")

S = AssessmentStatus
# Written on 2026-11-28: the test calendar covers 2025–2027, so 2028 is the year nobody has entered.
MISSING = 2028
LATE_DECEMBER = date(2027, 12, 28)  # a Tuesday: 7 working days run into 2028
WEEKDAYS_END = date(2028, 1, 6)  # 12-29, 12-30, 12-31, 01-03, 01-04, 01-05, 01-06 on plain Monday–Friday weeks


@pytest.fixture
def campaign(users, tree):
    seed_test_calendar(2026)
    return services.campaign_open(actor=users.ds, campaign=services.campaign_create(actor=users.ds, year=2026))


@pytest.fixture
def sec_all(users, tree):
    return pages.sec_all.__wrapped__(users, tree)


def test_rules_d3_approval_across_an_unentered_year_gets_a_provisional_deadline(campaign, users, tree, sec_all):
    (a,) = to_district(campaign, users, sec_all, [tree.village_a1], ["0.85"])
    a = transition(actor=users.ds, assessment=a, action=Action.APPROVE, today=LATE_DECEMBER)
    assert a.status == S.APPROVED
    assert (a.objection_due, a.objection_due_provisional) == (WEEKDAYS_END, True)


def test_rules_d3_entering_the_year_recomputes_every_provisional_deadline_with_an_event(campaign, users, tree, sec_all):
    a, b = to_district(campaign, users, sec_all, [tree.village_a1, tree.general_a2], ["0.85", "0.85"])
    a = transition(actor=users.ds, assessment=a, action=Action.APPROVE, today=LATE_DECEMBER)
    b = transition(actor=users.ds, assessment=b, action=Action.APPROVE, today=date(2027, 11, 1))
    assert not b.objection_due_provisional
    calendar_year_enter(actor=users.ds, year=MISSING, days=[(date(2028, 1, 3), False, "元旦")])
    a.refresh_from_db()
    assert (a.objection_due, a.objection_due_provisional) == (date(2028, 1, 7), False)
    event = Event.objects.get(verb="grading.objection_due_recompute", target_id=str(a.pk))
    assert event.before["objection_due"] == "2028-01-06" and event.after["objection_due"] == "2028-01-07"
    assert "暂定" in event.summary
    assert not Event.objects.filter(verb="grading.objection_due_recompute", target_id=str(b.pk)).exists()


def test_rules_d3_provisional_deadline_is_marked_and_the_district_is_reminded(
    campaign, users, tree, sec_all, monkeypatch
):
    """Late December of the last entered year: the district approves with the reason it typed, never a 500; the
    deadline reads 暂定 on the review page, the secretary's page and the township's; home says to enter 2028."""
    (a,) = to_district(campaign, users, sec_all, [tree.village_a1], ["0.85"])
    monkeypatch.setattr(timezone, "localdate", lambda *args: LATE_DECEMBER)
    c = client_for(users.ds)
    url = reverse("grading:district_review", args=[campaign.pk])
    page = c.get(url).content.decode()
    assert "暂定" in page and f"{MISSING}年" in page and reverse("core:calendar") in page
    data = {"assessment": a.pk, f"a{a.pk}-grade": "fairly_good", f"a{a.pk}-note": ""}
    done = c.post(url, data, follow=True).content.decode()
    a.refresh_from_db()
    assert a.status == S.APPROVED and a.objection_due_provisional
    assert "异议期至2028-01-06(暂定" in done
    home = c.get(reverse("home"), follow=True).content.decode()
    assert "录入节假日" in home and "暂定" in home
    calendar = reverse("core:calendar")
    assert f'href="{calendar}' in home  # the reminder links to where the year is entered
    assert c.get(calendar).status_code == 200
    for who in (users.sec_a1, users.ts_a):
        html = client_for(who).get(reverse("grading:assessment_object", args=[a.pk])).content.decode()
        assert "2028年1月6日" in html and "暂定" in html, who


def test_rules_d3_a_deadline_inside_entered_years_is_not_provisional(campaign, users, tree, sec_all):
    (a,) = to_district(campaign, users, sec_all, [tree.village_a1], ["0.85"])
    a = transition(actor=users.ds, assessment=a, action=Action.APPROVE, today=date(2026, 11, 27))
    assert not Assessment.objects.get(pk=a.pk).objection_due_provisional
