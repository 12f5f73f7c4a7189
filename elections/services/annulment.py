"""取消候选人资格 and 宣布当选无效 (第五篇 六.2): "对候选人及其亲友直接或指使他人用金钱、财物或者其他利益收买本村选民,
被确认为有贿选行为的,取消其候选人资格或宣布其当选无效".

Both are decisions of the township committee or the district (``Perm.ELECTION_MANAGE``, "责任在乡镇、指导在县"),
recorded with the ground, what was established, who decided (which body), the document number and date and an
optional scan. A disqualified candidate leaves the list (``CandidateStatus.DISQUALIFIED``: on no later ballot); an
annulled election frees the seat (``services.rounds.elected_for`` leaves the name out), the person's post in the new
committee ends, a project already in 后续工作 goes back to the congress (``workflow`` move "reopen"), and the seat is
elected again by a further ballot (``services.rounds.reopened_ballot``, the A5 path) and approved again
(``services.approval.result_approve`` through ``approved_since_annulment`` and ``vacancies_into_roster``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core.uploads import display_name, file_problems, stored_name
from elections.access import require_perm
from elections.models import (
    Candidate,
    CandidatePost,
    CandidateStatus,
    DecidingBody,
    ElectionProject,
    Incident,
    Meeting,
    Phase,
    RoundStatus,
    Sanction,
    SanctionKind,
)
from elections.rules.incidents import Ground, check_annul, check_decision, check_disqualify
from elections.services.rounds import annulled_names, elected_for
from elections.services.workflow import STEP_DOCUMENTS, bump, event, lock, transition
from organizations.models import Position
from organizations.roles import Perm
from organizations.services import committee as org_services


@dataclass(frozen=True)
class Decision:
    """What both sanctions record: the ground, what was established, who decided, the document."""

    ground: str
    reason: str
    body: str
    decided_by_name: str
    document_number: str
    decided_on: date
    upload: UploadedFile | None = None
    incident: Incident | None = None


def _check(decision: Decision, project: ElectionProject) -> None:
    problems = [
        f.message
        for f in check_decision(
            reason=decision.reason,
            decided_by=decision.decided_by_name,
            document_number=decision.document_number,
            ground=decision.ground,
        )
    ]
    if decision.body not in DecidingBody.values:
        problems.append("请选择决定机关")
    if decision.decided_on > timezone.localdate():
        problems.append("决定日期不能晚于今天")
    if decision.incident is not None and decision.incident.project_id != project.pk:
        problems.append("所选事件不属于本次换届")
    if decision.upload is not None:
        problems += file_problems(decision.upload, STEP_DOCUMENTS)
    if problems:
        raise ValidationError(problems)


def _round_running(project: ElectionProject) -> bool:
    meeting = Meeting.objects.filter(project=project).first()
    return meeting is not None and meeting.rounds.filter(status__in=[RoundStatus.OPEN, RoundStatus.COUNTED]).exists()


def _record(actor: Any, project: ElectionProject, kind: str, decision: Decision, **who: Any) -> Sanction:
    saved = ""
    if decision.upload is not None:
        saved = default_storage.save(
            f"elections/sanctions/{project.pk}/{stored_name(decision.upload.name or '')}", decision.upload
        )
    try:
        return Sanction.objects.create(
            project=project,
            kind=kind,
            incident=decision.incident,
            ground=decision.ground,
            reason=decision.reason.strip(),
            body=decision.body,
            decided_by_name=decision.decided_by_name.strip()[:60],
            document_number=decision.document_number.strip()[:60],
            decided_on=decision.decided_on,
            file=saved,
            original_name=display_name(decision.upload.name or "") if decision.upload is not None else "",
            recorded_by=actor,
            **who,
        )
    except BaseException:
        if saved:
            default_storage.delete(saved)
        raise


def _words(sanction: Sanction) -> str:
    return (
        f"经{sanction.get_body_display()}决定({sanction.document_number},{sanction.decided_on}),"
        f"查实{Ground(sanction.ground).label}"
    )


@transaction.atomic
def candidate_disqualify(*, actor: Any, candidate: Candidate, decision: Decision) -> Sanction:
    """取消候选人资格: every candidacy of the person in the project (committee, secretary) leaves the list."""
    project = lock(candidate.project)
    require_perm(actor, Perm.ELECTION_MANAGE, project)
    candidate = Candidate.objects.select_related("member").get(pk=candidate.pk)
    elected = candidate.member.name in elected_for(project, CandidatePost.COMMITTEE)
    failures = check_disqualify(status=candidate.status, elected=elected, round_running=_round_running(project))
    if failures:
        raise ValidationError([f.message for f in failures])
    _check(decision, project)
    rows = project.candidates.filter(member=candidate.member).exclude(status=CandidateStatus.DISQUALIFIED)
    rows.update(status=CandidateStatus.DISQUALIFIED)
    sanction = _record(
        actor, project, SanctionKind.DISQUALIFY, decision, candidate=candidate, name=candidate.name, post=candidate.post
    )
    bump(project)
    event(
        actor,
        project,
        "disqualify",
        f"取消{candidate.name}的候选人资格:{_words(sanction)}",
        after={"name": candidate.name, "document": sanction.document_number},
    )
    return sanction


def _election_round(project: ElectionProject, name: str) -> Any:
    meeting = Meeting.objects.filter(project=project).first()
    rounds = meeting.rounds.filter(status=RoundStatus.VALID).select_related("result").order_by("number")
    return next((r for r in rounds if name in r.result.elected), None)


def _end_posts(actor: Any, project: ElectionProject, name: str, ended_on: date) -> list[str]:
    """The annulled person's posts in the new committee end (kept in the history); returns the posts' names."""
    if project.new_term_id is None:
        return []
    ended = []
    for position in Position.objects.filter(
        term=project.new_term, member__name=name, ended_on__isnull=True
    ).select_related("member"):
        org_services.position_end(actor=actor, position=position, ended_on=max(ended_on, position.started_on))
        ended.append(position.get_post_display())
    return ended


@transaction.atomic
def result_annul(*, actor: Any, project: ElectionProject, name: str, decision: Decision) -> Sanction:
    """宣布当选无效: the person's election (committee, and secretary or deputy with it) is void; the seat is open."""
    project = lock(project)
    require_perm(actor, Perm.ELECTION_MANAGE, project)
    failures = check_annul(
        name=name,
        elected=elected_for(project, CandidatePost.COMMITTEE),
        annulled=annulled_names(project),
        phase=project.status,
        round_running=_round_running(project),
    )
    if failures:
        raise ValidationError([f.message for f in failures])
    _check(decision, project)
    candidate = project.candidates.filter(member__name=name, post=CandidatePost.COMMITTEE).first()
    sanction = _record(
        actor,
        project,
        SanctionKind.ANNUL,
        decision,
        candidate=candidate,
        name=name,
        post=CandidatePost.COMMITTEE,
        ballot_round=_election_round(project, name),
    )
    sanction.approval_undone = project.approvals.filter(approved=True).order_by("-pk").first()
    sanction.save(update_fields=["approval_undone"])
    ended = _end_posts(actor, project, name, decision.decided_on)
    bump(project)
    event(
        actor,
        project,
        "annul",
        f"宣布{name}当选无效:{_words(sanction)}" + (f";免去{'、'.join(ended)}职务" if ended else ""),
        after={"name": name, "document": sanction.document_number, "post": ended},
    )
    if project.status == Phase.FOLLOWING_UP:
        transition(actor=actor, project=project, action="reopen", note=f"{name}当选无效")
    return sanction


# --- Approval again after an annulment ------------------------------------------------------------------------------


def approved_since_annulment(project: ElectionProject) -> bool:
    """The result has an approval no later annulment undid (step 27 批复 is given again after a re-election)."""
    approval = project.approvals.filter(approved=True).order_by("-pk").first()
    if approval is None:
        return False
    last = Sanction.objects.filter(project=project, kind=SanctionKind.ANNUL).order_by("-pk").first()
    return last is None or last.approval_undone_id != approval.pk


def vacancies_into_roster(actor: Any, project: ElectionProject, rows: list[dict[str, Any]], started_on: date) -> None:
    """Approval after a re-election: the term stays; whoever has no post (or another post) in it gets theirs."""
    term = project.new_term
    for r in rows:
        held = Position.objects.filter(term=term, member=r["member"], ended_on__isnull=True).first()
        if held is not None and held.post == r["post"]:
            continue
        if held is not None:
            org_services.position_end(actor=actor, position=held, ended_on=max(started_on, held.started_on))
        org_services.position_assign(
            actor=actor,
            organization=project.organization,
            member=r["member"],
            post=r["post"],
            started_on=started_on,
            term=term,
        )


def annulments_of(project: ElectionProject) -> list[Sanction]:
    return list(project.sanctions.filter(kind=SanctionKind.ANNUL).order_by("decided_on", "pk"))


__all__ = [
    "Decision",
    "annulments_of",
    "approved_since_annulment",
    "candidate_disqualify",
    "result_annul",
    "vacancies_into_roster",
]
