"""A1a 选举条例 Art. 16: the higher body's consent to the members left out of "due" and the congress's vote on it,
each recorded (who, when, the document or the count); a ballot counts them as excused only once both are there."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from elections.access import require_perm
from elections.models import ElectionProject, ExcusalDecision, Meeting, VoterStatus
from elections.rules.excusal import ExcusalRecord, check_excusal, check_vote
from elections.rules.failures import errors
from elections.services.workflow import bump, event, lock
from organizations.roles import Perm


def _excused(project: ElectionProject) -> list[tuple[int, str]]:
    rows = project.voters.filter(status=VoterStatus.EXCUSED).order_by("member__name")
    return list(rows.values_list("pk", "member__name"))


def _due(project: ElectionProject) -> int:
    return project.voters.exclude(status=VoterStatus.INELIGIBLE).count()


def excusal_record(project: ElectionProject) -> ExcusalRecord:
    decision = ExcusalDecision.objects.filter(project=project).first()
    if decision is None:
        return ExcusalRecord()
    return ExcusalRecord(
        consented=frozenset(decision.consented),
        votes_for=decision.votes_for,
        votes_against=decision.votes_against,
        abstained=decision.abstained,
    )


def excusal_problems(project: ElectionProject) -> list[str]:
    """Why the excused members cannot be left out of "due" yet (empty: they can, or no one is excused)."""
    excused = [pk for pk, _ in _excused(project)]
    return [f.message for f in check_excusal(excused, excusal_record(project), due=_due(project))]


def require_excusal_settled(project: ElectionProject) -> None:
    problems = excusal_problems(project)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def excusal_consent(
    *, actor: Any, project: ElectionProject, document: str, consent_on: date | None = None
) -> ExcusalDecision:
    """The higher body (the township) consents to the current list of excused members; a new list needs a new
    consent, and the congress votes again on it."""
    project = lock(project)
    require_perm(actor, Perm.ELECTION_MANAGE, project)
    excused = _excused(project)
    if not excused:
        raise ValidationError("没有登记为不计入应到会人数的党员")
    document = document.strip()
    if not document:
        raise ValidationError("请填写同意的文号或说明")
    consent_on = consent_on or timezone.localdate()
    if consent_on > timezone.localdate():
        raise ValidationError("同意日期不能晚于今天")
    decision, _ = ExcusalDecision.objects.update_or_create(
        project=project,
        defaults={
            "consented": [pk for pk, _ in excused],
            "consented_names": [name for _, name in excused],
            "consent_by": actor,
            "consent_on": consent_on,
            "consent_document": document[:100],
            "votes_for": None,
            "votes_against": 0,
            "abstained": 0,
            "voted_on": None,
            "vote_recorded_by": None,
        },
    )
    bump(project)
    names = "、".join(name for _, name in excused)
    event(actor, project, "excusal_consent", f"上级党组织同意{names}不计入应到会人数({document[:100]})")
    return decision


@transaction.atomic
def excusal_vote(
    *, actor: Any, project: ElectionProject, votes_for: int, votes_against: int, abstained: int
) -> ExcusalDecision:
    """The congress's vote on the consented list, entered on the day of the congress."""
    project = lock(project)
    require_perm(actor, Perm.ELECTION_VILLAGE_STEPS, project)
    decision = ExcusalDecision.objects.filter(project=project).first()
    excused = [pk for pk, _ in _excused(project)]
    if decision is None or frozenset(decision.consented) != frozenset(excused):
        raise ValidationError("不计入应到会人数的名单须先经上级党组织同意,再提交党员大会表决")
    meeting = Meeting.objects.filter(project=project).first()
    if meeting is None:
        raise ValidationError("尚未召开党员大会")
    due = _due(project)
    failures = errors(check_vote(votes_for=votes_for, votes_against=votes_against, abstained=abstained, due=due))
    if failures:
        raise ValidationError([f.message for f in failures])
    decision.votes_for, decision.votes_against, decision.abstained = votes_for, votes_against, abstained
    decision.voted_on, decision.vote_recorded_by = meeting.held_on, actor
    decision.save(update_fields=["votes_for", "votes_against", "abstained", "voted_on", "vote_recorded_by"])
    bump(project)
    event(
        actor,
        project,
        "excusal_vote",
        f"党员大会表决不计入应到会人数:赞成{votes_for}人,反对{votes_against}人,弃权{abstained}人",
    )
    return decision
