"""The rectification panel of the organization page: current category, showcase, the open case and its link."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from organizations.models import Organization
from organizations.roles import Perm
from organizations.scope import can
from rectification.models import Case, CategoryAssignment, Showcase
from rectification.services.cases import open_case_of
from rectification.services.categories import current_assignment


@dataclass(frozen=True)
class RectificationPanel:
    org: Organization
    current: CategoryAssignment | None
    case: Case | None
    showcase: bool
    may_report: bool


def rectification_panel(user: Any, org: Organization) -> RectificationPanel | None:
    """Three queries; nothing to show (None) for an organization without a category or a case.

    The caller has already checked that the user may see ``org`` (organizations.access.organization_for)."""
    current = current_assignment(org)
    case = open_case_of(org)
    if current is None and case is None:
        return None
    showcase = Showcase.objects.filter(organization=org, year=timezone.localdate().year).exists()
    return RectificationPanel(org, current, case, showcase, can(user, Perm.REPORT_PROGRESS, org))
