"""Reads for the district's step templates: a year's 32 steps, one step (403 for anyone but the district)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from elections.access import require_district
from elections.models import StepTemplate
from elections.services.step_templates import FIRST_YEAR, LAST_YEAR


def step_templates_of(user: Any, year: int) -> list[StepTemplate]:
    """A year's 32 steps for the district (403 for anyone else); an impossible year is 404."""
    require_district(user)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404("年度不正确")
    return list(StepTemplate.objects.filter(year=year).order_by("number"))
