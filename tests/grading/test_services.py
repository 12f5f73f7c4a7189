"""grading.services: campaigns and templates, district staff only, frozen once open, audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import Event
from grading.models import Campaign, CampaignStatus, Dimension, Item, ScoringTemplate
from grading.services import campaigns as services
from organizations.models import OrgField
from tests.calendar_support import seed_test_calendar

pytestmark = pytest.mark.django_db


def _total(template: ScoringTemplate) -> Decimal:
    return sum((i.max_points for i in Item.objects.filter(dimension__template=template, is_veto=False)), Decimal(0))


def _default(campaign: Campaign) -> ScoringTemplate:
    return campaign.templates.get(field="")


def test_create_with_defaults(users, tree) -> None:
    campaign = services.campaign_create(actor=users.ds, year=2026)
    assert campaign.status == CampaignStatus.DRAFT
    assert campaign.title == "2026年度基层党组织分类定级"
    assert (campaign.self_assessment_due, campaign.township_review_due, campaign.district_review_due) == (
        date(2026, 3, 31),
        date(2026, 4, 10),
        date(2026, 4, 20),
    )
    assert (campaign.regrade_request_due, campaign.regrade_due) == (date(2026, 12, 10), date(2026, 12, 20))
    assert (campaign.notice_days, campaign.objection_working_days, campaign.good_cap_percent) == (3, 7, Decimal(20))
    assert campaign.created_by == users.ds
    event = Event.objects.get(verb="grading.campaign_create")
    assert event.org_path == tree.district.path
    assert event.actor == users.ds


def test_default_template_five_dimensions_of_20_summing_to_100(users) -> None:
    template = _default(services.campaign_create(actor=users.ds, year=2026))
    dims = list(template.dimensions.all())
    assert [d.name for d in dims] == ["领导班子好", "党员队伍好", "工作机制好", "工作业绩好", "群众反映好"]
    for dim in dims:
        assert dim.max_points == 20
        assert sum(i.max_points for i in dim.items.filter(is_veto=False)) == 20
        assert dim.items.filter(is_veto=False).count() >= 3
    assert _total(template) == 100
    vetoes = Item.objects.filter(dimension__template=template, is_veto=True)
    assert sorted(v.text for v in vetoes) == ["发生群体性事件或集中信访", "班子成员存在严重违纪违法问题"]
    assert all(v.max_points == 0 for v in vetoes)
    assert services.template_problems(template) == []


def test_duplicate_year_refused(users) -> None:
    services.campaign_create(actor=users.ds, year=2026)
    with pytest.raises(ValidationError, match="2026年度的分类定级工作已经建立"):
        services.campaign_create(actor=users.ds, year=2026)


@pytest.mark.parametrize("who", ["ts_a", "sec_a1", "viewer_a", "liaison", "nobody"])
def test_non_district_users_are_refused(users, who) -> None:
    actor = getattr(users, who)
    with pytest.raises(PermissionDenied):
        services.campaign_create(actor=actor, year=2026)
    campaign = services.campaign_create(actor=users.ds, year=2027)
    item = Item.objects.filter(dimension__template__campaign=campaign).first()
    for call in (
        lambda: services.campaign_update(actor=actor, campaign=campaign, notice_days=5),
        lambda: services.campaign_open(actor=actor, campaign=campaign),
        lambda: services.template_item_delete(actor=actor, item=item),
        lambda: services.template_item_save(actor=actor, dimension=item.dimension, text="x", max_points=Decimal(1)),
        lambda: services.template_variant_create(actor=actor, campaign=campaign, field=OrgField.RURAL),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert Campaign.objects.count() == 1
    assert campaign.templates.count() == 1


def test_anonymous_refused() -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.campaign_create(actor=AnonymousUser(), year=2026)


def test_copy_from_last_year_copies_variants_and_items(users) -> None:
    last = services.campaign_create(actor=users.ds, year=2025)
    last = services.campaign_update(actor=users.ds, campaign=last, notice_days=5, good_cap_percent=Decimal(15))
    rural = services.template_variant_create(actor=users.ds, campaign=last, field=OrgField.RURAL)
    rural_dim = rural.dimensions.get(name="工作业绩好")
    item = rural_dim.items.get(text__startswith="发展壮大集体经济")
    services.template_item_save(
        actor=users.ds, dimension=rural_dim, item=item, text="村集体经济收入达标", max_points=Decimal("4.5")
    )
    services.template_item_save(actor=users.ds, dimension=rural_dim, text="产业带动增收", max_points=Decimal("2.5"))

    new = services.campaign_create(actor=users.ds, year=2026, copy_from=last)

    assert sorted(new.templates.values_list("field", flat=True)) == ["", OrgField.RURAL]
    copied = new.templates.get(field=OrgField.RURAL)
    assert copied.name == "农村领域评分标准"
    texts = list(Item.objects.filter(dimension__template=copied).values_list("text", "max_points", "is_veto"))
    originals = list(Item.objects.filter(dimension__template=rural).values_list("text", "max_points", "is_veto"))
    assert texts == originals
    assert ("村集体经济收入达标", Decimal("4.5"), False) in texts
    assert _total(copied) == 100
    # a deep copy: the new rows are new, and editing them leaves last year alone
    assert not set(Item.objects.filter(dimension__template=copied).values_list("pk", flat=True)) & set(
        Item.objects.filter(dimension__template=rural).values_list("pk", flat=True)
    )
    assert new.notice_days == 5
    assert new.good_cap_percent == 20  # widening is a year-end act of one year
    assert new.self_assessment_due == date(2026, 3, 31)


def test_open_refuses_99_point_template_with_c2_message(users) -> None:
    campaign = services.campaign_create(actor=users.ds, year=2026)
    dim = _default(campaign).dimensions.get(name="群众反映好")
    item = dim.items.get(text="群众满意度测评")
    services.template_item_save(actor=users.ds, dimension=dim, item=item, text=item.text, max_points=Decimal(9))
    with pytest.raises(ValidationError) as exc:
        services.campaign_open(actor=users.ds, campaign=campaign)
    assert any("评分标准合计应为100分,当前为99分" in m for m in exc.value.messages)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_open_checks_every_template(users) -> None:
    campaign = services.campaign_create(actor=users.ds, year=2026)
    rural = services.template_variant_create(actor=users.ds, campaign=campaign, field=OrgField.RURAL)
    services.template_item_save(
        actor=users.ds, dimension=rural.dimensions.first(), text="额外加分项", max_points=Decimal(1)
    )
    with pytest.raises(ValidationError) as exc:
        services.campaign_open(actor=users.ds, campaign=campaign)
    assert any(m.startswith("农村领域评分标准(农村)") and "当前为101分" in m for m in exc.value.messages)


def test_open_moves_to_open_and_records(users) -> None:
    campaign = services.campaign_create(actor=users.ds, year=2026)
    services.campaign_open(actor=users.ds, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN
    event = Event.objects.get(verb="grading.campaign_open")
    assert event.after == {"status": "open"}
    with pytest.raises(ValidationError, match="不能再次启动"):
        services.campaign_open(actor=users.ds, campaign=campaign)


def test_editing_template_of_open_campaign_refused(users) -> None:
    campaign = services.campaign_create(actor=users.ds, year=2026)
    services.campaign_open(actor=users.ds, campaign=campaign)
    dim = _default(campaign).dimensions.first()
    item = dim.items.first()
    with pytest.raises(ValidationError, match="评分标准不能再修改"):
        services.template_item_save(actor=users.ds, dimension=dim, item=item, text="改", max_points=Decimal(5))
    with pytest.raises(ValidationError, match="评分标准不能再修改"):
        services.template_item_save(actor=users.ds, dimension=dim, text="新", max_points=Decimal(5))
    with pytest.raises(ValidationError, match="评分标准不能再修改"):
        services.template_item_delete(actor=users.ds, item=item)
    with pytest.raises(ValidationError, match="评分标准不能再修改"):
        services.template_variant_create(actor=users.ds, campaign=campaign, field=OrgField.RURAL)
    with pytest.raises(ValidationError, match="评分标准不能再修改"):
        services.dimension_save(actor=users.ds, dimension=dim, name="x", max_points=Decimal(20))
    item.refresh_from_db()
    assert item.text != "改"


def test_open_campaign_deadline_may_be_extended_but_closed_may_not(users) -> None:
    campaign = services.campaign_create(actor=users.ds, year=2026)
    services.campaign_open(actor=users.ds, campaign=campaign)
    services.campaign_update(actor=users.ds, campaign=campaign, self_assessment_due=date(2026, 4, 2))
    campaign.refresh_from_db()
    assert campaign.self_assessment_due == date(2026, 4, 2)
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.CLOSED)
    with pytest.raises(ValidationError, match="已结束"):
        services.campaign_update(actor=users.ds, campaign=campaign, notice_days=4)


def test_update_records_only_changes_and_checks_order(users) -> None:
    campaign = services.campaign_create(actor=users.ds, year=2026)
    services.campaign_update(actor=users.ds, campaign=campaign, notice_days=5, objection_working_days=7)
    event = Event.objects.get(verb="grading.campaign_update")
    assert event.before == {"notice_days": 3} and event.after == {"notice_days": 5}
    with pytest.raises(ValidationError, match="乡镇初审截止"):
        services.campaign_update(actor=users.ds, campaign=campaign, township_review_due=date(2026, 3, 1))
    with pytest.raises(ValidationError):
        services.campaign_update(actor=users.ds, campaign=campaign, good_cap_percent=Decimal("120"))


def test_item_rules(users) -> None:
    campaign = services.campaign_create(actor=users.ds, year=2026)
    dim = _default(campaign).dimensions.first()
    with pytest.raises(ValidationError, match="一票否决项不计分"):
        services.template_item_save(actor=users.ds, dimension=dim, text="否决", max_points=Decimal(2), is_veto=True)
    with pytest.raises(ValidationError, match="应大于0分"):
        services.template_item_save(actor=users.ds, dimension=dim, text="零分", max_points=Decimal(0))
    item = services.template_item_save(actor=users.ds, dimension=dim, text="新增项", max_points=Decimal("1.5"))
    assert item.order == dim.items.count()
    assert Event.objects.filter(verb="grading.item_create").count() == 1
    services.template_item_delete(actor=users.ds, item=item)
    assert not Item.objects.filter(pk=item.pk).exists()
    assert Event.objects.get(verb="grading.item_delete").before["text"] == "新增项"


def test_variant_once_per_field(users) -> None:
    campaign = services.campaign_create(actor=users.ds, year=2026)
    services.template_variant_create(actor=users.ds, campaign=campaign, field=OrgField.SCHOOL)
    with pytest.raises(ValidationError, match="已经存在"):
        services.template_variant_create(actor=users.ds, campaign=campaign, field=OrgField.SCHOOL)
    with pytest.raises(ValidationError, match="请选择领域"):
        services.template_variant_create(actor=users.ds, campaign=campaign, field="")


def test_dimension_share_must_match_items_at_open(users) -> None:
    campaign = services.campaign_create(actor=users.ds, year=2026)
    dims = list(_default(campaign).dimensions.all())
    services.dimension_save(actor=users.ds, dimension=dims[0], name=dims[0].name, max_points=Decimal(25))
    with pytest.raises(ValidationError) as exc:
        services.campaign_open(actor=users.ds, campaign=campaign)
    assert any("与该维度分值25分不符" in m for m in exc.value.messages)
    assert Dimension.objects.get(pk=dims[0].pk).max_points == 25


def test_close_only_when_every_assessment_is_final(users, tree) -> None:

    from grading.models import Assessment, AssessmentStatus

    seed_test_calendar(2026)
    campaign = services.campaign_open(actor=users.ds, campaign=services.campaign_create(actor=users.ds, year=2026))
    with pytest.raises(PermissionDenied):
        services.campaign_close(actor=users.ts_a, campaign=campaign)
    with pytest.raises(ValidationError, match="填报中4个"):
        services.campaign_close(actor=users.ds, campaign=campaign)
    Assessment.objects.filter(campaign=campaign).update(status=AssessmentStatus.FINAL, final_grade="good")
    closed = services.campaign_close(actor=users.ds, campaign=campaign)
    assert closed.status == CampaignStatus.CLOSED
    assert Event.objects.filter(verb="grading.campaign_close", actor=users.ds).exists()
