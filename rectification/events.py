"""Hooks other apps fill in, so that rectification imports none of them (like grading.events for grades).

An app that keeps records of an organization (meetings: 三会一课…) registers in its ``AppConfig.ready``: a panel on
the case page (``register_case_panel``), and measure trackers (``register_measure_trackers``): choices a measure may
be tied to ("每月按时召开支委会") and a function that says, for an organization and a year, how far the records meet
each tied choice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from organizations.panels import Panel

CaseContext = Callable[[Any, Any], Any]
TrackerProgress = Callable[[Any, int, list[str]], dict[str, str]]
_case_panels: list[tuple[str, CaseContext]] = []
_trackers: list[tuple[tuple[tuple[str, str], ...], TrackerProgress]] = []


def register_case_panel(template: str, context: CaseContext) -> None:
    if (template, context) not in _case_panels:
        _case_panels.append((template, context))


def case_panels_for(user: Any, case: Any) -> list[Panel]:
    found = []
    for template, context in _case_panels:
        value = context(user, case)
        if value is not None:
            found.append(Panel(template, value))
    return found


def register_measure_trackers(choices: list[tuple[str, str]], progress: TrackerProgress) -> None:
    entry = (tuple(choices), progress)
    if entry not in _trackers:
        _trackers.append(entry)


def tracker_choices() -> list[tuple[str, str]]:
    return [c for choices, _ in _trackers for c in choices]


def tracker_progress(organization: Any, year: int, keys: list[str]) -> dict[str, str]:
    """Each tied key's progress in words, from the app that registered it (one call per app, not per measure)."""
    found: dict[str, str] = {}
    for choices, progress in _trackers:
        mine = [k for k in keys if k in {key for key, _ in choices}]
        if mine:
            found.update(progress(organization, year, mine))
    return found


# --- Member development read from the records of another app (the development pipeline) ------------------------

# ``source(organization, year)``: the people the app's records show trained in ``year`` under the organization, as
# ``ledger.DevelopmentPerson`` rows (one per stage reached that year), or None when it has no records for that year.
DevelopmentSource = Callable[[Any, int], Any]
_development_sources: list[DevelopmentSource] = []


def register_development_source(source: DevelopmentSource) -> None:
    if source not in _development_sources:
        _development_sources.append(source)


def development_people(organization: Any, year: int) -> list[Any] | None:
    """The people the registered sources report for ``organization`` in ``year`` (None: no source has records)."""
    found: list[Any] | None = None
    for source in _development_sources:
        people = source(organization, year)
        if people is not None:
            found = [*(found or []), *people]
    return found
