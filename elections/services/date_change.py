"""A13 选举条例 Art. 3: an election away from the term's end (延期 or 提前) is requested when the project is opened
and waits for the higher body's approval (who, when, the document); no step is done until it is approved."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from elections.access import require_perm
from elections.models import DateChange, DecisionStatus, ElectionProject
from elections.rules.terms import date_change_kind
from elections.services.workflow import bump, event, lock
from organizations.roles import Perm

SOURCE = "《中国共产党基层组织选举工作条例》第三条"


def date_change_request(*, actor: Any, project: ElectionProject, term_ends: date, reason: str) -> DateChange | None:
    """Called by project_create: records the request when the election is not on the term's end day."""
    kind = date_change_kind(term_ends, project.election_date)
    if not kind:
        return None
    reason = reason.strip()
    if not reason:
        raise ValidationError(f"任期{term_ends.isoformat()}届满,换届{kind}须说明理由并报上级党组织批准({SOURCE})")
    change = DateChange.objects.create(
        project=project,
        term_ends=term_ends,
        election_date=project.election_date,
        reason=reason[:500],
        requested_by=actor,
    )
    event(actor, project, "date_change_request", f"申请换届{kind}至{project.election_date}:{reason[:100]}")
    return change


@transaction.atomic
def date_change_decide(
    *,
    actor: Any,
    project: ElectionProject,
    approved: bool,
    document: str = "",
    decided_on: date | None = None,
    note: str = "",
) -> DateChange:
    """The higher body approves or refuses the request, with the reply's document number and the day."""
    project = lock(project)
    require_perm(actor, Perm.ELECTION_MANAGE, project)
    change = DateChange.objects.filter(project=project).first()
    if change is None or not change.is_pending:
        raise ValidationError("没有待批准的换届延期(提前)申请")
    today = timezone.localdate()
    decided_on = decided_on or today
    if decided_on > today:
        raise ValidationError("批复日期不能晚于今天")
    document = document.strip()
    if approved and not document:
        raise ValidationError("请填写批复文号")
    change.status = DecisionStatus.APPROVED if approved else DecisionStatus.REFUSED
    change.decided_by, change.decided_on, change.document, change.note = actor, decided_on, document[:60], note[:200]
    change.save(update_fields=["status", "decided_by", "decided_on", "document", "note"])
    bump(project)
    event(
        actor,
        project,
        "date_change_decide",
        f"换届{change.kind}申请{change.get_status_display()}" + (f"({document})" if document else ""),
        after={"status": change.status, "document": document, "decided_on": decided_on.isoformat()},
    )
    return change
