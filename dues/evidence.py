"""Party dues as evidence for a grade (grading/evidence.py's registry, issue 16 deliver 5): each organization's
collection rate for the year (the closed months) and the months still short, with a link to its ledger. Registered
in ``DuesConfig.ready``; grading has already scoped the ids. The score stays the scorer's."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils import timezone

from dues.selectors.boards import org_figures
from grading.evidence import Evidence

SOURCE = "党费收缴"
KEYWORDS = ("党费",)  # "按时足额交纳党费 — 查党员学习记录、党费收缴台账"


def dues_evidence(org_ids: Sequence[int], year: int) -> dict[int, list[Evidence]]:
    """Two queries for any number of organizations; nothing for one without dues records that year."""
    found: dict[int, list[Evidence]] = {}
    for pk, (figures, missing) in org_figures(None, list(org_ids), year, timezone.localdate()).items():
        if figures.rate is None:
            continue
        months = "、".join(f"{m}月" for m in missing)
        detail = f"{months}未收齐(欠缴{figures.owing_months}人月)" if missing else ""
        found[pk] = [
            Evidence(
                source=SOURCE,
                label="党费收缴率",
                value=f"{figures.rate}%",
                detail=detail,
                shortfall=bool(missing),
                url=f"{reverse('dues:ledger', args=[pk])}?year={year}",
                keywords=KEYWORDS,
                sentence=f"{year}年党费收缴率{figures.rate}%"
                + (f",{months}未收齐" if missing else ",按月足额收缴")
                + "。",
            )
        ]
    return found
