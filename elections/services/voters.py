"""The voter roll (A1, A1a, A2): registering it from the roster, excusing, notifying, and its counts."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from elections.access import require_perm
from elections.models import (
    ElectionProject,
    ExcuseReason,
    Voter,
    VoterStatus,
)
from elections.rules.votes import VoterFacts, counts_toward_due, quorum_met, quorum_needed
from elections.services.workflow import bump, event, lock
from organizations.models import Member, MemberStatus
from organizations.roles import Perm


@transaction.atomic
def voters_register(*, actor: Any, project: ElectionProject) -> int:
    """Step 10: the roll from the roster. Full members are due (A2); probationary members and those under 留党察看
    are listed without a vote; out-migrant members are flagged for notification. Idempotent: kept rows keep their
    excused reasons."""
    project = lock(project)
    require_perm(actor, Perm.ELECTION_VILLAGE_STEPS, project)
    existing = set(project.voters.values_list("member_id", flat=True))
    new = []
    for m in Member.objects.filter(organization=project.organization, left_on__isnull=True):
        if m.pk in existing:
            continue
        eligible = counts_toward_due(VoterFacts(m.name, m.status == MemberStatus.FULL, m.under_party_probation))
        new.append(
            Voter(
                project=project,
                member=m,
                status=VoterStatus.DUE if eligible else VoterStatus.INELIGIBLE,
                is_migrant=m.is_migrant,
                note="" if eligible else ("留党察看期间" if m.under_party_probation else "预备党员"),
            )
        )
    Voter.objects.bulk_create(new)
    bump(project)
    event(actor, project, "voters", f"从名册登记{len(new)}名党员")
    return len(new)


@transaction.atomic
def voter_excuse(*, actor: Any, voter: Voter, reason: str, note: str = "") -> Voter:
    """A1a: excused from "due" with one of the recorded grounds; an empty reason returns the member to "due"."""
    project = lock(voter.project)
    require_perm(actor, Perm.ELECTION_VILLAGE_STEPS, project)
    voter = Voter.objects.select_related("member").get(pk=voter.pk)
    if voter.status == VoterStatus.INELIGIBLE:
        raise ValidationError(f"{voter.member.name}没有选举权,不计入应到会人数")
    if reason and reason not in ExcuseReason.values:
        raise ValidationError("请选择不计入应到会人数的原因")
    voter.status = VoterStatus.EXCUSED if reason else VoterStatus.DUE
    voter.excuse_reason, voter.note = reason, note[:200]
    voter.save(update_fields=["status", "excuse_reason", "note"])
    bump(project)
    event(
        actor,
        project,
        "voter_excuse",
        f"{voter.member.name}{'不计入应到会人数:' + voter.get_excuse_reason_display() if reason else '计入应到会人数'}",
    )
    return voter


@transaction.atomic
def voter_notified(*, actor: Any, voter: Voter, on: date) -> Voter:
    project = lock(voter.project)
    require_perm(actor, Perm.ELECTION_VILLAGE_STEPS, project)
    Voter.objects.filter(pk=voter.pk).update(notified_on=on)
    voter.notified_on = on
    event(actor, project, "voter_notified", f"已通知流动党员{voter.member.name}")
    return voter


def roll_counts(project: ElectionProject) -> dict[str, int]:
    """A1 preview: due before excusing, excused, and the fewest present for a valid vote."""
    rows = dict.fromkeys(VoterStatus.values, 0)
    present = 0
    for status, is_present in project.voters.values_list("status", "present"):
        rows[status] += 1
        present += is_present and status != VoterStatus.INELIGIBLE
    due = rows[VoterStatus.DUE] + rows[VoterStatus.EXCUSED]
    excused = rows[VoterStatus.EXCUSED]
    return {
        "due": due,
        "excused": excused,
        "effective": due - excused,
        "ineligible": rows[VoterStatus.INELIGIBLE],
        "quorum_needed": quorum_needed(due=due, excused=excused) if due - excused > 0 else 0,
        "present": present,
        "quorum_met": due - excused > 0 and quorum_met(due=due, excused=excused, present=present),
    }
