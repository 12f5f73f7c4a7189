"""The yearly statistics workbook (issue 17 §1): one sheet per table, a row per organization directly under the one
counted (for the district: per township) and a 合计 row that is the sum of the rows above it."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.documents import Sheet, write_xlsx
from organizations.models import Organization
from stats.selectors.counts import development_table, membership_tables


def workbook(user: Any, org: Organization, *, day: date) -> tuple[str, bytes]:
    """(file name, xlsx bytes) of ``org``'s membership on ``day``."""
    sheets = []
    tables = membership_tables(user, org, day=day)
    for table in tables:
        headers = ["党组织", *[c.label for c in table.categories], "合计"]
        rows: list[list[Any]] = [[r.label, *r.counts, r.total] for r in table.rows]
        rows.append([f"{org.name}合计", *table.total.counts, table.total.total])
        sheets.append(Sheet(title=table.title, headers=headers, rows=rows))
    development = development_table(user, org, day=day, like=tables[0])
    rows = [[r.label, *r.counts] for r in development.rows] + [[f"{org.name}合计", *development.total.counts]]
    sheets.append(
        Sheet(title=development.title, headers=["党组织", *[c.label for c in development.categories]], rows=rows)
    )
    return f"{org.name}{day.year}年党员统计表.xlsx", write_xlsx(sheets)
