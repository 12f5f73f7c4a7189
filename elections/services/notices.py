"""The candidate notice (step 17): published for a number of working days (D1). When the window reaches a year whose
holidays nobody has entered, its end is the Monday–Friday estimate marked 暂定 (D3, ``ends_on_provisional``), shown
as 暂定 wherever it is shown and computed again by ``recompute_provisional`` (registered with ``core.provisional``,
called by the calendar services) when the district enters that year: one audit event per notice that changed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core import audit
from core.workdays import provisional_window_end
from elections.access import require_perm
from elections.models import (
    CandidateNotice,
    CandidateStatus,
    ElectionProject,
    ListStage,
)
from elections.services.workflow import bump, event, lock
from organizations.roles import Perm

MAX_NOTICE_WORKING_DAYS = 30  # a bound for the typed length (the notice is days, not months)


NOTICE_WORKING_DAYS = 5  # source part 5 step 17 leaves the length open; 5 working days is the district's default [L]


def notice_window_end(starts_on: date, working_days: int) -> tuple[date, bool]:
    """The last day of the candidate notice (D1) and whether it is 暂定 (a year it reaches has no holidays yet, D3)."""
    if working_days > MAX_NOTICE_WORKING_DAYS:
        raise ValidationError(f"公示期最多{MAX_NOTICE_WORKING_DAYS}个工作日")
    return provisional_window_end(starts_on, working_days)


def _label(day: date, provisional: bool) -> str:
    return f"{day:%Y-%m-%d}" + ("(暂定)" if provisional else "")


def recompute_provisional(actor: Any) -> int:
    """D3: compute every 暂定 notice end again from the calendar as it now stands; return how many changed."""
    changed = 0
    rows = CandidateNotice.objects.select_for_update(of=("self",)).select_related("project__organization")
    for notice in rows.filter(ends_on_provisional=True):
        ends_on, still = provisional_window_end(notice.starts_on, notice.working_days)
        if (ends_on, still) == (notice.ends_on, True):
            continue
        CandidateNotice.objects.filter(pk=notice.pk).update(ends_on=ends_on, ends_on_provisional=still)
        audit.record_on(
            notice.project,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            verb="election.notice_recompute",
            summary=f"按新录入的节假日重算候选人预备人选公示结束日期,由{_label(notice.ends_on, True)}改为"
            f"{_label(ends_on, still)}",
            before={"ends_on": notice.ends_on.isoformat(), "ends_on_provisional": True},
            after={"ends_on": ends_on.isoformat(), "ends_on_provisional": still},
        )
        changed += 1
    return changed


@transaction.atomic
def notice_publish(
    *,
    actor: Any,
    project: ElectionProject,
    starts_on: date,
    working_days: int = NOTICE_WORKING_DAYS,
    title: str = "",
    body: str = "",
    contact: str = "",
) -> CandidateNotice:
    """Step 17: the candidate list in public for ``working_days`` working days from ``starts_on`` (D1 arithmetic)."""
    project = lock(project)
    require_perm(actor, Perm.ELECTION_VILLAGE_STEPS, project)
    if not project.candidates.filter(stage=ListStage.FINAL).exclude(status=CandidateStatus.REFUSED).exists():
        raise ValidationError("候选人预备人选名单为空,不能公示")
    if working_days < 1:
        raise ValidationError("公示期至少1个工作日")
    ends_on, provisional = notice_window_end(starts_on, working_days)
    notice, _ = CandidateNotice.objects.update_or_create(
        project=project,
        defaults={
            "title": title or f"{project.organization.name}新一届委员会委员候选人预备人选公示",
            "body": body,
            "contact": contact,
            "working_days": working_days,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "ends_on_provisional": provisional,
            "published_by": actor,
        },
    )
    bump(project)
    event(
        actor,
        project,
        "notice",
        f"公示候选人预备人选{starts_on}至{_label(ends_on, provisional)}({working_days}个工作日)",
    )
    return notice
