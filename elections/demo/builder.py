"""Demo data of elections (两推一选): village projects whose terms end within six months, at various phases, each
made through the services as the township and district demo accounts.
- one completed end to end: voters, recommendations, candidates with their joint review, notice, the congress, a
  committee round and a secretary round counted, approved (the new committee and its “两委” posts recorded), closed;
- one at the congress: attendance taken, the committee ballot open and ready for the count, a 重要舆情 open;
- one choosing candidates (the joint review awaits the re-review, one 不同意) with an overdue step; one just opened;
- one whose election was declared void for 贿选, being re-elected (``demo/incidents.py``); one postponed (A13).

Deterministic (villages by term end then path, members by id; dates counted from today because a step cannot be
done in the future) and idempotent: a district that already has election projects is left alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from core.documents import render_pdf
from elections.demo import review as demo_review
from elections.demo.villages import expiring_villages
from elections.documents.papers import paper_for
from elections.models import (
    CandidatePost,
    CandidateStatus,
    DateChange,
    ElectionProject,
    ListStage,
    OwnerLevel,
    Phase,
    PledgeKind,
    RecommendationRound,
    RoundPurpose,
    Step,
    VoterStatus,
)
from elections.rules.eligibility import BarringGround, SecretaryGround
from elections.rules.votes import min_candidates
from elections.services import workflow
from elections.services.approval import result_approve
from elections.services.candidates import (
    candidate_add,
    candidates_approve,
    candidates_promote,
    eligibility_record,
    pledge_record,
    recommendation_ranking,
    recommendations_save,
)
from elections.services.counts import NeedsConfirmation, count_totals
from elections.services.date_change import date_change_decide
from elections.services.meeting import attendance_save, meeting_open, scrutineers_save
from elections.services.notices import notice_publish
from elections.services.projects import project_create, township_of
from elections.services.rounds import elected_for, round_close, round_open
from elections.services.step_documents import step_document_generate
from elections.services.voters import voters_register
from organizations.models import CommitteeTerm, Member, MemberStatus, Organization, RoleAssignment
from organizations.roles import Role
from organizations.rules import HIGH_SCHOOL_OR_ABOVE

MAX_CANDIDATE_AGE = 50
DEMO_DEPARTMENT = "县纪委监委"
SECRETARY_DEPARTMENT = "县委组织部"


@dataclass
class ElectionsDemoSummary:
    created: bool
    projects: int = 0
    lines: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class Actors:
    township: Any
    district: Any

    def for_step(self, step: Step) -> Any:
        return self.district if step.template.owner == OwnerLevel.COUNTY else self.township


def _township_user(org: Organization) -> Any:
    township = township_of(org)
    grant = (
        RoleAssignment.objects.filter(organization=township, role=Role.TOWNSHIP_STAFF, revoked_at__isnull=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return grant.user if grant else None


class Builder:
    def __init__(self, today: date, district: Any) -> None:
        self.today = today
        self.district = district
        self._material: bytes | None = None

    # --- steps -----------------------------------------------------------------------------------------------

    def material(self) -> bytes:
        if self._material is None:  # one real PDF, reused for every placeholder document
            self._material = render_pdf("elections/documents/demo_material.html", {})
        return self._material

    def attach(self, actors: Actors, step: Step, *, papers: bool) -> None:
        have = set(step.documents.values_list("kind", flat=True))
        for kind in step.template.required_documents:
            if kind in have:
                continue
            if papers and paper_for(step.template.number, kind) is not None:
                step_document_generate(actor=actors.for_step(step), step=step, kind=kind)
                continue
            upload = SimpleUploadedFile(f"{step.template.title}.pdf", self.material(), content_type="application/pdf")
            workflow.document_upload(actor=actors.for_step(step), step=step, kind=kind, upload=upload)

    def finish(self, actors: Actors, project: ElectionProject, *, until: str, papers: bool = False) -> ElectionProject:
        """Every step of each phase done (documents first), phase by phase, until the project reaches ``until``."""
        project.refresh_from_db()
        while project.status != until:
            steps = project.steps.filter(template__phase=project.status, done_on__isnull=True).select_related(
                "template"
            )
            for step in steps.order_by("template__number"):
                self.step(actors, step, papers=papers)
            project.refresh_from_db()
        return project

    def step(self, actors: Actors, step: Step, *, papers: bool = False) -> None:
        self.attach(actors, step, papers=papers)
        workflow.step_done(actor=actors.for_step(step), step=step, done_on=min(step.due_on, self.today))

    # --- people ----------------------------------------------------------------------------------------------

    def eligible_members(self, org: Organization, on: date) -> list[Member]:
        """Full members who would pass §三 on facts alone: resident, not too old, high school or above; unique names
        (the result is matched to the roster by name)."""
        rows = Member.objects.filter(
            organization=org,
            left_on__isnull=True,
            status=MemberStatus.FULL,
            under_party_probation=False,
            is_migrant=False,
            education__in=sorted(HIGH_SCHOOL_OR_ABOVE),
            birth_date__gt=on.replace(year=on.year - MAX_CANDIDATE_AGE),
        ).order_by("pk")
        names = list(Member.objects.filter(organization=org, left_on__isnull=True).values_list("name", flat=True))
        return [m for m in rows if names.count(m.name) == 1]

    def nominate(self, actors: Actors, project: ElectionProject, *, approve: bool) -> list[Any]:
        """两推 tallies, the committee list with a margin (A11) and a secretary nominee, each through the joint review;
        then the inspection and final lists, the township's approval and the notice when ``approve``.

        Long because it is the demo's script of one phase, service call after service call, as a user would do it."""
        org = project.organization
        pool = self.eligible_members(org, project.election_date)
        wanted = min_candidates(project.seats)
        picked = pool[: wanted + 2]
        full = Member.objects.filter(organization=org, status=MemberStatus.FULL, left_on__isnull=True).count()
        recommendations_save(
            actor=actors.township,
            project=project,
            round=RecommendationRound.MEMBERS,
            counts={m.pk: max(full - 2 * i, 1) for i, m in enumerate(picked)},
        )
        recommendations_save(
            actor=actors.township,
            project=project,
            round=RecommendationRound.RESIDENTS,
            counts={m.pk: 30 - 3 * i for i, m in enumerate(picked)},
        )
        recommendations_save(
            actor=actors.township,
            project=project,
            round=RecommendationRound.TOWNSHIP,
            counts={m.pk: 1 for m in picked[:wanted]},
        )
        barring = {f"barring:{g.value}": True for g in BarringGround}
        committee = []
        for m in picked:
            c = candidate_add(actor=actors.township, project=project, member=m)
            c = eligibility_record(actor=actors.township, candidate=c, department=DEMO_DEPARTMENT, results=barring)
            if c.status == CandidateStatus.ELIGIBLE:
                committee.append(c)
        committee = committee[:wanted]
        if len(committee) < wanted:
            raise ValidationError(f"{org.name}资格审查通过的人选不足{wanted}名")
        secretary = candidate_add(
            actor=actors.township, project=project, member=committee[0].member, post=CandidatePost.SECRETARY
        )
        secretary_items = {f"secretary:{g.value}": True for g in SecretaryGround}
        secretary = eligibility_record(
            actor=actors.township,
            candidate=secretary,
            department=SECRETARY_DEPARTMENT,
            results=barring | secretary_items,
        )
        ids = [c.pk for c in [*committee, secretary]]
        if not approve:
            others = [m for m in picked if m not in {c.member for c in committee}]
            demo_review.review_pending(actors, project, others, self.today)
            return committee
        demo_review.review(actors, project, ids, self.today, rereview=True)
        candidates_promote(actor=actors.township, project=project, stage=ListStage.INSPECTION, candidate_ids=ids)
        candidates_promote(actor=actors.township, project=project, stage=ListStage.FINAL, candidate_ids=ids)
        candidates_approve(actor=actors.township, project=project)
        notice_step = project.steps.get(template__number=17)
        notice_publish(
            actor=actors.township, project=project, starts_on=min(notice_step.due_on, self.today), contact="乡镇组织办"
        )
        for c in committee:
            for kind in (PledgeKind.DISCIPLINE, PledgeKind.CANDIDACY):
                pledge_record(
                    actor=actors.township, candidate=c, kind=kind, signed_on=min(notice_step.due_on, self.today)
                )
        return committee

    # --- the congress --------------------------------------------------------------------------------------------

    def congress(self, actors: Actors, project: ElectionProject, held_on: date) -> Any:
        meeting = meeting_open(actor=actors.township, project=project, held_on=held_on)
        due = list(
            project.voters.filter(status=VoterStatus.DUE).order_by("member_id").values_list("member_id", flat=True)
        )
        attendance_save(actor=actors.township, meeting=meeting, present_member_ids=due[:-1])
        candidates = set(project.candidates.values_list("member__name", flat=True))
        others = [
            n
            for n in project.voters.filter(status=VoterStatus.DUE)
            .order_by("-member_id")
            .values_list("member__name", flat=True)
            if n not in candidates
        ]
        scrutineers_save(actor=actors.township, meeting=meeting, scrutineers=others[:2], counters=others[2:3])
        meeting.refresh_from_db()
        return meeting

    def count(self, actor: Any, ballot_round: Any, votes: dict[str, int], ballots: int) -> None:
        """Per-name totals, every warning confirmed (the demo's counts are the paper's), then the result."""
        kwargs = {
            "actor": actor,
            "ballot_round": ballot_round,
            "issued": ballots,
            "returned": ballots,
            "valid_ballots": ballots,
            "invalid_ballots": 0,
            "votes": votes,
        }
        try:
            count_totals(**kwargs)
        except NeedsConfirmation as exc:
            count_totals(**kwargs, confirm=[f.code for f in exc.findings])
        round_close(actor=actor, ballot_round=ballot_round)

    # --- the projects ----------------------------------------------------------------------------------------------

    def open(self, org: Organization, term: CommitteeTerm, election_date: date) -> tuple[Actors, ElectionProject]:
        township_user = _township_user(org)
        actors = Actors(township=township_user or self.district, district=self.district)
        project = project_create(
            actor=actors.township,
            organization=org,
            election_date=election_date,
            seats=min(term.seats, 5),
            date_reason="按乡镇党委统一部署开展换届",
        )
        if DateChange.objects.filter(project=project).exists():  # A13: away from the term's end, approved first
            date_change_decide(
                actor=actors.township, project=project, approved=True, document=f"{org.name}换届时间批复"
            )
        return actors, project

    def completed(self, org: Organization, term: CommitteeTerm) -> str:
        held_on = self.today - timedelta(days=12)
        actors, project = self.open(org, term, held_on)
        project = self.finish(actors, project, until=Phase.MOBILIZING, papers=True)
        voters_register(actor=actors.township, project=project)
        project = self.finish(actors, project, until=Phase.NOMINATING, papers=True)
        self.nominate(actors, project, approve=True)
        project = self.finish(actors, project, until=Phase.ELECTING, papers=True)
        meeting = self.congress(actors, project, held_on)
        first = round_open(actor=actors.township, meeting=meeting, purpose=RoundPurpose.COMMITTEE)
        present = meeting.present_count
        ranked = [n for n in self._by_support(project) if n in first.names]
        votes = {name: present - 1 - i for i, name in enumerate(ranked[: first.seats])}
        votes |= {name: 2 + i for i, name in enumerate(ranked[first.seats :])}
        self.count(actors.township, first, votes, present)
        committee = elected_for(project, CandidatePost.COMMITTEE)
        second = round_open(actor=actors.township, meeting=meeting, purpose=RoundPurpose.SECRETARY)
        self.count(actors.township, second, {second.names[0]: len(committee)}, len(committee))
        result_approve(
            actor=actors.township, project=project, note="同意选举结果", decided_on=held_on + timedelta(days=3)
        )
        demo_review.record_posts(actors, ElectionProject.objects.get(pk=project.pk))
        project = self.finish(actors, project, until=Phase.CLOSED, papers=True)
        return f"{org.name}:已完成(新一届委员会{len(committee)}人,书记{second.names[0]})"

    def at_congress(self, org: Organization, term: CommitteeTerm) -> str:
        actors, project = self.open(org, term, self.today)
        project = self.finish(actors, project, until=Phase.MOBILIZING)
        voters_register(actor=actors.township, project=project)
        project = self.finish(actors, project, until=Phase.NOMINATING)
        self.nominate(actors, project, approve=True)
        project = self.finish(actors, project, until=Phase.ELECTING, papers=True)
        for number in (20, 21, 22, 23, 24, 25):
            self.step(actors, project.steps.select_related("template").get(template__number=number))
        meeting = self.congress(actors, project, self.today)
        ballot_round = round_open(actor=actors.township, meeting=meeting, purpose=RoundPurpose.COMMITTEE)
        return f"{org.name}:党员大会进行中,{ballot_round}待录入计票结果(实到会{meeting.present_count}人)"

    def choosing(self, org: Organization, term: CommitteeTerm) -> str:
        actors, project = self.open(org, term, self.today + timedelta(days=24))
        project = self.finish(actors, project, until=Phase.MOBILIZING)
        voters_register(actor=actors.township, project=project)
        project = self.finish(actors, project, until=Phase.NOMINATING)
        committee = self.nominate(actors, project, approve=False)
        overdue = project.steps.filter(done_on__isnull=True, due_on__lt=self.today).count()
        return f"{org.name}:确定人选阶段,{len(committee)}名人选待联审复审,1名人选联审未通过,{overdue}个环节逾期"

    def opened(self, org: Organization, term: CommitteeTerm) -> str:
        actors, project = self.open(org, term, self.today + timedelta(days=40))
        self.step(actors, project.steps.select_related("template").get(template__number=1))
        overdue = project.steps.filter(done_on__isnull=True, due_on__lt=self.today).count()
        return f"{org.name}:前期准备阶段,{overdue}个环节逾期"

    def _by_support(self, project: ElectionProject) -> list[str]:
        return [r["member"].name for r in recommendation_ranking(project)]


def demo_projects(root: Organization) -> int:
    return ElectionProject.objects.filter(organization__path__startswith=root.path).count()


def build_elections_demo(root: Organization, *, today: date | None = None) -> ElectionsDemoSummary:
    started = time.perf_counter()
    existing = demo_projects(root)
    if existing:
        return ElectionsDemoSummary(created=False, projects=existing)
    today = today or timezone.localdate()
    district = get_user_model().objects.filter(username="district").first()
    builder = Builder(today, district)
    from elections.demo.decisions import postponed
    from elections.demo.incidents import open_incident, reelecting  # 第五篇 六: incidents, 宣布当选无效

    plan: list[Callable[[Organization, CommitteeTerm], str]] = [
        builder.completed,
        builder.at_congress,
        builder.choosing,
        builder.opened,
        lambda org, term: reelecting(builder, org, term),
        lambda org, term: postponed(builder, org, term, _township_user(org)),
    ]
    lines: list[str] = []
    with transaction.atomic():
        for org, term in expiring_villages(root, today):
            if not plan:
                break
            try:
                with transaction.atomic():
                    lines.append(plan[0](org, term))
                plan.pop(0)
            except ValidationError:
                continue  # this village does not fit the scenario (size, roster): the next one will
        lines += open_incident(builder, root, _township_user)  # on the village at the congress
    return ElectionsDemoSummary(
        created=True, projects=demo_projects(root), lines=lines, seconds=time.perf_counter() - started
    )
