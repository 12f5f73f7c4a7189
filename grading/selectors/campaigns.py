"""Reads of campaigns and templates for the district pages. District staff only: anyone else gets 403 before
any lookup (so nothing about existence leaks); a missing object is 404."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from grading import rules
from grading.models import Campaign, Dimension, Item, ScoringTemplate
from partybuild.calendar_services import is_district_staff


def require_district(user: Any) -> None:
    if not is_district_staff(user):
        raise PermissionDenied("只有区委组织部可以设置分类定级年度工作和评分标准")


def campaign_list(user: Any) -> QuerySet[Campaign]:
    require_district(user)
    return Campaign.objects.select_related("created_by").order_by("-year")


def campaign_get(user: Any, pk: int) -> Campaign:
    require_district(user)
    return get_object_or_404(Campaign, pk=pk)


def previous_campaign(year: int) -> Campaign | None:
    """ "Last year's" campaign: the latest one before ``year``."""
    return Campaign.objects.filter(year__lt=year).order_by("-year").first()


def dimension_get(user: Any, campaign: Campaign, pk: int) -> Dimension:
    require_district(user)
    return get_object_or_404(Dimension.objects.select_related("template"), pk=pk, template__campaign=campaign)


def item_get(user: Any, campaign: Campaign, pk: int) -> Item:
    require_district(user)
    return get_object_or_404(
        Item.objects.select_related("dimension__template"), pk=pk, dimension__template__campaign=campaign
    )


def template_get(user: Any, campaign: Campaign, pk: int) -> ScoringTemplate:
    require_district(user)
    return get_object_or_404(ScoringTemplate, pk=pk, campaign=campaign)


@dataclass
class DimensionRow:
    dimension: Dimension
    items: list[Item]
    scored: Decimal

    @property
    def matches(self) -> bool:
        return self.scored == self.dimension.max_points


@dataclass
class TemplateView:
    template: ScoringTemplate
    dimensions: list[DimensionRow]
    total: Decimal
    problems: list[str]

    @property
    def is_valid(self) -> bool:
        return not self.problems


def templates_of(campaign: Campaign) -> list[TemplateView]:
    """Every template of the campaign with its dimensions, items, totals and C2/C7 problems: three queries."""
    templates = campaign.templates.prefetch_related(
        Prefetch("dimensions", queryset=Dimension.objects.prefetch_related("items"))
    ).order_by("field")
    views = []
    for template in templates:
        rows = []
        specs = []
        for dim in template.dimensions.all():
            items = list(dim.items.all())
            rows.append(DimensionRow(dim, items, rules.template_total([_spec(dim, items)])))
            specs.append(_spec(dim, items))
        try:
            rules.validate_template(specs)
            problems: list[str] = []
        except rules.RuleViolation as exc:
            problems = exc.messages
        views.append(TemplateView(template, rows, rules.template_total(specs), problems))
    return views


def _spec(dim: Dimension, items: list[Item]) -> rules.DimensionSpec:
    return rules.DimensionSpec(
        dim.name, [rules.ItemSpec(i.text, i.max_points, i.is_veto) for i in items], max_points=dim.max_points
    )
