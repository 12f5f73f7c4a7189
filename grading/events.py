"""Domain events of grading, for the apps that build on it (rectification subscribes at start-up).

Grading knows nothing of its subscribers: an app calls ``on_grade_finalized(handler)`` in its ``AppConfig.ready``,
and the workflow calls ``publish_grade_finalized(assessment_id)`` after the transaction that set a final grade
commits (at district approval's end of the objection window, after an objection's re-review, after a year-end
re-grade). Handlers receive the assessment id and must be idempotent: the same grade may be published again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

GradeFinalizedHandler = Callable[[int], None]
_handlers: list[GradeFinalizedHandler] = []


def on_grade_finalized(handler: GradeFinalizedHandler) -> GradeFinalizedHandler:
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def publish_grade_finalized(assessment_id: int) -> None:
    for handler in list(_handlers):
        handler(assessment_id)
