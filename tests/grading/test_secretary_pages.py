"""The branch secretary's pages (附件1–3, overview, submit) and the organization page's grading panel.

Role × scope: the own secretary reads and writes; a secretary elsewhere gets 404; township and district staff read
(200) but may not write (403); anonymous visitors are sent to the login page.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grading.models import Assessment, AssessmentStatus, Dimension, GradeRecord, Item, ScoreLevel
from grading.services import campaigns as services
from grading.services.assessments import self_assessment_save
from grading.services.workflow import Action, transition
from tests.calendar_support import seed_test_calendar

pytestmark = pytest.mark.django_db

PAGES = ("assessment_detail", "assessment_report", "assessment_meeting", "assessment_scores")
FORMS = ("assessment_report", "assessment_meeting", "assessment_scores")
REPORT = {
    "basic_situation": "支部现有党员32名",
    "self_building": "三会一课按时开展",
    "role_played": "带领群众发展产业",
    "problems": "年轻党员偏少",
    "measures": "加强发展党员工作",
}
HTMX = {"HTTP_HX_REQUEST": "true"}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def campaign(users, tree):
    seed_test_calendar(2026)
    c = services.campaign_create(actor=users.ds, year=2026)
    return services.campaign_open(actor=users.ds, campaign=c)


@pytest.fixture
def a1(campaign, tree) -> Assessment:
    return Assessment.objects.select_related("organization", "campaign").get(
        campaign=campaign, organization=tree.village_a1
    )


def _fresh(a: Assessment) -> Assessment:
    return Assessment.objects.select_related("organization", "campaign", "report").get(pk=a.pk)


def _fill(user, a: Assessment) -> Assessment:
    items = Item.objects.filter(dimension__template=a.template, is_veto=False)
    return self_assessment_save(
        actor=user,
        assessment=a,
        expected_version=a.version,
        report=REPORT,
        meeting={"held_on": date(2026, 3, 20), "place": "村委会"},
        tally={"member": {"attendees": 10, "good": 6, "fairly_good": 3, "average": 1, "poor": 0}},
        item_scores={i.pk: (i.max_points, "") for i in items},
        committee={
            "self_grade": "good",
            "committee_met_on": date(2026, 3, 25),
            "committee_for": 5,
            "committee_against": 0,
            "committee_abstain": 0,
        },
    )


def _url(name: str, a: Assessment) -> str:
    return reverse(f"grading:{name}", args=[a.pk])


# --- Role × scope ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_own_secretary_reads_every_page(users, a1, page) -> None:
    response = _client(users.sec_a1).get(_url(page, a1))
    assert response.status_code == 200
    assert "东风村党支部" in response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_secretary_of_another_org_gets_404(users, a1, page) -> None:
    assert _client(users.sec_b1).get(_url(page, a1)).status_code == 404
    assert _client(users.ts_b).get(_url(page, a1)).status_code == 404


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["ts_a", "ds", "viewer_a"])
def test_township_and_district_read_only(users, a1, page, who) -> None:
    response = _client(getattr(users, who)).get(_url(page, a1))
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-autosave" not in html and "<textarea" not in html
    assert "提交乡镇审核" not in html  # no dead buttons


@pytest.mark.parametrize("page", (*FORMS, "assessment_submit"))
@pytest.mark.parametrize("who", ["ts_a", "ds"])
def test_township_and_district_may_not_write(users, a1, page, who) -> None:
    response = _client(getattr(users, who)).post(_url(page, a1), {"version": a1.version, **REPORT})
    assert response.status_code == 403
    assert _fresh(a1).version == a1.version


@pytest.mark.parametrize("page", (*PAGES, "assessment_submit"))
def test_anonymous_is_sent_to_login(a1, page) -> None:
    response = Client().get(_url(page, a1))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_secretary_of_another_org_cannot_post(users, a1) -> None:
    response = _client(users.sec_b1).post(_url("assessment_report", a1), {"version": a1.version, **REPORT})
    assert response.status_code == 404


# --- Autosave and stale saves ---------------------------------------------------------------------------------


def test_autosave_updates_data_and_version(users, a1) -> None:
    response = _client(users.sec_a1).post(_url("assessment_report", a1), {"version": a1.version, **REPORT}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and response["X-Autosave"] == "ok"
    assert "已自动保存" in html
    saved = _fresh(a1)
    assert saved.version == a1.version + 1 and saved.report.problems == "年轻党员偏少"
    assert f'value="{saved.version}"' in html and 'hx-swap-oob="true"' in html


def test_stale_autosave_is_refused_and_keeps_newer_data(users, a1) -> None:
    client = _client(users.sec_a1)
    seen = a1.version
    client.post(_url("assessment_report", a1), {"version": seen, **REPORT}, **HTMX)  # first tab
    response = client.post(_url("assessment_report", a1), {"version": seen, **REPORT, "problems": "旧页面"}, **HTMX)
    html = response.content.decode()
    assert response["X-Autosave"] == "refused"
    assert "为避免覆盖,本次修改未保存" in html and "sa-status-error" in html
    assert "hx-swap-oob" not in html  # the stale page keeps its old version: it can never overwrite
    assert _fresh(a1).report.problems == "年轻党员偏少"


def test_stale_full_save_shows_message_and_keeps_typed_text(users, a1) -> None:
    client = _client(users.sec_a1)
    client.post(_url("assessment_report", a1), {"version": a1.version, **REPORT})
    response = client.post(_url("assessment_report", a1), {"version": a1.version, **REPORT, "measures": "我刚写的"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "本次修改尚未保存" in html and "我刚写的" in html
    assert "两个版本的不同之处" in html and "保留我的版本并保存" in html and "加强发展党员工作" in html
    assert _fresh(a1).report.measures == "加强发展党员工作"
    # keeping mine: the page now carries the current version
    current = _fresh(a1).version
    assert f'name="version" value="{current}"' in html
    client.post(_url("assessment_report", a1), {"version": current, **REPORT, "measures": "我刚写的"})
    assert _fresh(a1).report.measures == "我刚写的"


def test_full_save_without_js_redirects_with_message(users, a1) -> None:
    response = _client(users.sec_a1).post(_url("assessment_report", a1), {"version": a1.version, **REPORT}, follow=True)
    assert "附件1 自查自评报告已保存" in response.content.decode()


def test_meeting_form_saves_tally_and_shows_totals(users, a1) -> None:
    data = {"version": a1.version, "held_on": "2026-03-20", "place": "村部", "supervised_by": "王镇长"}
    data.update({"tally-member-attendees": 20, "tally-member-good": 12, "tally-member-fairly_good": 6})
    data.update({"tally-leader-attendees": 1, "tally-leader-good": 1})
    client = _client(users.sec_a1)
    assert client.post(_url("assessment_meeting", a1), data).status_code == 302
    html = client.get(_url("assessment_meeting", a1)).content.decode()
    assert 'data-total="ballots">19<' in html and "68.4%" in html  # 13 of 19 好


def test_tally_above_attendees_is_refused_naming_annex_2(users, a1) -> None:
    data = {"version": a1.version, "tally-masses-attendees": 5, "tally-masses-good": 6}
    response = _client(users.sec_a1).post(_url("assessment_meeting", a1), data, **HTMX)
    html = response.content.decode()
    assert "附件2" in html and "群众代表" in html and "多于参会人数" in html
    assert _fresh(a1).version == a1.version


def test_scores_form_saves_items_total_and_vote(users, a1) -> None:
    items = list(Item.objects.filter(dimension__template=a1.template, is_veto=False))
    data = {"version": a1.version, f"item-{items[0].pk}": "4.5", "self_grade": "fairly_good"}
    data.update({"committee_met_on": "2026-03-25", "committee_for": 5, "committee_against": 1, "committee_abstain": 0})
    response = _client(users.sec_a1).post(_url("assessment_scores", a1), data, **HTMX)
    assert response["X-Autosave"] == "ok"
    saved = _fresh(a1)
    assert saved.self_score == Decimal("4.5") and saved.self_grade == "fairly_good" and saved.committee_for == 5
    assert saved.item_scores.get(item=items[0], level=ScoreLevel.SELF).points == Decimal("4.5")


def test_scores_form_refuses_item_above_its_maximum(users, a1) -> None:
    item = Item.objects.filter(dimension__template=a1.template, is_veto=False).first()
    over = item.max_points + 1
    response = _client(users.sec_a1).post(
        _url("assessment_scores", a1), {"version": a1.version, f"item-{item.pk}": over}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "errorlist" in html and f'value="{over}"' in html
    assert _fresh(a1).version == a1.version


def test_scores_page_shows_max_points_and_veto_items_as_info(users, a1) -> None:
    html = _client(users.sec_a1).get(_url("assessment_scores", a1)).content.decode()
    veto = Item.objects.filter(dimension__template=a1.template, is_veto=True).first()
    assert 'step="0.1"' in html and 'data-bands="90:good,80:fairly_good,60:average,0:poor"' in html
    if veto is not None:
        assert veto.text in html and f'name="item-{veto.pk}"' not in html


# --- Submit -------------------------------------------------------------------------------------------------


def test_submit_with_missing_parts_shows_the_problems(users, a1) -> None:
    client = _client(users.sec_a1)
    detail = client.get(_url("assessment_detail", a1)).content.decode()
    assert "附件1自查自评报告还缺" in detail
    assert 'data-confirm="提交后将锁定,不能再修改,确定提交吗?"' in detail
    response = client.post(_url("assessment_submit", a1), follow=True)
    assert "附件1自查自评报告还缺" in response.content.decode()
    assert _fresh(a1).status == AssessmentStatus.DRAFT


def test_submit_locks_and_later_posts_are_refused(users, a1) -> None:
    a = _fill(users.sec_a1, a1)
    client = _client(users.sec_a1)
    response = client.post(_url("assessment_submit", a), follow=True)
    assert "已提交乡镇" in response.content.decode()
    a = _fresh(a)
    assert a.status == AssessmentStatus.SUBMITTED
    html = client.get(_url("assessment_report", a)).content.decode()
    assert "<textarea" not in html and "材料已提交锁定" in html
    response = client.post(_url("assessment_report", a), {"version": a.version, **REPORT, "problems": "改"}, **HTMX)
    assert "已锁定" in response.content.decode() and response["X-Autosave"] == "refused"
    assert _fresh(a).report.problems == "年轻党员偏少"
    assert "提交乡镇审核" not in client.get(_url("assessment_detail", a)).content.decode()


def test_returned_reason_is_shown_and_editing_reopens(users, a1) -> None:
    a = transition(actor=users.sec_a1, assessment=_fill(users.sec_a1, a1), action=Action.SUBMIT)
    transition(actor=users.ts_a, assessment=a, action=Action.RETURN, note="测评票数有误")
    html = _client(users.sec_a1).get(_url("assessment_detail", a)).content.decode()
    assert "测评票数有误" in html and "提交乡镇审核" in html


def test_overdue_mark_after_the_deadline(users, a1) -> None:
    a1.campaign.self_assessment_due = date(2020, 3, 31)
    a1.campaign.save(update_fields=["self_assessment_due"])
    html = _client(users.sec_a1).get(_url("assessment_detail", a1)).content.decode()
    assert "逾期" in html


# --- Layout and queries -----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_pages_have_phone_layout_and_no_inline_script_or_style(users, a1, page) -> None:
    html = _client(users.sec_a1).get(_url(page, a1)).content.decode()
    assert "data-label=" in html or page == "assessment_report"
    assert "style=" not in html and "<script>" not in html


def _detail_queries(client: Client, a: Assessment) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(_url("assessment_detail", a)).status_code == 200
    return len(ctx.captured_queries)


def test_detail_query_count_constant_as_template_grows(users, a1) -> None:
    client = _client(users.sec_a1)
    a = _fill(users.sec_a1, a1)
    before = _detail_queries(client, a)
    for dim in Dimension.objects.filter(template=a.template):
        for n in range(3):
            Item.objects.create(dimension=dim, order=50 + n, text=f"新增项目{n}", max_points=Decimal("1"))
    _fill(users.sec_a1, _fresh(a))
    assert _detail_queries(client, _fresh(a)) == before


# --- The organization page's panel ----------------------------------------------------------------------------


def test_org_panel_call_to_action_for_the_secretary(users, a1, tree) -> None:
    html = _client(users.sec_a1).get(reverse("organizations:org_detail", args=[tree.village_a1.pk])).content.decode()
    assert "填报自查自评" in html and _url("assessment_detail", a1) in html


def test_org_panel_read_link_and_history_for_township(users, a1, tree) -> None:
    GradeRecord.objects.create(
        organization=tree.village_a1, assessment=a1, year=2025, stage="区委组织部审定", grade="good", score=92
    )
    html = _client(users.ts_a).get(reverse("organizations:org_detail", args=[tree.village_a1.pk])).content.decode()
    assert "填报自查自评" not in html and "查看本年度分类定级" in html
    assert "历年等次" in html and "2025" in html and "区委组织部审定" in html


def test_org_panel_adds_at_most_two_queries(users, tree, campaign) -> None:
    from grading.selectors.panel import grading_panel
    from organizations.scope import grants_for

    grants_for(users.sec_a1)  # the page has read the user's grants already (cached per request)
    with CaptureQueriesContext(connection) as ctx:
        grading_panel(users.sec_a1, tree.village_a1)
    assert len(ctx.captured_queries) <= 2


def test_assessment_page_shows_its_timeline(users, a1) -> None:
    a = _fill(users.sec_a1, a1)
    transition(actor=users.sec_a1, assessment=a, action=Action.SUBMIT)
    transition(actor=users.ts_a, assessment=_fresh(a), action=Action.RETURN, note="测评票数有误")
    body = _client(users.sec_a1).get(_url("assessment_detail", a)).content.decode()
    assert "操作记录" in body and "测评票数有误" in body and "提交自查自评" in body


def test_panel_shows_final_once_the_objection_window_has_passed(users, a1) -> None:
    from datetime import date

    from grading.selectors.panel import grading_panel

    Assessment.objects.filter(pk=a1.pk).update(
        status=AssessmentStatus.APPROVED, district_grade="good", objection_due=date(2026, 1, 5)
    )
    panel = grading_panel(users.sec_a1, a1.organization)
    assert panel.status_label == "已定级(好)"
