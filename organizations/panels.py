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
