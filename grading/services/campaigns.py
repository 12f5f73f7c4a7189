"""Writes to campaigns and scoring templates: the one door. District staff only (DESIGN.md roles × actions:
"campaign, template, deadlines, holidays"); every write runs in a transaction and records an audit event
against the district root, so the district's log shows it.

Templates are frozen once the campaign opens: scores given against an item must keep meaning what they meant.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core import audit
from fixtures import reader
from grading.models import Campaign, CampaignStatus, Dimension, Item, ScoringTemplate
from grading.rules import counting as counting_rules
from grading.rules import grades as grade_rules
from grading.services.cap import check_cap_not_widened
from organizations.access import is_district_staff
from organizations.models import Organization, OrgField

CAMPAIGN_SETTINGS = (
    "title",
    "self_assessment_due",
    "township_review_due",
    "district_review_due",
    "regrade_request_due",
    "regrade_due",
    "notice_days",
    "objection_working_days",
    "good_cap_percent",
)


def _require_district(actor: Any) -> None:
    if not is_district_staff(actor):
        raise PermissionDenied("只有区委组织部可以设置分类定级年度工作和评分标准")


def _district_path() -> str:
    root = Organization.objects.get_first_root_node()
    return root.path if root is not None else ""


def _record(*, actor: Any, verb: str, summary: str, target: Any, **kw: Any) -> None:
    audit.record(actor=actor, verb=verb, summary=summary, target=target, org_path=_district_path(), **kw)


def _require_editable(campaign: Campaign) -> None:
    if campaign.status != CampaignStatus.DRAFT:
        raise ValidationError(
            f"{campaign.year}年度分类定级当前为“{campaign.get_status_display()}”,评分标准不能再修改"
            "(已评分的项目须保持原有含义)"
        )


def _lock(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def _check_deadlines(campaign: Campaign) -> None:
    problems = grade_rules.deadline_order_problems(
        {name: getattr(campaign, name) for name in grade_rules.DEFAULT_DEADLINES}
    )
    if problems:
        raise ValidationError(problems)


# --- Campaigns --------------------------------------------------------------------------------------------------


def default_title(year: int) -> str:
    return f"{year}年度基层党组织分类定级"


@transaction.atomic
def campaign_create(*, actor: Any, year: int, copy_from: Campaign | None = None, title: str = "") -> Campaign:
    """Open the preparation of a year: the plan's default deadlines, and either the default template (C7) or a
    deep copy of ``copy_from``'s templates, field variants included.

    Copied: templates, notice length and objection window. Not copied: deadlines (the plan's dates of the new
    year) and the 好 cap, which goes back to 20%: the plan allows widening only at that year's year-end review.
    """
    _require_district(actor)
    if Campaign.objects.filter(year=year).exists():
        raise ValidationError(f"{year}年度的分类定级工作已经建立")
    campaign = Campaign(
        year=year, title=title or default_title(year), created_by=actor, **grade_rules.default_deadlines(year)
    )
    if copy_from is not None:
        campaign.notice_days = copy_from.notice_days
        campaign.objection_working_days = copy_from.objection_working_days
    campaign.full_clean()
    campaign.save()
    if copy_from is None:
        _create_default_template(campaign)
    else:
        for template in copy_from.templates.all():
            _copy_template(template, campaign=campaign, field=template.field, name=template.name)
    _record(
        actor=actor,
        verb="grading.campaign_create",
        summary=f"建立{campaign}" + (f"(复制{copy_from.year}年度评分标准)" if copy_from else ""),
        target=campaign,
        after=audit.snapshot(campaign, ("year", "title", *grade_rules.DEFAULT_DEADLINES)),
    )
    return campaign


def _create_default_template(campaign: Campaign) -> ScoringTemplate:
    """The default template (C7) as ``fixtures/grading_template.json`` holds it."""
    default = reader.grading_template()
    template = ScoringTemplate.objects.create(campaign=campaign, name=default.name, field="")
    for d_order, dim in enumerate(default.dimensions, start=1):
        dimension = Dimension.objects.create(template=template, order=d_order, name=dim.name, max_points=dim.points)
        Item.objects.bulk_create(
            Item(
                dimension=dimension,
                order=i_order,
                text=item.text,
                max_points=item.points,
                guidance=item.guidance,
                is_veto=item.veto,
            )
            for i_order, item in enumerate(dim.items, start=1)
        )
    return template


def _copy_template(source: ScoringTemplate, *, campaign: Campaign, field: str, name: str) -> ScoringTemplate:
    template = ScoringTemplate.objects.create(campaign=campaign, name=name, field=field)
    for dim in source.dimensions.prefetch_related("items"):
        copy = Dimension.objects.create(template=template, order=dim.order, name=dim.name, max_points=dim.max_points)
        Item.objects.bulk_create(
            Item(
                dimension=copy,
                order=i.order,
                text=i.text,
                guidance=i.guidance,
                max_points=i.max_points,
                is_veto=i.is_veto,
            )
            for i in dim.items.all()
        )
    return template


@transaction.atomic
def campaign_update(*, actor: Any, campaign: Campaign, **fields: Any) -> Campaign:
    """Change the title, deadlines, notice length, objection window or 好 cap. Allowed while preparing and while
    open (a deadline may be extended); a closed campaign is history and does not change."""
    _require_district(actor)
    unknown = set(fields) - set(CAMPAIGN_SETTINGS)
    if unknown:
        raise ValueError(f"不能修改的字段:{', '.join(sorted(unknown))}")
    campaign = _lock(campaign)
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(f"{campaign.year}年度分类定级已结束,设置不能再修改")
    check_cap_not_widened(fields.get("good_cap_percent"))
    before = audit.snapshot(campaign, fields)
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.full_clean()
    _check_deadlines(campaign)
    campaign.save(update_fields=list(fields))
    old, new = audit.changed(before, audit.snapshot(campaign, fields))
    if new:
        _record(
            actor=actor,
            verb="grading.campaign_update",
            summary=f"修改{campaign}的设置",
            target=campaign,
            before=old,
            after=new,
        )
    return campaign


def template_problems(template: ScoringTemplate) -> list[str]:
    """C2/C7 problems of one template (empty when it can be used)."""
    specs = [
        counting_rules.DimensionSpec(
            d.name,
            [counting_rules.ItemSpec(i.text, i.max_points, i.is_veto) for i in d.items.all()],
            max_points=d.max_points,
        )
        for d in template.dimensions.prefetch_related("items")
    ]
    try:
        counting_rules.validate_template(specs)
    except grade_rules.RuleViolation as exc:
        return exc.messages
    return []


@transaction.atomic
def campaign_open(*, actor: Any, campaign: Campaign) -> Campaign:
    """Start the year: every template must sum to exactly 100 (C2) and match its dimensions' shares (C7)."""
    _require_district(actor)
    campaign = _lock(campaign)
    if campaign.status != CampaignStatus.DRAFT:
        raise ValidationError(f"{campaign.year}年度分类定级当前为“{campaign.get_status_display()}”,不能再次启动")
    templates = list(campaign.templates.all())
    if not templates:
        raise ValidationError("还没有评分标准,不能启动")
    problems = [f"{t.name}({t.field_label}):{p}" for t in templates for p in template_problems(t)]
    if problems:
        raise ValidationError(problems)
    _check_deadlines(campaign)
    campaign.status = CampaignStatus.OPEN
    campaign.save(update_fields=["status"])
    from grading.services.assessments import assessments_ensure

    created = assessments_ensure(campaign)
    _record(
        actor=actor,
        verb="grading.campaign_open",
        summary=f"启动{campaign},{created}个党组织开始自查自评",
        target=campaign,
        before={"status": CampaignStatus.DRAFT.value},
        after={"status": campaign.status},
    )
    return campaign


@transaction.atomic
def campaign_close(*, actor: Any, campaign: Campaign) -> Campaign:
    """End the year: only when every assessment is final (no scoring, review, objection or re-grade still open)."""
    from django.db.models import Count

    from grading.models import AssessmentStatus

    _require_district(actor)
    campaign = _lock(campaign)
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError(f"{campaign.year}年度分类定级当前为“{campaign.get_status_display()}”,不能结束")
    open_rows = (
        campaign.assessments.exclude(status=AssessmentStatus.FINAL)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by("status")
    )
    pending = [f"{AssessmentStatus(r['status']).label}{r['n']}个" for r in open_rows]
    if pending:
        raise ValidationError(f"还有党组织未完成定级({'、'.join(pending)}),全部定级后才能结束本年度工作")
    campaign.status = CampaignStatus.CLOSED
    campaign.save(update_fields=["status"])
    _record(
        actor=actor,
        verb="grading.campaign_close",
        summary=f"结束{campaign}",
        target=campaign,
        before={"status": CampaignStatus.OPEN.value},
        after={"status": campaign.status},
    )
    return campaign


# --- Templates ----------------------------------------------------------------------------------------------------


@transaction.atomic
def template_variant_create(*, actor: Any, campaign: Campaign, field: str) -> ScoringTemplate:
    """A field's own template (领域), starting as a copy of the default one."""
    _require_district(actor)
    campaign = _lock(campaign)
    _require_editable(campaign)
    if field not in OrgField.values:
        raise ValidationError("请选择领域")
    label = OrgField(field).label
    if campaign.templates.filter(field=field).exists():
        raise ValidationError(f"“{label}”领域的评分标准已经存在")
    default = campaign.templates.filter(field="").first()
    if default is None:
        raise ValidationError("没有通用评分标准可供复制")
    template = _copy_template(default, campaign=campaign, field=field, name=f"{label}领域评分标准")
    _record(
        actor=actor,
        verb="grading.template_create",
        summary=f"{campaign}:增加“{label}”领域评分标准(复制通用标准)",
        target=campaign,
        after={"template": template.name},
    )
    return template


@transaction.atomic
def template_variant_delete(*, actor: Any, template: ScoringTemplate) -> None:
    _require_district(actor)
    campaign = _lock(template.campaign)
    _require_editable(campaign)
    if not template.field:
        raise ValidationError("通用评分标准不能删除")
    name = template.name
    template.delete()
    _record(
        actor=actor,
        verb="grading.template_delete",
        summary=f"{campaign}:删除{name}",
        target=campaign,
        before={"template": name},
    )


@transaction.atomic
def dimension_save(*, actor: Any, dimension: Dimension, name: str, max_points: Decimal) -> Dimension:
    """Rename a dimension or change its share (C7: no central split; the shares must still total 100)."""
    _require_district(actor)
    campaign = _lock(dimension.template.campaign)
    _require_editable(campaign)
    fields = ("name", "max_points")
    before = audit.snapshot(dimension, fields)
    dimension.name, dimension.max_points = name, max_points
    dimension.full_clean()
    dimension.save(update_fields=list(fields))
    old, new = audit.changed(before, audit.snapshot(dimension, fields))
    if new:
        _record(
            actor=actor,
            verb="grading.dimension_update",
            summary=f"{campaign} {dimension.template.name}:修改维度“{dimension.name}”",
            target=campaign,
            before=old,
            after=new,
        )
    return dimension


ITEM_FIELDS = ("text", "guidance", "max_points", "is_veto", "order")


@transaction.atomic
def template_item_save(
    *,
    actor: Any,
    dimension: Dimension,
    text: str,
    max_points: Decimal,
    guidance: str = "",
    is_veto: bool = False,
    order: int | None = None,
    item: Item | None = None,
) -> Item:
    """Add an item to ``dimension`` (``item`` None) or change ``item``. Veto items carry no points (C4); a scored
    item has a positive maximum with at most one decimal (C2). The template's total is checked when opening."""
    _require_district(actor)
    campaign = _lock(dimension.template.campaign)
    _require_editable(campaign)
    if item is not None and item.dimension_id != dimension.pk:
        raise ValidationError("评分项目不属于该维度")
    points = Decimal(max_points)
    if is_veto and points != 0:
        raise ValidationError(f"一票否决项不计分,满分应为0分,当前为{grade_rules.fmt(points)}分")
    if not is_veto and points <= 0:
        raise ValidationError(f"评分项目的满分应大于0分,当前为{grade_rules.fmt(points)}分")
    creating = item is None
    if item is None:
        last = dimension.items.order_by("-order").values_list("order", flat=True).first() or 0
        item = Item(dimension=dimension, order=last + 1)
    before = {} if creating else audit.snapshot(item, ITEM_FIELDS)
    item.text, item.guidance, item.max_points, item.is_veto = text, guidance, points, is_veto
    if order is not None:
        item.order = order
    item.full_clean()
    item.save()
    after = audit.snapshot(item, ITEM_FIELDS)
    old, new = (before, after) if creating else audit.changed(before, after)
    if new:
        _record(
            actor=actor,
            verb="grading.item_create" if creating else "grading.item_update",
            summary=f"{campaign} {dimension.template.name}:{'增加' if creating else '修改'}评分项目“{item.text}”",
            target=campaign,
            before=old,
            after=new,
        )
    return item


@transaction.atomic
def template_item_delete(*, actor: Any, item: Item) -> None:
    _require_district(actor)
    dimension = item.dimension
    campaign = _lock(dimension.template.campaign)
    _require_editable(campaign)
    before = audit.snapshot(item, ITEM_FIELDS)
    item.delete()
    _record(
        actor=actor,
        verb="grading.item_delete",
        summary=f"{campaign} {dimension.template.name}:删除评分项目“{before['text']}”",
        target=campaign,
        before=before,
    )
