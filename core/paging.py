"""Lists of any length: keyset pages and an estimated count (issue 15 §3).

``Paginator`` pages with OFFSET (page 2,000 of a district's 1.5 million members reads and throws away 100,000 rows)
and counts exactly (a COUNT over every matching row on every page). A keyset page instead starts after (or before)
the last row the reader saw, named by its values of the ordering columns, so every page costs what the first one
does; and a long list shows the planner's estimate ("约 N 条") instead of an exact count.

The cursor is the boundary row's ordering values as URL-safe base64 JSON; a cursor that does not decode is the
first page (never an error). The ordering columns must end with a unique one (``pk``) so that the order is total.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Q, QuerySet

# A list with more rows than this (by the planner's estimate) shows the estimate instead of an exact COUNT.
EXACT_COUNT_BELOW = 10_000


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([v if isinstance(v, int | str) else str(v) for v in values], ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, width: int) -> list[Any] | None:
    """The values a cursor names, or None for a missing or malformed one."""
    if not cursor or len(cursor) > 2000:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(values, list) or len(values) != width or not all(isinstance(v, int | str) for v in values):
        return None
    return values


def _beyond(order: Sequence[str], values: Sequence[Any], *, forward: bool) -> Q:
    """Rows strictly after (``forward``) or before the row with ``values`` in the lexicographic order of ``order``:
    (a > x) or (a = x and b > y) or …, with ``a >= x`` in front so that an index on the first column is used."""
    op = "gt" if forward else "lt"
    q = Q()
    for i, field in enumerate(order):
        equal = Q(**dict(zip(order[:i], values[:i], strict=True)))
        step = equal & Q(**{f"{field}__{op}": values[i]})
        q = step if i == 0 else q | step
    return Q(**{f"{order[0]}__{op}e": values[0]}) & q


@dataclass
class KeysetPage:
    rows: list[Any]
    next_cursor: str | None  # ``after=`` for the next page, None on the last one
    previous_cursor: str | None  # ``before=`` for the previous page, None on the first one

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def has_other_pages(self) -> bool:
        return self.next_cursor is not None or self.previous_cursor is not None


def keyset_page(
    qs: QuerySet[Any], *, order: Sequence[str], after: str | None = None, before: str | None = None, per_page: int = 50
) -> KeysetPage:
    """One page of ``qs`` in ``order`` (ascending, last column unique): the first page, the one after the row
    ``after`` names or the one before the row ``before`` names. One query (``per_page`` + 1 rows)."""
    order = list(order)

    def key(row: Any) -> list[Any]:
        return [_value(row, field) for field in order]

    start = decode_cursor(after, len(order))
    end = decode_cursor(before, len(order)) if start is None else None
    if end is not None:
        rows = list(qs.filter(_beyond(order, end, forward=False)).order_by(*(f"-{f}" for f in order))[: per_page + 1])
        more_before = len(rows) > per_page
        rows = rows[:per_page][::-1]
        return KeysetPage(
            rows,
            next_cursor=encode_cursor(key(rows[-1])) if rows else None,
            previous_cursor=encode_cursor(key(rows[0])) if rows and more_before else None,
        )
    if start is not None:
        qs = qs.filter(_beyond(order, start, forward=True))
    rows = list(qs.order_by(*order)[: per_page + 1])
    more_after = len(rows) > per_page
    rows = rows[:per_page]
    return KeysetPage(
        rows,
        next_cursor=encode_cursor(key(rows[-1])) if rows and more_after else None,
        previous_cursor=encode_cursor(key(rows[0])) if rows and start is not None else None,
    )


def _value(row: Any, field: str) -> Any:
    value = row
    for part in field.split("__"):
        value = getattr(value, part)
    return value


@dataclass(frozen=True)
class Count:
    value: int
    estimated: bool  # "约": the planner's estimate of a long list


def count_or_estimate(qs: QuerySet[Any], *, exact_below: int = EXACT_COUNT_BELOW) -> Count:
    """An exact COUNT for a short list; the planner's row estimate (EXPLAIN, no rows read) for a long one on
    PostgreSQL. Other databases always count."""
    if qs.query.is_empty() or connections[qs.db].vendor != "postgresql":
        return Count(qs.count(), False)
    plan = json.loads(qs.order_by().explain(format="json"))
    estimate = int(plan[0]["Plan"]["Plan Rows"])
    if estimate < exact_below:
        return Count(qs.count(), False)
    return Count(estimate, True)
