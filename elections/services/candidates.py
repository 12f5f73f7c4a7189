"""Recommendations (两推), the candidate lists and their eligibility (A11, source 第五篇 §三), and the candidates'
pledges. Each service checks the actor's permission, runs in a transaction and writes an event.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from elections.access import require_perm
from elections.models import (
    Candidate,
    CandidatePost,
    CandidateStatus,
    ElectionMethod,
    ElectionProject,
    EligibilityCheck,
    ListStage,
    Pledge,
    Recommendation,
    RecommendationRound,
)
from elections.rules.eligibility import (
    BarringGround,
    CandidateFacts,
    Discipline,
    SecretaryGround,
    check_candidate,
    check_discipline_cap,
    needs_discipline_review,
)
from elections.rules.failures import Failure, errors
from elections.rules.votes import check_margin
from elections.services.review_state import confirm_problems, review_failures
from elections.services.workflow import bump, event, lock
from organizations.models import Member, MemberStatus, Organization, Post
from organizations.roles import Perm


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


def margin_failures(project: ElectionProject, stage: str) -> list[Failure]:
    """A11 on the committee list at a stage (the list holds every candidate at that stage or later)."""
    stages = [s for s in ListStage.values][ListStage.values.index(stage) :]
    names = project.candidates.filter(post=CandidatePost.COMMITTEE, stage__in=stages).exclude(
        status__in=[CandidateStatus.REFUSED, CandidateStatus.WITHDRAWN]
    )
    return check_margin(project.seats, names.count())


def candidate_facts(candidate: Candidate) -> CandidateFacts:
    project = candidate.project
    m = candidate.member
    sitting = set(
        m.positions.filter(organization=project.organization, ended_on__isnull=True).values_list("post", flat=True)
    )
    failed = {c.rule for c in candidate.checks.all() if not c.passed}
    return CandidateFacts(
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
        discipline=Discipline(candidate.discipline),
        discipline_review_approved=candidate.discipline_review_approved,
        barring_grounds=frozenset(BarringGround(int(r.split(":")[1])) for r in failed if r.startswith("barring:")),
        secretary_grounds=frozenset(
            SecretaryGround(int(r.split(":")[1])) for r in failed if r.startswith("secretary:")
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
    items = [(f"barring:{g.value}", f"三(五)({g.value}) {g.label}") for g in BarringGround]
    if candidate.post == CandidatePost.SECRETARY:
        items += [(f"secretary:{g.value}", f"三(四)书记({g.value}) {g.label}") for g in SecretaryGround]
    return items


@transaction.atomic
def eligibility_record(
    *, actor: Any, candidate: Candidate, department: str, results: dict[str, bool], notes: dict[str, str] | None = None
) -> Candidate:
    """Record checklist items (rule → passed) from one department, then decide with ``check_candidate``."""
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
    failures = check_candidate(facts) + review_failures(candidate)  # Q1/Q2: a 不同意 of the joint review stops it
    if needs_discipline_review(facts):
        others = [
            c
            for c in Candidate.objects.filter(project__township=project.township)
            .exclude(pk=candidate.pk)
            .exclude(status__in=[CandidateStatus.REFUSED, CandidateStatus.WITHDRAWN])
            .exclude(discipline="none")
            .select_related("member", "project__organization")
            if needs_discipline_review(candidate_facts(c))
        ]
        villages = Organization.objects.filter(
            pk__in=ElectionProject.objects.filter(township=project.township).values("organization")
        ).count()
        township = project.township
        children = Organization.objects.filter(path__startswith=township.path, depth=township.depth + 1).count()
        villages = max(villages, children)
        failures += check_discipline_cap(villages, len({c.project_id for c in others} | {project.pk}))
    candidate.findings = [{"rule": f.rule, "message": f.message, "severity": str(f.severity)} for f in failures]
    refused = bool(errors(failures))
    candidate.status = CandidateStatus.REFUSED if refused else CandidateStatus.ELIGIBLE
    candidate.reviewed_by, candidate.reviewed_at = actor, timezone.now()
    candidate.save(update_fields=["findings", "status", "reviewed_by", "reviewed_at"])
    bump(project)
    event(
        actor,
        project,
        "eligibility",
        f"{candidate.member.name}资格审查"
        + ("未通过:" + ";".join(f.message for f in errors(failures)) if refused else "通过"),
        # users read the audit log: the messages and 不通过/提示, never the internal rule codes
        after={"findings": [{"note": f.message, "severity": "不通过" if f.is_error else "提示"} for f in failures]},
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
    the same approval: ELECTION_MANAGE here; the county's sign-off is the step's document). Q1/Q2: only once every
    department of the joint review agreed on each of them and the county's group re-reviewed them (step 15)."""
    project = lock(project)
    require_perm(actor, Perm.ELECTION_MANAGE, project)
    final = project.candidates.filter(stage=ListStage.FINAL, status=CandidateStatus.ELIGIBLE)
    if not final.filter(post=CandidatePost.COMMITTEE).exists():
        raise ValidationError("没有资格审查通过的候选人预备人选")
    unconfirmed = confirm_problems(
        final.select_related("member", "joint_rereview").prefetch_related("joint_opinions").order_by("member__name")
    )
    if unconfirmed:
        raise ValidationError(unconfirmed)
    failures = margin_failures(project, ListStage.FINAL) if project.method == ElectionMethod.DIRECT else []
    if failures:
        raise ValidationError(failures[0].message)
    count = final.update(status=CandidateStatus.APPROVED)
    bump(project)
    event(actor, project, "candidates_approve", f"批准候选人预备人选{count}名")
    return count


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
