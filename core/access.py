"""What the shared pieces ask the organization tree, without importing it.

``core`` imports no app (issue 13: arrows run one way, from the apps to the base). Two questions of the shared pieces
need the tree's answer: who is district staff (the holiday calendar is theirs to edit) and whether a user holds a
permission over an organization's path (who may see a background job). ``organizations`` gives the answers when it
loads (``OrganizationsConfig.ready`` → ``provide``); until then every question is answered "no", so a missing
registration refuses instead of opening anything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_answers: dict[str, Callable[..., bool]] = {}


def provide(*, is_district_staff: Callable[[Any], bool], path_allows: Callable[[Any, str, str], bool]) -> None:
    """Register the tree's answers (called once, by organizations' app config)."""
    _answers["is_district_staff"] = is_district_staff
    _answers["path_allows"] = path_allows


def is_district_staff(user: Any) -> bool:
    """District staff (the organization department at the root): the tree's one answer."""
    answer = _answers.get("is_district_staff")
    return bool(answer and answer(user))


def path_allows(user: Any, perm: str, path: str) -> bool:
    """Whether ``user`` holds permission ``perm`` (a permission code such as ``"view_records"``) over the organization
    at ``path``."""
    answer = _answers.get("path_allows")
    return bool(answer and answer(user, perm, path))
