"""From a passed acceptance to the re-grade (source part 1 §三(三)1, part 2 §六(二) "验收合格后重新评定级次").

A case closed by a passed acceptance asks grading for a year-end re-grade of the organization's latest final
assessment through ``grading.services.yearend.regrade_request_from_rectification`` (direction up; grading knows no
case).
One request per case: the case keeps the link, and filing again returns it.

When the organization has no final grade to move (its campaign is still running, or it has never been graded), the
case stays ``pending``; the grade subscriber calls ``regrade_file_pending`` on every finalization of that
organization and files it then, on behalf of the officer who accepted. The district decides on grading's own
re-grade page; the new final grade comes back through the grade-finalized event and re-sets the category (history
kept in ``CategoryAssignment``).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core import audit
from grading.models import Assessment, AssessmentStatus, RegradeRequest
from grading.services import yearend
from organizations.models import Organization
from rectification.models import Acceptance, Case, RegradeStatus
from rectification.rules.cases import Phase

logger = logging.getLogger(__name__)

# Statuses of an assessment with a final grade the request can move (REGRADE_REQUESTED: one waits already).
_GRADED = (AssessmentStatus.FINAL, AssessmentStatus.REGRADE_REQUESTED)


def latest_assessment(org: Organization) -> Assessment | None:
    """The organization's assessment of its latest campaign, final or not."""
    return (
        Assessment.objects.filter(organization=org)
        .select_related("campaign")
        .order_by("-campaign__year", "-pk")
        .first()
    )


def passed_acceptance(case: Case) -> Acceptance | None:
    return case.acceptances.filter(passed=True).order_by("-held_on", "-pk").first()


def regrade_reason(case: Case, acceptance: Acceptance | None) -> str:
    held = f"{acceptance.held_on:%Y年%-m月%-d日}" if acceptance is not None else ""
    summary = (acceptance.opinion or acceptance.self_check).strip()[:200] if acceptance is not None else ""
    tally = (
        f"代表{acceptance.representatives_total}人测评,满意{acceptance.satisfied}、基本满意"
        f"{acceptance.basically_satisfied}、不满意{acceptance.unsatisfied}"
        if acceptance is not None
        else ""
    )
    parts = [p for p in (f"{case.year}年度整顿{held}检查验收通过", tally, summary) if p]
    return f"{yearend.RECTIFICATION_REASON_PREFIX}:" + ";".join(parts)


def _set(case: Case, status: str, note: str, *, actor: Any, request: RegradeRequest | None = None) -> None:
    """Save the case's re-grade status and note, and record the event (``rectification.regrade_<status>``)."""
    case.regrade_status = status
    case.regrade_note = note[:300]
    fields = ["regrade_status", "regrade_note"]
    if request is not None:
        case.regrade_request = request
        fields.append("regrade_request")
    case.save(update_fields=fields)
    after = {"regrade_request": request.pk} if request is not None else {"regrade_status": status}
    audit.record_on(
        case, actor=actor, verb=f"rectification.regrade_{RegradeStatus(status).value}", summary=note, after=after
    )


def regrade_file(*, case: Case, actor: Any = None) -> RegradeRequest | None:
    """File the re-grade a closed case asks for; idempotent (a filed case returns its request).

    ``actor``: the officer who accepted (default: the passed acceptance's ``decided_by``). Never raises for grading's
    refusals: the acceptance stands, and the case records why the request is pending or not needed.
    """
    with transaction.atomic():
        # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the outer join to regrade_request.
        locked = (
            Case.objects.select_for_update(of=("self",))
            .select_related("organization", "regrade_request")
            .get(pk=case.pk)
        )
        if locked.phase != Phase.ACCEPTED or locked.regrade_requested_at is None:
            return None
        if locked.regrade_status == RegradeStatus.FILED and locked.regrade_request is not None:
            return locked.regrade_request
        if locked.regrade_status == RegradeStatus.NOT_NEEDED:
            return None
        acceptance = passed_acceptance(locked)
        actor = actor if actor is not None else (acceptance.decided_by if acceptance is not None else None)
        org = locked.organization
        assessment = latest_assessment(org)
        if assessment is None or assessment.status not in _GRADED or not assessment.final_grade:
            shown = f"{assessment.campaign.year}年度等次尚未确定" if assessment is not None else "尚无年度定级"
            note = f"{org.name}{shown},等次确定后自动申请复核"
            if locked.regrade_status != RegradeStatus.PENDING:
                _set(locked, RegradeStatus.PENDING, note, actor=actor)
            return None
        try:
            with transaction.atomic():
                request = yearend.regrade_request_from_rectification(
                    assessment=assessment, reason=regrade_reason(locked, acceptance), actor=actor
                )
        except ValidationError as exc:
            # Nothing to move (already 好): the acceptance stands, the case says why no request was filed.
            note = f"未申请复核:{';'.join(exc.messages)}"
            _set(locked, RegradeStatus.NOT_NEEDED, note, actor=actor)
            return None
        except PermissionDenied as exc:
            note = f"暂未申请复核:{exc}。待乡镇(街道)党(工)委按程序申请"
            if locked.regrade_status != RegradeStatus.PENDING or locked.regrade_note != note[:300]:
                _set(locked, RegradeStatus.PENDING, note, actor=actor)
            return None
        note = f"已报区委组织部复核({assessment.campaign.year}年度,现等次“{assessment.get_final_grade_display()}”)"
        _set(locked, RegradeStatus.FILED, note, actor=actor, request=request)
        return request


def regrade_file_pending(*, organization: Organization) -> int:
    """File the pending re-grades of the organization's closed cases (called on each of its finalizations)."""
    filed = 0
    pending = Case.objects.filter(
        organization=organization, phase=Phase.ACCEPTED, regrade_status=RegradeStatus.PENDING
    ).order_by("closed_on", "pk")
    for case in pending:
        filed += regrade_file(case=case) is not None
    return filed


def regrade_catch_up() -> int:
    """File every pending re-grade whose organization has a final grade now (the periodic sweep; idempotent)."""
    filed = 0
    orgs = Organization.objects.filter(
        rectification_cases__phase=Phase.ACCEPTED, rectification_cases__regrade_status=RegradeStatus.PENDING
    ).distinct()
    for org in orgs:
        filed += regrade_file_pending(organization=org)
    return filed
