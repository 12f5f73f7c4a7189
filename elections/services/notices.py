"""The candidate notice (step 17): published for a number of working days (D1), refused with the year named when
that year's holidays are not entered (D3).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.workdays import CalendarMissing, window_end
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


def calendar_missing_message(year: int, what: str) -> str:
    """The refusal when a working-day deadline reaches a year whose holidays nobody has entered yet (RULES D3)."""
    return (
        f"{what}要按工作日计算到{year}年,但{year}年的法定节假日和调休安排尚未录入,现在无法算出截止日期。"
        f"请区委组织部在“节假日与调休”页面录入{year}年的安排后再办理;已填写的内容仍保留在本页。"
    )


def notice_window_end(starts_on: date, working_days: int) -> date:
    """The last day of the candidate notice (D1); a missing holiday year is a ValidationError naming the year."""
    if working_days > MAX_NOTICE_WORKING_DAYS:
        raise ValidationError(f"公示期最多{MAX_NOTICE_WORKING_DAYS}个工作日")
    try:
        return window_end(starts_on, working_days, working_days=True)
    except CalendarMissing as exc:
        raise ValidationError(calendar_missing_message(exc.year, "公示期")) from exc


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
    ends_on = notice_window_end(starts_on, working_days)
    notice, _ = CandidateNotice.objects.update_or_create(
        project=project,
        defaults={
            "title": title or f"{project.organization.name}新一届委员会委员候选人预备人选公示",
            "body": body,
            "contact": contact,
            "working_days": working_days,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "published_by": actor,
        },
    )
    bump(project)
    event(actor, project, "notice", f"公示候选人预备人选{starts_on}至{ends_on}({working_days}个工作日)")
    return notice
