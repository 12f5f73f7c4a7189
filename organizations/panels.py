"""Panels that the apps built on the tree add to an organization's page, without organizations importing them.

An app registers in its ``AppConfig.ready``: ``register_org_panel("grading/_org_panel.html", grading_panel)``; the
function takes (user, organization) and returns the panel's context (or None to show nothing). The organization
page includes each panel's template with that context as ``panel``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PanelContext = Callable[[Any, Any], Any]


@dataclass(frozen=True)
class Panel:
    template: str
    context: Any


_panels: list[tuple[str, PanelContext]] = []


def register_org_panel(template: str, context: PanelContext) -> None:
    if (template, context) not in _panels:
        _panels.append((template, context))


def panels_for(user: Any, organization: Any) -> list[Panel]:
    result = []
    for template, context in _panels:
        value = context(user, organization)
        if value is not None:
            result.append(Panel(template, value))
    return result


# --- Panels of a member's page (e.g. the member's organizational life over the year) ----------------------------

_member_panels: list[tuple[str, PanelContext]] = []


def register_member_panel(template: str, context: PanelContext) -> None:
    """``context(user, member)`` returns the panel's context (or None); the member page includes ``template``."""
    if (template, context) not in _member_panels:
        _member_panels.append((template, context))


def member_panels_for(user: Any, member: Any) -> list[Panel]:
    result = []
    for template, context in _member_panels:
        value = context(user, member)
        if value is not None:
            result.append(Panel(template, value))
    return result


# --- Columns that the apps add to a list of organizations (the liaison leader's landing) -------------------------

OrgColumnValues = Callable[[Any, list[Any]], dict[int, str]]

_columns: list[tuple[str, OrgColumnValues]] = []


def register_org_column(label: str, values: OrgColumnValues) -> None:
    """``values(user, organizations)`` returns each organization's text by id, in a fixed number of queries (the
    organizations are a page of a list the user may see)."""
    if (label, values) not in _columns:
        _columns.append((label, values))


@dataclass(frozen=True)
class OrgColumns:
    labels: list[str]
    rows: dict[int, list[str]]


def org_columns(user: Any, organizations: list[Any]) -> OrgColumns:
    found = [values(user, organizations) for _, values in _columns]
    return OrgColumns(
        [label for label, _ in _columns], {o.pk: [column.get(o.pk, "—") for column in found] for o in organizations}
    )


# --- The parts of a member's own home (我的, issue 17 deliver 6) ----------------------------------------------------

_own_panels: list[tuple[str, PanelContext]] = []


def register_own_panel(template: str, context: PanelContext) -> None:
    """``context(user, member)`` returns the part's context (or None), read for that member alone: ``member`` is
    ``organizations.access.own_member(user)``, the member the account is linked to; the home includes ``template``."""
    if (template, context) not in _own_panels:
        _own_panels.append((template, context))


def own_panels_for(user: Any, member: Any) -> list[Panel]:
    result = []
    for template, context in _own_panels:
        value = context(user, member)
        if value is not None:
            result.append(Panel(template, value))
    return result
