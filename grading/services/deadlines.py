"""D3 for the objection window: 暂定 objection deadlines recomputed when the missing year is entered.

The district's approval starts a window of N working days (第一篇 三(一)3(2) "7个工作日"). When the window reaches a
year whose holidays nobody has entered, ``workflow._approve`` stores the Monday–Friday estimate with
``objection_due_provisional``; ``recompute_provisional`` (registered with ``core.provisional``, called by the
calendar services inside their transaction) computes each one again and writes one audit event per deadline that
changed.
"""

from __future__ import annotations

from typing import Any

from core import audit
from core.workdays import provisional_window_end
from grading.models import Assessment


def _label(due: Any, provisional: bool) -> str:
    return f"{due:%Y-%m-%d}" + ("(暂定)" if provisional else "")


def recompute_provisional(actor: Any) -> int:
    """Recompute every 暂定 objection deadline from the calendar as it now stands; return how many changed."""
    changed = 0
    rows = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("organization", "campaign")
        .filter(objection_due_provisional=True, objection_counted_from__isnull=False)
    )
    for a in rows:
        due, still = provisional_window_end(a.objection_counted_from, a.campaign.objection_working_days)
        if (due, still) == (a.objection_due, True):
            continue
        before = {"objection_due": a.objection_due.isoformat(), "objection_due_provisional": True}
        summary = (
            f"{a.organization.name}:按新录入的节假日重算异议截止日期,"
            f"由{_label(a.objection_due, True)}改为{_label(due, still)}"
        )
        Assessment.objects.filter(pk=a.pk).update(objection_due=due, objection_due_provisional=still)
        audit.record(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            verb="grading.objection_due_recompute",
            summary=summary,
            target=a,
            org_path=a.organization.path,
            before=before,
            after={"objection_due": due.isoformat(), "objection_due_provisional": still},
        )
        changed += 1
    return changed
