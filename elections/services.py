"""Writes before the meeting: opening a project, the voter roll, recommendations, candidates and their eligibility,
the candidate notice and pledges. Each service checks the actor's permission on the organization, runs in a
transaction and writes an event; the phase is changed only by ``elections.workflow.transition``."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from elections import rules
from elections.models import (
    Candidate,
    CandidateNotice,
    CandidatePost,
    CandidateStatus,
    ElectionMethod,
    ElectionProject,
    EligibilityCheck,
    ExcuseReason,
    ListStage,
    Phase,
    Pledge,
    Recommendation,
    RecommendationRound,
    Step,
    Voter,
    VoterStatus,
)
from elections.steps import ensure_step_templates
from elections.workflow import bump, event, lock, require_perm
from organizations.models import CommitteeTerm, Member, MemberStatus, Organization, OrgLevel, Post
from organizations.roles import Perm
from organizations.scope import require
from partybuild.workdays import CalendarMissing, window_end

MAX_NOTICE_WORKING_DAYS = 30  # a bound for the typed length (the notice is days, not months)
NOTICE_WORKING_DAYS = 5  # source part 5 step 17 leaves the length open; 5 working days is the district's default [L]


def township_of(org: Organization) -> Organization:
    township = Organization.objects.filter(path=org.township_path()).first()
    if township is None or township.level != OrgLevel.TOWNSHIP:
        raise ValidationError("该党组织不在任何乡镇(街道)之下")
    return township


def full_members(org: Organization) -> int:
    return Member.objects.filter(organization=org, left_on__isnull=True, status=MemberStatus.FULL).count()


# --- The project ----------------------------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    actor: Any,
    organization: Organization,
    election_date: date,
    seats: int,
    method: str = ElectionMethod.INDIRECT,
    previous_seats: int | None = None,
) -> ElectionProject:
    """The township opens a project (B3/B5 size against the previous term) and the year's 32 steps with due dates."""
    require(actor, Perm.ELECTION_MANAGE, organization)
    if method not in ElectionMethod.values:
        raise ValidationError("请选择选举方式")
    term = CommitteeTerm.objects.filter(organization=organization).order_by("-elected_on").first()
    if previous_seats is None and term is not None:
        previous_seats = term.seats
    failures = rules.errors(
        rules.check_committee_size(
            field=organization.field or "",
            seats=seats,
            previous_seats=previous_seats,
            full_members=full_members(organization),
        )
    )
    if term is not None:
        failures += rules.errors(rules.check_postponement(term.ends_on, election_date, approved=True))
    if failures:
        raise ValidationError([f.message for f in failures])
    if ElectionProject.objects.filter(organization=organization).exclude(status=Phase.CLOSED).exists():
        raise ValidationError(f"{organization.name}已有进行中的换届选举项目")
    project = ElectionProject.objects.create(
        organization=organization,
        township=township_of(organization),
        year=election_date.year,
        method=method,
        seats=seats,
        previous_seats=previous_seats,
        election_date=election_date,
        term=term,
        created_by=actor,
    )
    from datetime import timedelta

    Step.objects.bulk_create(
        [
            Step(project=project, template=t, due_on=election_date + timedelta(days=t.due_offset_days))
            for t in ensure_step_templates(election_date.year)
        ]
    )
    event(
        actor,
        project,
        "create",
        f"启动{project.year}年换届选举,应选委员{seats}名,选举日期{election_date}",
        after={"seats": seats, "method": method, "election_date": election_date.isoformat()},
    )
    return project


def projects_create_batch(
    *, actor: Any, organizations: list[Organization], election_date: date, seats: int, method: str
) -> tuple[list[ElectionProject], dict[str, list[str]]]:
    """A township opens projects for several villages at once; each one that fails says why, the rest are made."""
    made: list[ElectionProject] = []
    refused: dict[str, list[str]] = {}
    for org in organizations:
        try:
            made.append(
                project_create(actor=actor, organization=org, election_date=election_date, seats=seats, method=method)
            )
        except ValidationError as exc:
            refused[org.name] = exc.messages
    return made, refused


# --- Voters (A1, A1a, A2) -------------------------------------------------------------------------------------


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
        eligible = rules.counts_toward_due(
            rules.VoterFacts(m.name, m.status == MemberStatus.FULL, m.under_party_probation)
        )
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
        "quorum_needed": rules.quorum_needed(due=due, excused=excused) if due - excused > 0 else 0,
        "present": present,
        "quorum_met": due - excused > 0 and rules.quorum_met(due=due, excused=excused, present=present),
    }


# --- Recommendations (两推) and the lists ---------------------------------------------------------------------


@transaction.atomic
def recommendations_save(
    *, actor: Any, project: ElectionProject, round: str, counts: dict[int, int]
) -> list[Recommendation]:
    """Per-name tallies of one recommendation round (member id → count); the township's round needs ELECTION_MANAGE."""
    project = lock(project)
    perm = Perm.ELECTION_MANAGE if round == RecommendationRound.TOWNSHIP else Perm.ELECTION_VILLAGE_STEPS
    require_perm(actor, perm, project)
    if round not in RecommendationRound.values:
        raise ValidationError("请选择推荐方式")
    members = {m.pk: m for m in Member.objects.filter(organization=project.organization, pk__in=list(counts))}
    if set(counts) - set(members):
        raise ValidationError("被推荐人须为本组织党员")
    rows = []
    for member_id, count in counts.items():
        if count < 0:
            raise ValidationError(f"{members[member_id].name}的推荐票数不能为负数")
        row, _ = Recommendation.objects.update_or_create(
            project=project, round=round, member=members[member_id], defaults={"count": count, "entered_by": actor}
        )
        rows.append(row)
    bump(project)
    event(actor, project, "recommendations", f"录入{RecommendationRound(round).label}{len(rows)}人")
    return rows


def recommendation_ranking(project: ElectionProject) -> list[dict[str, Any]]:
    """The initial list ordered by support: members' and residents' counts added, the township's shown beside."""
    by_member: dict[int, dict[str, Any]] = {}
    for r in project.recommendations.select_related("member"):
        row = by_member.setdefault(r.member_id, {"member": r.member, "members": 0, "residents": 0, "township": 0})
        row[r.round] = r.count
    rows = list(by_member.values())
    for row in rows:
        row["total"] = row["members"] + row["residents"]
    rows.sort(key=lambda r: (-r["total"], -r["township"], r["member"].name))
    return rows


def margin_failures(project: ElectionProject, stage: str) -> list[rules.Failure]:
    """A11 on the committee list at a stage (the list holds every candidate at that stage or later)."""
    stages = [s for s in ListStage.values][ListStage.values.index(stage) :]
    names = project.candidates.filter(post=CandidatePost.COMMITTEE, stage__in=stages).exclude(
        status__in=[CandidateStatus.REFUSED, CandidateStatus.WITHDRAWN]
    )
    return rules.check_margin(project.seats, names.count())


# --- Candidates and eligibility -------------------------------------------------------------------------------


def candidate_facts(candidate: Candidate) -> rules.CandidateFacts:
    project = candidate.project
    m = candidate.member
    sitting = set(
        m.positions.filter(organization=project.organization, ended_on__isnull=True).values_list("post", flat=True)
    )
    failed = {c.rule for c in candidate.checks.all() if not c.passed}
    return rules.CandidateFacts(
        name=m.name,
        birth_date=m.birth_date,
        election_date=project.election_date,
        is_full_member=m.status == MemberStatus.FULL,
        under_party_probation=m.under_party_probation,
        education=m.education,
        healthy=candidate.healthy,
        nominated_as_secretary=candidate.post == CandidatePost.SECRETARY,
        currently_member=bool(sitting),
        currently_secretary=Post.SECRETARY in sitting,
        field=project.organization.field or "",
        age_exception_approved=candidate.age_exception_approved,
        discipline=rules.Discipline(candidate.discipline),
        discipline_review_approved=candidate.discipline_review_approved,
        barring_grounds=frozenset(
            rules.BarringGround(int(r.split(":")[1])) for r in failed if r.startswith("barring:")
        ),
        secretary_grounds=frozenset(
            rules.SecretaryGround(int(r.split(":")[1])) for r in failed if r.startswith("secretary:")
        ),
    )


@transaction.atomic
def candidate_add(
    *, actor: Any, project: ElectionProject, member: Member, post: str = CandidatePost.COMMITTEE, **facts: Any
) -> Candidate:
    project = lock(project)
    require_perm(actor, Perm.ELECTION_VILLAGE_STEPS, project)
    if member.organization_id != project.organization_id:
        raise ValidationError("候选人须为本组织党员")
    if project.candidates.filter(member=member, post=post).exists():
        raise ValidationError(f"{member.name}已在{CandidatePost(post).label}人选名单中")
    allowed = {"healthy", "age_exception_approved", "discipline", "discipline_review_approved"}
    candidate = Candidate.objects.create(
        project=project, member=member, post=post, **{k: v for k, v in facts.items() if k in allowed}
    )
    bump(project)
    event(actor, project, "candidate_add", f"{member.name}列入{CandidatePost(post).label}初步人选")
    return candidate


def checklist_rules(candidate: Candidate) -> list[tuple[str, str]]:
    """The joint-review items for this nomination: the eleven barring grounds, and for a sitting secretary
    nominated again as secretary the nine grounds against continuing."""
    items = [(f"barring:{g.value}", f"三(五)({g.value}) {g.label}") for g in rules.BarringGround]
    if candidate.post == CandidatePost.SECRETARY:
        items += [(f"secretary:{g.value}", f"三(四)书记({g.value}) {g.label}") for g in rules.SecretaryGround]
    return items


@transaction.atomic
def eligibility_record(
    *, actor: Any, candidate: Candidate, department: str, results: dict[str, bool], notes: dict[str, str] | None = None
) -> Candidate:
    """Record checklist items (rule → passed) from one department, then decide with ``rules.check_candidate``."""
    project = lock(candidate.project)
    require_perm(actor, Perm.ELECTION_MANAGE, project)
    if not department.strip():
        raise ValidationError("请填写审查部门")
    known = dict(checklist_rules(candidate))
    now = timezone.now()
    for rule, passed in results.items():
        if rule not in known:
            raise ValidationError(f"未知的审查事项:{rule}")
        EligibilityCheck.objects.update_or_create(
            candidate=candidate,
            rule=rule,
            defaults={
                "passed": passed,
                "checked_by": actor,
                "department": department.strip()[:40],
                "checked_at": now,
                "note": (notes or {}).get(rule, "")[:200],
            },
        )
    return candidate_review(actor=actor, candidate=candidate)


@transaction.atomic
def candidate_review(*, actor: Any, candidate: Candidate) -> Candidate:
    """Apply the plan §三 to the candidate and store every failed rule with its reason; refused if any is an error.

    The township's 15 % cap counts the nominees needing a discipline review across its villages' running projects."""
    project = lock(candidate.project)
    require_perm(actor, Perm.ELECTION_MANAGE, project)
    candidate = Candidate.objects.select_related("member", "project__organization").get(pk=candidate.pk)
    facts = candidate_facts(candidate)
    failures = rules.check_candidate(facts)
    if rules.needs_discipline_review(facts):
        others = [
            c
            for c in Candidate.objects.filter(project__township=project.township)
            .exclude(pk=candidate.pk)
            .exclude(status__in=[CandidateStatus.REFUSED, CandidateStatus.WITHDRAWN])
            .exclude(discipline="none")
            .select_related("member", "project__organization")
            if rules.needs_discipline_review(candidate_facts(c))
        ]
        villages = Organization.objects.filter(
            pk__in=ElectionProject.objects.filter(township=project.township).values("organization")
        ).count()
        township = project.township
        children = Organization.objects.filter(path__startswith=township.path, depth=township.depth + 1).count()
        villages = max(villages, children)
        failures += rules.check_discipline_cap(villages, len({c.project_id for c in others} | {project.pk}))
    candidate.findings = [{"rule": f.rule, "message": f.message, "severity": str(f.severity)} for f in failures]
    refused = bool(rules.errors(failures))
    candidate.status = CandidateStatus.REFUSED if refused else CandidateStatus.ELIGIBLE
    candidate.reviewed_by, candidate.reviewed_at = actor, timezone.now()
    candidate.save(update_fields=["findings", "status", "reviewed_by", "reviewed_at"])
    bump(project)
    event(
        actor,
        project,
        "eligibility",
        f"{candidate.member.name}资格审查"
        + ("未通过:" + ";".join(f.rule for f in rules.errors(failures)) if refused else "通过"),
        after={"findings": [asdict(f) | {"severity": str(f.severity)} for f in failures]},
    )
    return candidate


@transaction.atomic
def candidates_promote(*, actor: Any, project: ElectionProject, stage: str, candidate_ids: list[int]) -> int:
    """Steps 16–17: move eligible candidates to the inspection list, then to the final list; A11 is checked on
    the committee list at that stage (the margin must hold on the recommendation and inspection lists)."""
    project = lock(project)
    require_perm(actor, Perm.ELECTION_VILLAGE_STEPS, project)
    if stage not in (ListStage.INSPECTION, ListStage.FINAL):
        raise ValidationError("请选择人选阶段")
    chosen = project.candidates.filter(pk__in=candidate_ids).select_related("member")
    not_eligible = [
        c.member.name for c in chosen if c.status not in (CandidateStatus.ELIGIBLE, CandidateStatus.APPROVED)
    ]
    if not_eligible:
        raise ValidationError(f"未通过资格审查,不能列入:{'、'.join(not_eligible)}")
    count = chosen.update(stage=stage)
    if stage == ListStage.INSPECTION:
        failures = margin_failures(project, ListStage.INSPECTION)
        if failures:
            raise ValidationError([f"考察名单:{f.message}" for f in failures])
    bump(project)
    event(actor, project, "candidates_stage", f"{count}名人选列入{ListStage(stage).label}")
    return count


@transaction.atomic
def candidates_approve(*, actor: Any, project: ElectionProject) -> int:
    """Step 18: the township approves the final list (the secretary nominee signed off by the county is recorded as
    the same approval: ELECTION_MANAGE here; the county's sign-off is the step's document)."""
    project = lock(project)
    require_perm(actor, Perm.ELECTION_MANAGE, project)
    final = project.candidates.filter(stage=ListStage.FINAL, status=CandidateStatus.ELIGIBLE)
    if not final.filter(post=CandidatePost.COMMITTEE).exists():
        raise ValidationError("没有资格审查通过的候选人预备人选")
    failures = margin_failures(project, ListStage.FINAL) if project.method == ElectionMethod.DIRECT else []
    if failures:
        raise ValidationError(failures[0].message)
    count = final.update(status=CandidateStatus.APPROVED)
    bump(project)
    event(actor, project, "candidates_approve", f"批准候选人预备人选{count}名")
    return count


# --- Notice and pledges --------------------------------------------------------------------------------------


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


@transaction.atomic
def pledge_record(*, actor: Any, candidate: Candidate, kind: str, signed_on: date, text: str = "") -> Pledge:
    project = lock(candidate.project)
    require_perm(actor, Perm.ELECTION_VILLAGE_STEPS, project)
    pledge, _ = Pledge.objects.update_or_create(
        candidate=candidate, kind=kind, defaults={"signed_on": signed_on, "text": text}
    )
    event(actor, project, "pledge", f"{candidate.member.name}签订{pledge.get_kind_display()}")
    return pledge


def recommendations_total(project: ElectionProject, round: str) -> int:
    return project.recommendations.filter(round=round).aggregate(n=Sum("count"))["n"] or 0
