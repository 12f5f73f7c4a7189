"""One failed election rule (``Failure``) and its severity: what every check in ``elections.rules.votes``,
``.terms`` and ``.eligibility`` returns. An empty list means nothing to report; a warning asks a person to confirm."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

# The regulation a message cites by article, in full (a user reads the source, never our rule codes).
REGULATION = "《中国共产党基层组织选举工作条例》"


class Severity(StrEnum):
    ERROR = "error"  # refused: the candidate, the setup or the date breaks the rule
    WARNING = "warning"  # allowed, but a person must look (an approved exception, a "原则上" rule)


@dataclass(frozen=True)
class Failure:
    """One failed rule: ``rule`` is the internal code (never shown), ``message`` says why in Chinese with the numbers
    and, where it helps, the article of the source."""

    rule: str
    message: str
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR


def errors(failures: Iterable[Failure]) -> list[Failure]:
    return [f for f in failures if f.is_error]
