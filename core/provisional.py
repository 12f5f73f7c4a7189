"""D3: deadlines computed before their year's holidays were entered (暂定), and who recomputes them.

An app whose working-day deadlines may be provisional registers a ``recompute(actor)`` here in its
``AppConfig.ready``; the calendar services call ``recompute_all`` after every change to the holiday table, inside the
same transaction, so each 暂定 deadline is computed again from the calendar as it now stands (each app writes one
audit event per deadline that changed). This module imports no app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Recompute = Callable[[Any], int]

_RECOMPUTERS: dict[str, Recompute] = {}


def register(name: str, recompute: Recompute) -> None:
    """``recompute(actor)`` recomputes the app's 暂定 deadlines and returns how many changed. Idempotent by name."""
    _RECOMPUTERS[name] = recompute


def recompute_all(actor: Any) -> int:
    return sum(recompute(actor) for recompute in _RECOMPUTERS.values())
