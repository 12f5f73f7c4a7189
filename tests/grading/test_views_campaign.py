"""District campaign pages: district staff only, Chinese, input kept on errors, no inline script or style."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from grading.models import Campaign, CampaignStatus, Item
from grading.services import campaigns as services
from organizations.models import OrgField
from tests.calendar_support import seed_test_calendar

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def campaign(users) -> Campaign:
    return services.campaign_create(actor=users.ds, year=2026)


def _urls(campaign: Campaign) -> list[tuple[str, str]]:
    template = campaign.templates.get(field="")
    dim = template.dimensions.first()
    item = dim.items.first()
    pk = campaign.pk
    return [
        ("get", reverse("grading:campaign_list")),
        ("post", reverse("grading:campaign_list")),
        ("get", reverse("grading:campaign_detail", args=[pk])),
        ("post", reverse("grading:campaign_detail", args=[pk])),
        ("post", reverse("grading:campaign_open", args=[pk])),
        ("post", reverse("grading:variant_add", args=[pk])),
        ("post", reverse("grading:variant_delete", args=[pk, template.pk])),
        ("get", reverse("grading:dimension_edit", args=[pk, dim.pk])),
        ("get", reverse("grading:item_add", args=[pk, dim.pk])),
        ("post", reverse("grading:item_add", args=[pk, dim.pk])),
        ("get", reverse("grading:item_edit", args=[pk, item.pk])),
        ("post", reverse("grading:item_delete", args=[pk, item.pk])),
    ]


@pytest.mark.parametrize("who", ["ts_a", "ts_b", "sec_a1", "liaison", "viewer_a", "nobody"])
def test_everyone_but_district_staff_gets_403(users, campaign, who) -> None:
    client = _client(getattr(users, who))
    for method, url in _urls(campaign):
        response = getattr(client, method)(url, {"year": 2027, "field": OrgField.RURAL})
        assert response.status_code == 403, (method, url)
    assert Campaign.objects.count() == 1
    assert campaign.templates.count() == 1
    assert Item.objects.filter(dimension__template__campaign=campaign).count() == 20


def test_anonymous_is_sent_to_login(campaign) -> None:
    for method, url in _urls(campaign):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_menu_entry_only_for_district_staff(users) -> None:
    url = reverse("grading:campaign_list")
    assert url in _client(users.ds).get(reverse("organizations:district_overview")).content.decode()
    assert f'href="{url}"' not in _client(users.ts_a).get(reverse("organizations:org_list")).content.decode()


def test_list_and_create(users) -> None:
    client = _client(users.ds)
    page = client.get(reverse("grading:campaign_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "分类定级年度工作" in html and "建立新年度" in html
    response = client.post(reverse("grading:campaign_list"), {"year": 2026})
    campaign = Campaign.objects.get(year=2026)
    assert response.status_code == 302
    assert response["Location"] == reverse("grading:campaign_detail", args=[campaign.pk])
    assert campaign.templates.count() == 1


def test_create_copying_last_year(users) -> None:
    last = services.campaign_create(actor=users.ds, year=2025)
    services.template_variant_create(actor=users.ds, campaign=last, field=OrgField.COMMUNITY)
    client = _client(users.ds)
    client.post(reverse("grading:campaign_list"), {"year": 2026, "copy_last_year": "on"})
    new = Campaign.objects.get(year=2026)
    assert sorted(new.templates.values_list("field", flat=True)) == ["", OrgField.COMMUNITY]


def test_copy_without_a_previous_year_keeps_input(users) -> None:
    response = _client(users.ds).post(reverse("grading:campaign_list"), {"year": 2030, "copy_last_year": "on"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2030年之前没有可复制的年度" in html
    assert 'value="2030"' in html
    assert not Campaign.objects.exists()


def test_duplicate_year_shows_error_and_keeps_input(users, campaign) -> None:
    response = _client(users.ds).post(reverse("grading:campaign_list"), {"year": 2026})
    assert response.status_code == 200
    assert "2026年度的分类定级工作已经建立" in response.content.decode()
    assert 'value="2026"' in response.content.decode()


def test_detail_renders_template_table_in_chinese(users, campaign) -> None:
    response = _client(users.ds).get(reverse("grading:campaign_detail", args=[campaign.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "时间节点与参数",
        "通用评分标准",
        "领导班子好",
        "群众反映好",
        "一票否决",
        "100分",
        "启动本年度分类定级",
    ):
        assert text in html
    assert 'badge-error">100' not in html
    assert "<script>" not in html and "style=" not in html
    assert 'data-confirm="确定启动' in html


def test_detail_total_red_when_not_100(users, campaign) -> None:
    dim = campaign.templates.get(field="").dimensions.first()
    services.template_item_save(actor=users.ds, dimension=dim, text="额外项", max_points=Decimal("0.5"))
    html = _client(users.ds).get(reverse("grading:campaign_detail", args=[campaign.pk])).content.decode()
    assert 'badge-error">100.5分' in html
    assert "评分标准合计应为100分,当前为100.5分" in html


def test_settings_save_and_error_keeps_input(users, campaign) -> None:
    client = _client(users.ds)
    url = reverse("grading:campaign_detail", args=[campaign.pk])
    data = {
        "title": "2026年度分类定级",
        "self_assessment_due": "2026-03-31",
        "township_review_due": "2026-03-01",
        "district_review_due": "2026-04-20",
        "regrade_request_due": "2026-12-10",
        "regrade_due": "2026-12-20",
        "notice_days": "5",
        "objection_working_days": "7",
        "good_cap_percent": "20",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "乡镇初审截止(2026-03-01)不能早于自查自评截止(2026-03-31)" in html
    assert 'value="2026-03-01"' in html and 'value="5"' in html
    campaign.refresh_from_db()
    assert campaign.notice_days == 3
    data["township_review_due"] = "2026-04-12"
    assert client.post(url, data).status_code == 302
    campaign.refresh_from_db()
    assert (campaign.notice_days, str(campaign.township_review_due)) == (5, "2026-04-12")


def test_item_add_edit_delete(users, campaign) -> None:
    client = _client(users.ds)
    dim = campaign.templates.get(field="").dimensions.get(name="工作业绩好")
    add = reverse("grading:item_add", args=[campaign.pk, dim.pk])
    assert "增加评分项目" in client.get(add).content.decode()
    response = client.post(add, {"text": "新增项", "guidance": "说明", "max_points": "2.5"})
    assert response.status_code == 302
    item = dim.items.get(text="新增项")
    assert item.max_points == Decimal("2.5")
    edit = reverse("grading:item_edit", args=[campaign.pk, item.pk])
    client.post(edit, {"order": item.order, "text": "改后项", "guidance": "", "max_points": "3"})
    item.refresh_from_db()
    assert (item.text, item.max_points) == ("改后项", 3)
    client.post(reverse("grading:item_delete", args=[campaign.pk, item.pk]))
    assert not Item.objects.filter(pk=item.pk).exists()


def test_item_error_keeps_input(users, campaign) -> None:
    dim = campaign.templates.get(field="").dimensions.first()
    response = _client(users.ds).post(
        reverse("grading:item_add", args=[campaign.pk, dim.pk]),
        {"text": "否决测试", "guidance": "我的说明", "max_points": "3", "is_veto": "on"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "一票否决项不计分,满分应为0分,当前为3分" in html
    assert 'value="否决测试"' in html and "我的说明" in html
    assert not dim.items.filter(text="否决测试").exists()


def test_item_of_another_campaign_is_404(users, campaign) -> None:
    other = services.campaign_create(actor=users.ds, year=2027)
    item = Item.objects.filter(dimension__template__campaign=other).first()
    response = _client(users.ds).get(reverse("grading:item_edit", args=[campaign.pk, item.pk]))
    assert response.status_code == 404


def test_variant_add_and_delete(users, campaign) -> None:
    client = _client(users.ds)
    client.post(reverse("grading:variant_add", args=[campaign.pk]), {"field": OrgField.RURAL})
    variant = campaign.templates.get(field=OrgField.RURAL)
    html = client.get(reverse("grading:campaign_detail", args=[campaign.pk])).content.decode()
    assert "农村领域评分标准" in html and "删除该领域标准" in html
    client.post(reverse("grading:variant_delete", args=[campaign.pk, variant.pk]))
    assert not campaign.templates.filter(field=OrgField.RURAL).exists()


def test_open_refused_with_c2_message_then_opened(users, campaign) -> None:
    client = _client(users.ds)
    dim = campaign.templates.get(field="").dimensions.get(name="群众反映好")
    item = dim.items.get(text="群众满意度测评")
    services.template_item_save(actor=users.ds, dimension=dim, item=item, text=item.text, max_points=Decimal(9))
    response = client.post(reverse("grading:campaign_open", args=[campaign.pk]), follow=True)
    assert "评分标准合计应为100分,当前为99分" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT

    services.template_item_save(actor=users.ds, dimension=dim, item=item, text=item.text, max_points=Decimal(10))
    response = client.post(reverse("grading:campaign_open", args=[campaign.pk]), follow=True)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN
    html = response.content.decode()
    assert "已启动" in html
    assert "增加项目" not in html and "启动本年度分类定级" not in html


def test_open_campaign_refuses_item_edit_through_the_page(users, campaign) -> None:
    services.campaign_open(actor=users.ds, campaign=campaign)
    item = Item.objects.filter(dimension__template__campaign=campaign).first()
    response = _client(users.ds).post(
        reverse("grading:item_edit", args=[campaign.pk, item.pk]),
        {"order": 1, "text": "改", "guidance": "", "max_points": "5"},
    )
    assert response.status_code == 200
    assert "评分标准不能再修改" in response.content.decode()
    item.refresh_from_db()
    assert item.text != "改"


def test_detail_query_count_does_not_grow_with_variants(users, campaign, django_assert_max_num_queries) -> None:
    client = _client(users.ds)
    url = reverse("grading:campaign_detail", args=[campaign.pk])
    client.get(url)
    for field in (OrgField.RURAL, OrgField.COMMUNITY, OrgField.SCHOOL):
        services.template_variant_create(actor=users.ds, campaign=campaign, field=field)
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200


def test_close_button_refuses_with_the_reason_then_closes(client, users, tree) -> None:

    from grading.models import Assessment, AssessmentStatus, CampaignStatus

    seed_test_calendar(2026)
    campaign = services.campaign_open(actor=users.ds, campaign=services.campaign_create(actor=users.ds, year=2026))
    client.force_login(users.ds)
    url = reverse("grading:campaign_close", args=[campaign.pk])
    page = client.post(url, follow=True).content.decode()
    assert "全部定级后才能结束" in page
    Assessment.objects.filter(campaign=campaign).update(status=AssessmentStatus.FINAL, final_grade="average")
    client.post(url)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED
    client.force_login(users.ts_a)
    assert client.post(url).status_code == 403
