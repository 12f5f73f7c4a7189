"""The public notice page (公示): no login, open notices only, names and 初评等次 only, closed on time by its dates.

A notice that has not started, has ended or does not exist answers the same 404, so nothing about it leaks.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grading.models import Assessment
from grading.services import campaigns as services
from grading.services.notices import notice_publish
from grading.services.workflow import Action, transition
from tests.calendar_support import seed_test_calendar
from tests.grading.test_workflow import fill_and_submit, score

CLOSED_TEXT = "公示不在公示期内"


@pytest.fixture
def scored(users, tree):
    """Village A1 scored 90.0 (好) and ready to publish."""
    seed_test_calendar(2026)
    campaign = services.campaign_open(actor=users.ds, campaign=services.campaign_create(actor=users.ds, year=2026))
    a = Assessment.objects.select_related("organization", "campaign").get(
        campaign=campaign, organization=tree.village_a1
    )
    a = score(users.ts_a, fill_and_submit(users.sec_a1, a), Decimal("0.9"))
    return transition(actor=users.ts_a, assessment=a, action=Action.SCORE)


def publish(users, tree, a: Assessment, published_on: date):
    return notice_publish(
        actor=users.ts_a,
        campaign=a.campaign,
        township=tree.township_a,
        assessments=[a],
        title="东风镇分类定级初评结果公示",
        body="现予公示。",
        contact="镇党委组织办 0771-1234567",
        cap_reason="全镇仅一个支部评为好",
        published_on=published_on,
    )


def test_open_notice_is_public_and_shows_names_and_grades_only(client, users, tree, scored):
    notice = publish(users, tree, scored, timezone.localdate() - timedelta(days=1))
    response = client.get(reverse("grading_public:notice", args=[notice.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "东风镇分类定级初评结果公示" in html and "现予公示。" in html and "镇党委组织办 0771-1234567" in html
    assert f"{notice.starts_on:%Y年%-m月%-d日}" in html and f"{notice.ends_on:%Y年%-m月%-d日}" in html
    assert "东风村党支部" in html and "<td>好</td>" in html
    # no scores, no reasons, no people, no internal links
    for secret in ("90", "全镇仅一个支部评为好", "sec_a1", "ts_a", "/grading/", 'name="csrfmiddlewaretoken"'):
        assert secret not in html, secret
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_before_start_says_when_it_starts_and_nothing_else(client, users, tree, scored):
    today = timezone.localdate()
    not_yet = publish(users, tree, scored, today)  # runs from tomorrow
    response = client.get(reverse("grading_public:notice", args=[not_yet.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and "公示尚未开始" in html
    assert f"{not_yet.starts_on:%Y年%-m月%-d日}" in html and "尚未开始或已经结束" not in html
    assert "东风村党支部" not in html and not_yet.title not in html


def test_ended_and_missing_answer_the_same_404(client, users, tree, scored):
    ended = publish(users, tree, scored, timezone.localdate() - timedelta(days=30))
    response = client.get(reverse("grading_public:notice", args=[ended.pk]))
    assert response.status_code == 404 and CLOSED_TEXT in response.content.decode()
    assert "东风村党支部" not in response.content.decode() and ended.title not in response.content.decode()
    missing = client.get(reverse("grading_public:notice", args=[ended.pk + 100]))
    assert missing.status_code == 404 and missing.content == response.content


def test_notice_closes_on_its_end_date_without_any_worker(client, users, tree, scored, monkeypatch):
    notice = publish(users, tree, scored, date(2026, 4, 5))
    assert (notice.starts_on, notice.ends_on) == (date(2026, 4, 6), date(2026, 4, 8))  # D1
    url = reverse("grading_public:notice", args=[notice.pk])
    # before the start: 200 with the start date only; open: the notice; ended: 404
    expected = {date(2026, 4, 5): 200, date(2026, 4, 6): 200, date(2026, 4, 8): 200, date(2026, 4, 9): 404}
    for day, status in expected.items():
        monkeypatch.setattr(timezone, "localdate", lambda *args, day=day, **kw: day)
        response = client.get(url)
        assert response.status_code == status, day
        assert (notice.title in response.content.decode()) == (notice.starts_on <= day <= notice.ends_on)


def test_list_shows_open_notices_only(client, users, tree, scored, monkeypatch):
    notice = publish(users, tree, scored, date(2026, 4, 5))
    url = reverse("grading_public:notice_list")
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 4, 7))
    assert notice.title in client.get(url).content.decode()
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 4, 9))
    response = client.get(url)
    assert response.status_code == 200 and notice.title not in response.content.decode()
    assert "目前没有正在公示的内容" in response.content.decode()


def test_logged_in_users_see_the_same_public_page(client, users, tree, scored):
    notice = publish(users, tree, scored, timezone.localdate() - timedelta(days=1))
    client.force_login(users.ds)
    html = client.get(reverse("grading_public:notice", args=[notice.pk])).content.decode()
    assert "东风村党支部" in html and "90" not in html
