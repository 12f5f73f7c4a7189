"""The meeting before the vote: opening it, attendance (A1, A9) and the scrutineers and counters (A10)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from elections.access import require_perm
from elections.models import CandidatePost, CandidateStatus, ElectionProject, Meeting, Phase, VoterStatus
from elections.rules.stroke_order import sort_by_stroke
from elections.rules.votes import check_scrutineers
from elections.services.voters import roll_counts
from elections.services.workflow import bump, event, lock
from organizations.roles import Perm


def _require_electing(project: ElectionProject) -> None:
    if project.status != Phase.ELECTING:
        raise ValidationError(f"项目处于“{project.get_status_display()}”阶段,大会选举阶段才能召开党员大会和计票")


# --- Meeting, attendance, scrutineers -----------------------------------------------------------------------


@transaction.atomic
def meeting_open(*, actor: Any, project: ElectionProject, held_on: date) -> Meeting:
    project = lock(project)
    require_perm(actor, Perm.ELECTION_VILLAGE_STEPS, project)
    _require_electing(project)
    meeting, _ = Meeting.objects.update_or_create(project=project, defaults={"held_on": held_on})
    bump(project)
    event(actor, project, "meeting", f"党员大会{held_on}召开")
    return meeting


@transaction.atomic
def attendance_save(*, actor: Any, meeting: Meeting, present_member_ids: list[int]) -> dict[str, int]:
    """Who is present (A9: only those present vote; nobody votes for another). Returns the A1 counts."""
    project = lock(meeting.project)
    require_perm(actor, Perm.ELECTION_VILLAGE_STEPS, project)
    _require_electing(project)
    voters = project.voters.exclude(status=VoterStatus.INELIGIBLE)
    voters.update(present=False)
    voters.filter(member_id__in=present_member_ids).update(present=True)
    counts = roll_counts(project)
    Meeting.objects.filter(pk=meeting.pk).update(present_count=counts["present"])
    meeting.present_count = counts["present"]
    bump(project)
    event(
        actor,
        project,
        "attendance",
        f"实到会{counts['present']}人,应到会{counts['effective']}人,{'超过' if counts['quorum_met'] else '未超过'}4/5",
    )
    return counts


def approved_names(project: ElectionProject, post: str = CandidatePost.COMMITTEE) -> list[str]:
    qs = project.candidates.filter(post=post, status=CandidateStatus.APPROVED).select_related("member")
    return sort_by_stroke([c.member.name for c in qs])


@transaction.atomic
def scrutineers_save(*, actor: Any, meeting: Meeting, scrutineers: list[str], counters: list[str]) -> Meeting:
    """A10: scrutineers (监票人) are not candidates; counters (计票人) are named by the committee."""
    project = lock(meeting.project)
    require_perm(actor, Perm.ELECTION_VILLAGE_STEPS, project)
    scrutineers = [s.strip() for s in scrutineers if s.strip()]
    counters = [s.strip() for s in counters if s.strip()]
    candidates = set(project.candidates.exclude(status=CandidateStatus.REFUSED).values_list("member__name", flat=True))
    failures = check_scrutineers(scrutineers, candidates)
    if failures:
        raise ValidationError([f.message for f in failures])
    if not scrutineers:
        raise ValidationError("请填写监票人")
    Meeting.objects.filter(pk=meeting.pk).update(scrutineers=scrutineers, counters=counters)
    meeting.scrutineers, meeting.counters = scrutineers, counters
    event(actor, project, "scrutineers", f"监票人:{'、'.join(scrutineers)};计票人:{'、'.join(counters)}")
    return meeting
