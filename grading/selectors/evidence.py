"""Evidence for the grading pages (grading/evidence.py's providers: meetings, dues…): read once per page for the
organizations the user may see, never one query per organization."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from grading.evidence import Evidence, evidence_for, self_report_sentences
from organizations.models import Organization
from organizations.scope import path_q, scope_paths


def evidence_of(user: Any, org_ids: Iterable[int], year: int) -> dict[int, list[Evidence]]:
    """The year's evidence by organization, for the ids in the user's scope (others are dropped)."""
    ids = list(org_ids)
    visible = list(Organization.objects.filter(path_q(scope_paths(user)), pk__in=ids).values_list("pk", flat=True))
    return evidence_for(visible, year)


def report_start(user: Any, org_id: int, year: int) -> str:
    """The sentences a self-report (附件1) may start its 自身建设情况 from: the records' counts, editable."""
    return self_report_sentences(evidence_of(user, [org_id], year).get(org_id, []))
