"""Huge numbers and rule codes: every numeric field of the grading forms is bounded (a form error, never a 500), and
the messages a user reads name the rule in words, without the specification's codes such as "(C2)"."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from grading.models import Assessment, Item
from grading.rules import counting as counting_rules
from grading.rules import grades as grade_rules
from grading.services import campaigns as services
from tests.calendar_support import seed_test_calendar
from tests.grading.test_township_pages import score_post, scored, submitted

pytestmark = pytest.mark.django_db

HUGE = ["1e27", "1e309", "9" * 400, "-1e27"]
RULE_CODE = re.compile(r"[((][A-E]\d{1,2}\b|RULES")


@pytest.fixture
def campaign(users, tree):
    seed_test_calendar(2026)
    return services.campaign_open(actor=users.ds, campaign=services.campaign_create(actor=users.ds, year=2026))


@pytest.mark.parametrize("raw", HUGE)
def test_rules_refuse_huge_numbers_in_words(raw) -> None:
    with pytest.raises(grade_rules.RuleViolation) as exc:
        counting_rules.validate_item_score(Decimal(raw), Decimal("10"))
    assert not any(RULE_CODE.search(m) for m in exc.value.messages)
    with pytest.raises(grade_rules.RuleViolation):
        grade_rules.grade_for_score(Decimal(raw))


@pytest.mark.parametrize("raw", HUGE)
def test_township_scoring_refuses_huge_numbers_with_a_form_error(client, campaign, users, tree, raw) -> None:
    a = submitted(campaign, users, tree)
    item = Item.objects.filter(dimension__template=a.template, is_veto=False).first()
    client.force_login(users.ts_a)
    url = reverse("grading:township_score", args=[a.pk])
    response = client.post(url, score_post(a, "0.8", **{f"points_{item.pk}": raw, "opinion": "保留我的输入"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "保留我的输入" in html and "errorlist" in html
    assert Assessment.objects.get(pk=a.pk).township_score is None


@pytest.mark.parametrize("raw", HUGE)
def test_secretary_scores_refuse_huge_numbers(client, campaign, users, tree, raw) -> None:
    a = Assessment.objects.get(campaign=campaign, organization=tree.village_a1)
    item = Item.objects.filter(dimension__template=a.template, is_veto=False).first()
    client.force_login(users.sec_a1)
    url = reverse("grading:assessment_scores", args=[a.pk])
    response = client.post(url, {"version": a.version, f"item-{item.pk}": raw, "committee_for": raw})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert Assessment.objects.get(pk=a.pk).version == a.version


def test_versions_and_item_order_are_bounded(client, campaign, users, tree) -> None:
    a = submitted(campaign, users, tree)
    client.force_login(users.ts_a)
    response = client.post(reverse("grading:township_score", args=[a.pk]), score_post(a, "0.8", version="9" * 400))
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    draft = services.campaign_create(actor=users.ds, year=2027)
    item = Item.objects.filter(dimension__template__campaign=draft).first()
    client.force_login(users.ds)
    url = reverse("grading:item_edit", args=[draft.pk, item.pk])
    response = client.post(url, {"order": "9" * 30, "text": item.text, "max_points": "1e27"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_refusals_name_the_rule_in_words_not_by_code(client, campaign, users, tree) -> None:
    a = submitted(campaign, users, tree)
    client.force_login(users.ts_a)
    url = reverse("grading:township_score", args=[a.pk])
    html = client.post(url, score_post(a, "0.8", grade="good")).content.decode()
    assert "须写明理由" in html and not RULE_CODE.search(html)
    item = Item.objects.filter(dimension__template=a.template, is_veto=False).first()
    html = client.post(url, score_post(a, "0.8", **{f"points_{item.pk}": "99"})).content.decode()
    assert "超过该项满分" in html and not RULE_CODE.search(html)
    board = client.get(reverse("grading:township_board", args=[campaign.pk, tree.township_a.pk])).content.decode()
    assert not RULE_CODE.search(board)
    scored(users.ts_a, Assessment.objects.get(pk=a.pk), "0.8")
    publish = client.post(
        reverse("grading:notice_publish", args=[campaign.pk, tree.township_a.pk]), {"ids": [str(a.pk)]}
    ).content.decode()
    assert "自发布次日起算" in publish and not RULE_CODE.search(publish)


# --- Status phrases read as sentences ------------------------------------------------------------------------

DOUBLED = re.compile(r"已已|已公示中|已乡镇|已异议|已申请|已填报|已进行中|已筹备中|已公示期满")


def test_a_locked_scoring_page_reads_as_a_sentence(client, campaign, users, tree) -> None:
    a = submitted(campaign, users, tree)
    for status in ("in_notice", "approved", "final"):
        Assessment.objects.filter(pk=a.pk).update(status=status)
        client.force_login(users.ts_a)
        html = client.get(reverse("grading:township_score", args=[a.pk])).content.decode()
        assert "评分不能再修改" in html and not DOUBLED.search(html)


def test_campaign_refusals_read_as_sentences(users, campaign) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.campaign_open(actor=users.ds, campaign=campaign)
    assert exc.value.messages == ["2026年度分类定级当前为“进行中”,不能再次启动"]
