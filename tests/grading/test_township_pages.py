"""The township's grading pages: board, 附件4 scoring, publishing a notice, the notice page, the 附件5 summary.

Role × page × scope, the rules as the pages apply them (C1 band and override, C5 cap, stale saves, return with a
reason), the notice closing by the clock with no worker, and constant query counts on the list pages.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grading.models import Assessment, AssessmentStatus, Item, Notice, Objection, ObjectionOutcome
from grading.services import campaigns as services
from grading.services.assessments import assessments_ensure
from grading.services.notices import notice_objection_record, notice_publish
from grading.services.workflow import Action, transition
from organizations.models import OrgKind
from organizations.services import tree as org_services
from tests.calendar_support import seed_test_calendar
from tests.factories import UserFactory
from tests.grading.test_workflow import fill_and_submit, score

S = AssessmentStatus
BUDGET = 15


@pytest.fixture
def campaign(users, tree):
    seed_test_calendar(2026)
    c = services.campaign_create(actor=users.ds, year=2026)
    return services.campaign_open(actor=users.ds, campaign=c)


@pytest.fixture
def admin(db):
    """Stands in for every branch secretary when a test needs many organizations submitted."""
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def a_of(campaign, org) -> Assessment:
    return Assessment.objects.select_related("organization", "campaign").get(campaign=campaign, organization=org)


def submitted(campaign, users, tree) -> Assessment:
    return fill_and_submit(users.sec_a1, a_of(campaign, tree.village_a1))


def scored(user, a: Assessment, share: str) -> Assessment:
    a = score(user, a, Decimal(share))
    return transition(actor=user, assessment=a, action=Action.SCORE)


def score_post(a: Assessment, share: str, **extra: str) -> dict[str, str]:
    """The scoring form as a browser sends it: every item at ``share`` of its maximum."""
    data = {"version": str(a.version), "grade": "", "override_reason": "", "opinion": "属实", "action": "save"}
    for item in Item.objects.filter(dimension__template=a.template):
        if not item.is_veto:
            data[f"points_{item.pk}"] = str((item.max_points * Decimal(share)).quantize(Decimal("0.1")))
        data[f"note_{item.pk}"] = ""
    data.update(extra)
    return data


def get_as(client, user, url: str):
    if user is not None:
        client.force_login(user)
    return client.get(url)


# --- Role × page × scope -------------------------------------------------------------------------------------

READERS = [("ts_a", 200), ("viewer_a", 200), ("ds", 200), ("ts_b", 404), ("sec_a1", 404), ("liaison", 404)]


@pytest.mark.parametrize("page", ["township_board", "township_summary"])
@pytest.mark.parametrize(("who", "expected"), READERS + [("nobody", 404)])
def test_board_and_summary_scope(client, campaign, users, tree, page, who, expected):
    url = reverse(f"grading:{page}", args=[campaign.pk, tree.township_a.pk])
    assert get_as(client, getattr(users, who), url).status_code == expected


@pytest.mark.parametrize("page", ["township_board", "township_summary", "township_current"])
def test_anonymous_goes_to_login(client, campaign, tree, page):
    args = [tree.township_a.pk] if page == "township_current" else [campaign.pk, tree.township_a.pk]
    response = client.get(reverse(f"grading:{page}", args=args))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_board_of_a_non_township_is_404(client, campaign, users, tree):
    url = reverse("grading:township_board", args=[campaign.pk, tree.village_a1.pk])
    assert get_as(client, users.ds, url).status_code == 404


def test_current_redirects_to_the_open_campaign(client, campaign, users, tree):
    response = get_as(client, users.ts_a, reverse("grading:township_current", args=[tree.township_a.pk]))
    assert response["Location"] == reverse("grading:township_board", args=[campaign.pk, tree.township_a.pk])
    assert get_as(client, users.ts_b, reverse("grading:township_current", args=[tree.township_a.pk])).status_code == 404


def test_current_without_campaign_is_a_friendly_page(client, users, tree):
    response = get_as(client, users.ts_a, reverse("grading:township_current", args=[tree.township_a.pk]))
    assert response.status_code == 200 and "尚未启动" in response.content.decode()


def test_township_page_links_to_grading(client, campaign, users, tree):
    response = get_as(client, users.ts_a, reverse("organizations:township", args=[tree.township_a.pk]))
    assert reverse("grading:township_current", args=[tree.township_a.pk]) in response.content.decode()


@pytest.mark.parametrize(
    ("who", "get_status", "post_status"),
    [
        ("ts_a", 200, 302),
        ("viewer_a", 200, 403),
        ("ds", 200, 403),
        ("sec_a1", 403, 403),
        ("ts_b", 404, 404),
        ("liaison", 404, 404),
    ],
)
def test_scoring_page_scope(client, campaign, users, tree, who, get_status, post_status):
    a = submitted(campaign, users, tree)
    url = reverse("grading:township_score", args=[a.pk])
    client.force_login(getattr(users, who))
    assert client.get(url).status_code == get_status
    assert client.post(url, score_post(a, "0.8")).status_code == post_status
    a.refresh_from_db()
    assert (a.township_score is not None) == (who == "ts_a")


def test_scoring_page_anonymous(client, campaign, users, tree):
    a = submitted(campaign, users, tree)
    response = client.post(reverse("grading:township_score", args=[a.pk]), score_post(a, "0.8"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_board_shows_the_rows_and_only_scorers_get_checkboxes(client, campaign, users, tree):
    a = scored(users.ts_a, submitted(campaign, users, tree), "0.8")
    body = get_as(client, users.ts_a, reverse("grading:township_board", args=[campaign.pk, tree.township_a.pk]))
    html = body.content.decode()
    assert "东风村党支部" in html and "南门社区党支部" not in html
    assert f'name="ids" value="{a.pk}"' in html and "<progress" in html
    viewer = get_as(client, users.viewer_a, reverse("grading:township_board", args=[campaign.pk, tree.township_a.pk]))
    assert 'name="ids"' not in viewer.content.decode() and "发布公示" not in viewer.content.decode()
    filtered = client.get(reverse("grading:township_board", args=[campaign.pk, tree.township_a.pk]) + "?status=draft")
    assert "东风村党支部" not in filtered.content.decode()


def test_board_marks_overdue_from_today(client, campaign, users, tree, monkeypatch):
    url = reverse("grading:township_board", args=[campaign.pk, tree.township_a.pk])
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: campaign.self_assessment_due)
    assert "自评逾期" not in get_as(client, users.ts_a, url).content.decode()
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: campaign.self_assessment_due + timedelta(days=1))
    assert "自评逾期" in client.get(url).content.decode()


# --- 附件4 scoring ------------------------------------------------------------------------------------------


def test_scoring_saves_and_computes_the_band(client, campaign, users, tree):
    a = submitted(campaign, users, tree)
    client.force_login(users.ts_a)
    url = reverse("grading:township_score", args=[a.pk])
    page = client.get(url).content.decode()
    assert "grading-scoring.js" in page and 'step="0.1"' in page and "自查自评报告(附件1)" in page
    response = client.post(url, score_post(a, "0.8"))
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.township_score == Decimal("80.0") and a.township_grade == "fairly_good" and a.status == S.SUBMITTED
    assert "80" in client.get(url).content.decode()


def test_override_without_reason_is_refused_with_the_c1_message(client, campaign, users, tree):
    a = submitted(campaign, users, tree)
    client.force_login(users.ts_a)
    url = reverse("grading:township_score", args=[a.pk])
    response = client.post(url, score_post(a, "0.8", grade="good", opinion="保留我的输入"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "得分80分对应“较好”,初定为“好”须写明理由" in html and "保留我的输入" in html
    a.refresh_from_db()
    assert a.township_grade == "" and a.township_score is None
    client.post(url, score_post(a, "0.8", grade="good", override_reason="群众评价突出"))
    a.refresh_from_db()
    assert a.township_grade == "good" and a.township_override_reason == "群众评价突出"


def test_stale_save_is_refused_and_nothing_is_overwritten(client, campaign, users, tree):
    a = submitted(campaign, users, tree)
    client.force_login(users.ts_a)
    url = reverse("grading:township_score", args=[a.pk])
    first = score_post(a, "0.8")
    second_tab = score_post(a, "0.9")
    assert client.post(url, first).status_code == 302
    response = client.post(url, second_tab)
    assert response.status_code == 200 and "为避免覆盖,本次修改未保存" in response.content.decode()
    a.refresh_from_db()
    assert a.township_score == Decimal("80.0")


def test_complete_scoring_and_incomplete_is_refused(client, campaign, users, tree):
    a = submitted(campaign, users, tree)
    client.force_login(users.ts_a)
    url = reverse("grading:township_score", args=[a.pk])
    partial = score_post(a, "0.8", action="score")
    first_item = next(k for k in partial if k.startswith("points_"))
    partial[first_item] = ""
    client.post(url, partial)
    a.refresh_from_db()
    assert a.status == S.SUBMITTED
    response = client.post(url, score_post(a, "0.8", action="score"))
    assert response["Location"] == reverse("grading:township_board", args=[campaign.pk, tree.township_a.pk])
    a.refresh_from_db()
    assert a.status == S.SCORED


def test_veto_forces_poor(client, campaign, users, tree):
    a = submitted(campaign, users, tree)
    veto = Item.objects.filter(dimension__template=a.template, is_veto=True).first()
    client.force_login(users.ts_a)
    client.post(reverse("grading:township_score", args=[a.pk]), score_post(a, "0.9", **{f"veto_{veto.pk}": "on"}))
    a.refresh_from_db()
    assert a.township_vetoed and a.township_grade == "poor" and a.township_score == Decimal("90.0")


def test_return_requires_a_reason(client, campaign, users, tree):
    a = submitted(campaign, users, tree)
    client.force_login(users.ts_a)
    url = reverse("grading:township_return", args=[a.pk])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200 and "退回时须写明原因" in response.content.decode()
    a.refresh_from_db()
    assert a.status == S.SUBMITTED
    client.force_login(users.sec_a1)
    assert client.post(url, {"reason": "票数有误"}).status_code == 403
    client.force_login(users.ts_a)
    assert client.post(url, {"reason": "票数有误"}).status_code == 302
    a.refresh_from_db()
    assert a.status == S.RETURNED and a.returned_reason == "票数有误"


# --- Publishing and the notice ------------------------------------------------------------------------------


@pytest.fixture
def ten(users, tree, admin):
    """Township A with 10 graded organizations (3 existing + 7 new), all scored: 3 好 (90) and 7 较好 (80)."""
    for i in range(7):
        org_services.organization_create(
            actor=users.ds, parent=tree.township_a, code=f"T01-1{i:02d}", name=f"新村{i}党支部", kind=OrgKind.BRANCH
        )
    seed_test_calendar(2026)
    c = services.campaign_open(actor=users.ds, campaign=services.campaign_create(actor=users.ds, year=2026))
    rows = list(
        Assessment.objects.filter(campaign=c, organization__path__startswith=tree.township_a.path).select_related(
            "organization", "campaign"
        )
    )
    assert len(rows) == 10
    done = [scored(users.ts_a, fill_and_submit(admin, a), "0.9" if n < 3 else "0.8") for n, a in enumerate(rows)]
    return c, done


def test_publish_refused_without_cap_reason_when_exceeded(client, users, tree, ten):
    campaign, rows = ten
    url = reverse("grading:notice_publish", args=[campaign.pk, tree.township_a.pk])
    ids = [str(a.pk) for a in rows]
    client.force_login(users.ts_a)
    confirm = client.post(url, {"ids": ids})
    html = confirm.content.decode()
    today = timezone.localdate()
    assert confirm.status_code == 200 and "全镇参评10个,“好”3个,上限2个" in html
    assert f"{(today + timedelta(days=1)):%Y年%-m月%-d日}" in html and 'name="cap_reason"' in html
    form = {"ids": ids, "confirm": "1", "title": "公示", "body": "", "contact": "镇党委 123"}
    refused = client.post(url, form)
    assert refused.status_code == 200 and "超过比例上限" in refused.content.decode()
    assert not Notice.objects.exists()
    published = client.post(url, {**form, "cap_reason": "经镇党委会议研究"})
    notice = Notice.objects.get()
    assert published["Location"] == reverse("grading:notice_detail", args=[notice.pk])
    assert set(Assessment.objects.filter(notice=notice).values_list("status", flat=True)) == {S.IN_NOTICE}
    assert Assessment.objects.filter(notice=notice, cap_exceed_reason="经镇党委会议研究").count() == 10


def test_publish_within_cap_needs_no_reason(client, users, tree, ten):
    campaign, rows = ten
    client.force_login(users.ts_a)
    url = reverse("grading:notice_publish", args=[campaign.pk, tree.township_a.pk])
    ids = [str(a.pk) for a in rows[1:]]  # 2 好 of 10: within the cap (C5)
    page = client.post(url, {"ids": ids}).content.decode()
    assert "全镇参评10个,“好”2个,上限2个" in page and 'name="cap_reason"' not in page
    client.post(url, {"ids": ids, "confirm": "1", "title": "公示", "contact": "镇党委 123"})
    assert Notice.objects.get().assessments.count() == 9


@pytest.mark.parametrize("who", ["viewer_a", "ds", "sec_a1"])
def test_only_the_township_publishes(client, users, tree, ten, who):
    campaign, rows = ten
    client.force_login(getattr(users, who))
    url = reverse("grading:notice_publish", args=[campaign.pk, tree.township_a.pk])
    expected = 404 if who == "sec_a1" else 403
    assert client.post(url, {"ids": [rows[0].pk], "confirm": "1", "contact": "x", "title": "t"}).status_code == expected
    assert not Notice.objects.exists()


def test_notice_closes_by_the_clock_and_objections_block_submission(client, users, tree, ten):
    campaign, rows = ten
    today = timezone.localdate()
    notice = notice_publish(
        actor=users.ts_a,
        campaign=campaign,
        township=tree.township_a,
        assessments=rows[3:5],
        contact="镇党委",
        published_on=today - timedelta(days=10),
    )
    objection = notice_objection_record(
        actor=users.ts_a,
        assessment=Assessment.objects.select_related("organization", "notice").get(pk=rows[3].pk),
        raised_by_name="群众甲",
        content="有意见",
        raised_on=notice.starts_on,
    )
    # No worker ran: the page itself finds the notice over.
    assert Assessment.objects.get(pk=rows[3].pk).status == S.IN_NOTICE
    client.force_login(users.ts_a)
    url = reverse("grading:notice_detail", args=[notice.pk])
    html = client.get(url).content.decode()
    assert "已结束" in html and "报区委组织部审批" in html
    # and writes nothing (issue 15 §5): the stored status moves with the sweep or the next transition
    assert set(Assessment.objects.filter(notice=notice).values_list("status", flat=True)) == {S.IN_NOTICE}

    response = client.post(reverse("grading:notice_submit", args=[notice.pk]), follow=True)
    assert "异议尚未答复" in response.content.decode()
    assert Assessment.objects.get(pk=rows[3].pk).status == S.NOTICE_CLOSED
    assert Assessment.objects.get(pk=rows[4].pk).status == S.WITH_DISTRICT  # its own notice had no objection

    answer_url = reverse("grading:notice_objection_answer", args=[notice.pk, objection.pk])
    blank = client.post(answer_url, {"upheld": "0", "answer": ""})
    assert blank.status_code == 200 and "请填写答复意见" in blank.content.decode()
    client.post(answer_url, {"upheld": "0", "answer": "经核实不成立"})
    assert Objection.objects.get(pk=objection.pk).outcome == ObjectionOutcome.REJECTED
    client.post(reverse("grading:notice_submit", args=[notice.pk]))
    assert Assessment.objects.get(pk=rows[3].pk).status == S.WITH_DISTRICT


def test_objection_recorded_during_an_open_notice(client, users, tree, ten):
    campaign, rows = ten
    today = timezone.localdate()
    notice = notice_publish(
        actor=users.ts_a,
        campaign=campaign,
        township=tree.township_a,
        assessments=rows[3:5],
        contact="镇党委",
        published_on=today - timedelta(days=1),
    )
    url = reverse("grading:notice_objection_record", args=[notice.pk])
    data = {"assessment": rows[4].pk, "raised_by_name": "党员乙", "content": "评分偏高", "raised_on": today.isoformat()}
    client.force_login(users.viewer_a)
    assert client.get(reverse("grading:notice_detail", args=[notice.pk])).status_code == 200
    assert client.post(url, data).status_code == 403
    client.force_login(users.ts_b)
    assert client.get(reverse("grading:notice_detail", args=[notice.pk])).status_code == 404
    client.force_login(users.ts_a)
    page = client.get(reverse("grading:notice_detail", args=[notice.pk])).content.decode()
    assert "公示中" in page and reverse("grading_public:notice", args=[notice.pk]) in page
    future = client.post(url, {**data, "raised_on": (today + timedelta(days=1)).isoformat()})
    assert "提出日期不能晚于今天" in future.content.decode()
    assert client.post(url, data).status_code == 302
    assert Objection.objects.get().raised_by_name == "党员乙"


@pytest.mark.parametrize(("who", "expected"), [("sec_a1", 404), ("liaison", 404), ("ds", 200), (None, 302)])
def test_notice_page_scope(client, users, tree, ten, who, expected):
    campaign, rows = ten
    notice = notice_publish(
        actor=users.ts_a, campaign=campaign, township=tree.township_a, assessments=rows[3:4], contact="镇党委"
    )
    user = getattr(users, who) if who else None
    assert get_as(client, user, reverse("grading:notice_detail", args=[notice.pk])).status_code == expected


# --- 附件5 summary ------------------------------------------------------------------------------------------


def test_summary_ranks_and_shares(client, users, tree, ten):
    campaign, rows = ten
    html = get_as(client, users.ts_a, reverse("grading:township_summary", args=[campaign.pk, tree.township_a.pk]))
    text = html.content.decode()
    assert "全镇参评10个,初定“好”3个,上限2个" in text and "占已评30%" in text and "占已评70%" in text
    summary = html.context["summary"]
    assert [r.rank for r in summary.rows] == [1, 1, 1, 4, 4, 4, 4, 4, 4, 4]
    assert [r.assessment.township_grade for r in summary.rows][:3] == ["good"] * 3


# --- Query budgets ------------------------------------------------------------------------------------------


def grow(campaign, users, tree, n: int, tag: str) -> None:
    for i in range(n):
        org_services.organization_create(
            actor=users.ds, parent=tree.township_a, code=f"T01-{tag}{i:02d}", name=f"测试{tag}{i}", kind=OrgKind.BRANCH
        )
    assessments_ensure(campaign)


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["township_board", "township_summary"])
def test_list_pages_query_count_is_constant(client, campaign, users, tree, page):
    client.force_login(users.ts_a)
    url = reverse(f"grading:{page}", args=[campaign.pk, tree.township_a.pk])
    scored(users.ts_a, submitted(campaign, users, tree), "0.9")
    grow(campaign, users, tree, 3, "a")
    small = count(client, url)
    grow(campaign, users, tree, 12, "b")
    large = count(client, url)
    assert large == small, f"{page}: {small} queries with 6 organizations, {large} with 18"
    assert large <= BUDGET, f"{page}: {large} queries, budget {BUDGET}"


def test_a_batch_published_today_is_awaiting_its_notice_until_tomorrow(client, users, tree, ten, monkeypatch):
    """D1: the notice runs from the day after publication; until then the board and the notice page say 待公示."""
    campaign, rows = ten
    today = timezone.localdate()
    notice = notice_publish(
        actor=users.ts_a, campaign=campaign, township=tree.township_a, assessments=rows[3:5], contact="镇党委"
    )
    assert notice.starts_on > today
    client.force_login(users.ts_a)
    board_url = reverse("grading:township_board", args=[campaign.pk, tree.township_a.pk])
    notice_url = reverse("grading:notice_detail", args=[notice.pk])
    board = client.get(board_url).content.decode()
    assert f"待公示({notice.starts_on:%m-%d}起)" in board and ">公示中<" not in board
    assert ">待公示<" in client.get(notice_url).content.decode()
    monkeypatch.setattr(timezone, "localdate", lambda *args: notice.starts_on)
    assert ">公示中<" in client.get(board_url).content.decode()
    page = client.get(notice_url).content.decode()
    assert ">待公示<" not in page and ">公示中<" in page
