"""The township's approval (step 27, A12): the elected committee with its posts, written into the roster through
``organizations.services`` (the old committee's positions end and stay in the history)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from elections.access import require_perm
from elections.models import Approval, CandidatePost, ElectionProject, Meeting, RoundStatus
from elections.rules.terms import PostStatus, status_after_election
from elections.services.annulment import approved_since_annulment, vacancies_into_roster
from elections.services.meeting import _require_electing
from elections.services.rounds import annulled_names, elected_for
from elections.services.seat_reduction import seats_filled_problems
from elections.services.workflow import advance, bump, event, lock
from organizations.models import Member, Position, Post
from organizations.roles import Perm
from organizations.services import committee as org_services

# --- The township's approval -----------------------------------------------------------------------------


def proposed_committee(project: ElectionProject) -> list[dict[str, Any]]:
    """The elected committee with each one's post (secretary and deputy first) and A12 status."""
    committee = elected_for(project, CandidatePost.COMMITTEE)
    secretary = elected_for(project, CandidatePost.SECRETARY)
    deputy = elected_for(project, CandidatePost.DEPUTY)
    members = {m.name: m for m in Member.objects.filter(organization=project.organization, left_on__isnull=True)}
    rows = []
    for name in committee:
        post = (
            Post.SECRETARY if name in secretary else Post.DEPUTY_SECRETARY if name in deputy else Post.COMMITTEE_MEMBER
        )
        status = status_after_election(is_secretary_or_deputy=post != Post.COMMITTEE_MEMBER)
        rows.append(
            {
                "name": name,
                "member": members.get(name),
                "post": post,
                "post_label": Post(post).label,
                "status": status,
                "status_label": PostStatus(status).label,
            }
        )
    rows.sort(key=lambda r: [Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.COMMITTEE_MEMBER].index(r["post"]))
    return rows


def _check_approvable(rows: list[dict[str, Any]]) -> None:
    if not rows:
        raise ValidationError("没有当选的委员")
    if not any(r["post"] == Post.SECRETARY for r in rows):
        raise ValidationError("尚未选举书记")
    unknown = [r["name"] for r in rows if r["member"] is None]
    if unknown:
        raise ValidationError(f"当选人不在本组织党员名册中:{'、'.join(unknown)}")


def _committee_into_roster(
    actor: Any, project: ElectionProject, meeting: Meeting, rows: list[dict[str, Any]], decided_on: date
) -> None:
    """The old committee's positions end on the meeting day (kept in the history); the new term and its positions
    start that day, through organizations.services."""
    org = project.organization
    for position in Position.objects.filter(
        organization=org,
        ended_on__isnull=True,
        post__in=[Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.COMMITTEE_MEMBER],
    ):
        org_services.position_end(actor=actor, position=position, ended_on=max(meeting.held_on, position.started_on))
    term = org_services.term_create(
        actor=actor,
        organization=org,
        elected_on=meeting.held_on,
        seats=len(rows),
        note=f"{project.year}年换届选举产生,{decided_on}批复",
    )
    for r in rows:
        org_services.position_assign(
            actor=actor, organization=org, member=r["member"], post=r["post"], started_on=meeting.held_on, term=term
        )
    project.new_term = term
    project.save(update_fields=["new_term", "updated_at"])


@transaction.atomic
def result_approve(
    *, actor: Any, project: ElectionProject, approved: bool = True, note: str = "", decided_on: date | None = None
) -> Approval:
    """Step 27 (批复) and A12: the township approves the result; the new term and positions go into the roster through
    organizations.services (the old committee's positions end that day and stay in the history)."""
    project = lock(project)
    require_perm(actor, Perm.ELECTION_MANAGE, project)
    _require_electing(project)
    if approved_since_annulment(project):  # approved again after a 宣布当选无效 and the re-election
        raise ValidationError("选举结果已经批复")
    meeting = Meeting.objects.filter(project=project).first()
    if meeting is None:
        raise ValidationError("尚未召开党员大会")
    if meeting.rounds.filter(status__in=[RoundStatus.OPEN, RoundStatus.COUNTED]).exists():
        raise ValidationError("还有未公布结果的投票轮次")
    rows = proposed_committee(project)
    decided_on = decided_on or timezone.localdate()
    if approved:
        _check_approvable(rows)
        problems = seats_filled_problems(project)  # A5: every seat filled, or the congress agreed to fewer
        if problems:
            raise ValidationError(problems)
    approval = Approval.objects.create(
        project=project,
        approved=approved,
        note=note[:300],
        decided_by=actor,
        decided_on=decided_on,
        elected=[
            {"member": r["member"].pk if r["member"] else None, "name": r["name"], "post": r["post"]} for r in rows
        ],
    )
    if approved and project.new_term_id:  # a re-election after 宣布当选无效: the term stays, the vacancies fill
        vacancies_into_roster(actor, project, rows, decided_on)
    elif approved:
        _committee_into_roster(actor, project, meeting, rows, decided_on)
    bump(project)
    event(
        actor,
        project,
        "approve",
        f"选举结果{'批复同意' if approved else '不予批准'}" + (f":{note}" if note else ""),
        after={"elected": [asdict_row(r) for r in rows]},
    )
    if approved and annulled_names(project):
        advance(actor, project)  # back to 后续工作 when step 27 was done before the annulment
    return approval


def asdict_row(row: dict[str, Any]) -> dict[str, str]:
    return {"name": row["name"], "post": str(row["post"])}


def secretary_status(project: ElectionProject) -> str:
    """A12: "pending approval" until the township approves the result (again, after an annulment)."""
    if approved_since_annulment(project):
        return PostStatus.APPROVED
    return PostStatus.PENDING_APPROVAL
