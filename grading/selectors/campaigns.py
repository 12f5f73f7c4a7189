"""Reads of campaigns and templates for the district's setup pages. District staff only: anyone else gets 403 before
any lookup (so nothing about existence leaks); one campaign or template part comes through ``grading.access``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from grading.access import require_district
from grading.models import Campaign, Dimension, Item, ScoringTemplate
from grading.rules import counting as counting_rules
from grading.rules import grades as grade_rules


def campaign_list(user: Any) -> QuerySet[Campaign]:
    require_district(user)
    return Campaign.objects.select_related("created_by").order_by("-year")


def previous_campaign(user: Any, year: int) -> Campaign | None:
    """ "Last year's" campaign: the latest one before ``year`` (district staff only)."""
    require_district(user)
    return Campaign.objects.filter(year__lt=year).order_by("-year").first()


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


def templates_of(user: Any, campaign: Campaign) -> list[TemplateView]:
    """Every template of the campaign with its dimensions, items, totals and C2/C7 problems: three queries."""
    require_district(user)
    templates = campaign.templates.prefetch_related(
        Prefetch("dimensions", queryset=Dimension.objects.prefetch_related("items"))
    ).order_by("field")
    views = []
    for template in templates:
        rows = []
        specs = []
        for dim in template.dimensions.all():
            items = list(dim.items.all())
            rows.append(DimensionRow(dim, items, counting_rules.template_total([_spec(dim, items)])))
            specs.append(_spec(dim, items))
        try:
            counting_rules.validate_template(specs)
            problems: list[str] = []
        except grade_rules.RuleViolation as exc:
            problems = exc.messages
        views.append(TemplateView(template, rows, counting_rules.template_total(specs), problems))
    return views


def _spec(dim: Dimension, items: list[Item]) -> counting_rules.DimensionSpec:
    return counting_rules.DimensionSpec(
        dim.name, [counting_rules.ItemSpec(i.text, i.max_points, i.is_veto) for i in items], max_points=dim.max_points
    )
