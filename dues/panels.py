"""The dues panel of the organization page: this year's collection rate so far and the way to the ledger."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from dues.access import actions_for
from dues.selectors.boards import Figures, org_figures
from organizations.models import Organization

TOWNSHIP_DEPTH = 2


@dataclass(frozen=True)
class DuesPanel:
    org: Organization
    year: int
    figures: Figures | None
    missing: list[int]
    actions: dict[str, bool]


def dues_panel(user: Any, org: Organization) -> DuesPanel | None:
    """Two queries; nothing for the district and the townships (their boards are linked from their pages). The
    caller has already checked that the user may see ``org``."""
    if org.depth <= TOWNSHIP_DEPTH:
        return None
    today = timezone.localdate()
    figures, missing = org_figures(user, [org.pk], today.year, today).get(org.pk, (None, []))
    return DuesPanel(org, today.year, figures, missing, actions_for(user, org))


def own_panel(user: Any, member: Any) -> Any:
    """The member's own home (organizations.panels): this year's months, paid or owed."""
    from dues.selectors.own import own_dues

    return own_dues(user, timezone.localdate().year, timezone.localdate())
