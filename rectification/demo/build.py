"""Demo data of rectification, built on the demo district's open cases (opened when the demo grading campaign's 较差
grades are applied): work groups, problems of several categories, measures (some overdue, some done), progress notes,
a project, development targets, one case in 检查验收; a showcase and a pairing.

Two cases go to the end of the flow through the services themselves (``_finish``), as the district and township
officers would: one passes its acceptance, which files the re-grade with grading (REQUEST_REGRADE), the district
re-grades it one grade up, re-scoring it item by item on the township's template (a few items raised so the total
lands in that band, ``regrade_scoring``), and the category follows; one that was still open at a year-end has the
township's written report filed for it (part 1 §三(三)1) and then fails its acceptance, back to 整顿提高 with the
unsatisfied items.

Deterministic (a fixed seed, cases in path order) and idempotent: a district whose open cases already have problems
is left alone. Bulk inserts for the rest: the demo is a picture of work in progress, not a replay of every call.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from core.models import Event
from grading.rules.grades import Category
from organizations.models import Education, Organization, RoleAssignment
from organizations.roles import Role
from rectification.demo.finish import cases_to_finish, finish_cases
from rectification.models import (
    Case,
    CategoryAssignment,
    DevelopmentTarget,
    Liaison,
    LiaisonKind,
    Measure,
    Pairing,
    Problem,
    ProgressNote,
    Project,
    Showcase,
    WorkGroupMember,
)
from rectification.rules.cases import Phase
from rectification.rules.ledger import MeasureStatus, ProblemCategory, ProblemSource, TargetKind

SEED = 20264
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("建国", "海燕", "志强", "秀英", "明", "丽", "军", "红梅", "伟", "芳", "永红", "新华")
PROBLEMS = [
    (ProblemCategory.SYSTEM_NOMINAL, "“三会一课”制度落实不到位,全年仅开展2次组织生活"),
    (ProblemCategory.OPENNESS_IRREGULAR, "村务、财务公开不及时,公开栏内容停留在上一年度"),
    (ProblemCategory.NO_VENUE, "无固定的村级组织活动场所,党员活动借用农户房屋"),
    (ProblemCategory.POOR_SERVICE, "为民服务意识差,群众反映办事难、找人难"),
    (ProblemCategory.NO_NEW_MEMBERS, "三年内未发展党员,党员队伍老化"),
    (ProblemCategory.DISUNITED_TEAM, "班子成员之间不团结,议事决策效率低"),
    (ProblemCategory.FUNDING_DIFFICULT, "道路硬化项目资金落实困难"),
    (ProblemCategory.SECURITY_PETITIONS, "土地纠纷引发的信访矛盾集中"),
]
MEASURES = {
    ProblemCategory.SYSTEM_NOMINAL: ("制定组织生活计划,每月固定主题党日", None),
    ProblemCategory.OPENNESS_IRREGULAR: ("每季度更新村务财务公开栏,建立公开台账", Decimal("0.50")),
    ProblemCategory.NO_VENUE: ("新建村级组织活动场所150平方米", Decimal("30.00")),
    ProblemCategory.POOR_SERVICE: ("设立便民服务代办点,村干部轮流坐班", Decimal("2.00")),
    ProblemCategory.NO_NEW_MEMBERS: ("确定3名入党积极分子,年内发展1名党员", None),
    ProblemCategory.DISUNITED_TEAM: ("开展谈心谈话,调整班子分工", None),
    ProblemCategory.FUNDING_DIFFICULT: ("争取一事一议财政奖补资金", Decimal("10.00")),
    ProblemCategory.SECURITY_PETITIONS: ("逐户排查矛盾纠纷,建立化解台账", Decimal("1.00")),
}
SOURCES = [ProblemSource.SELF_CHECK, ProblemSource.VISITS, ProblemSource.FORUM, ProblemSource.PETITION]


@dataclass(frozen=True)
class RectificationDemoSummary:
    created: bool
    cases: int
    problems: int = 0
    measures: int = 0
    overdue: int = 0
    regraded: str = ""  # the organization whose case was accepted and re-graded ("" when the district has none)
    reported: str = ""  # the organization whose case has its year-end report and a failed acceptance


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _current(root: Organization, category: Category) -> list[Organization]:
    latest = (
        CategoryAssignment.objects.filter(organization=OuterRef("organization"))
        .order_by("-year", "-created_at", "-pk")
        .values("pk")[:1]
    )
    rows = (
        CategoryAssignment.objects.filter(organization__path__startswith=root.path, category=category)
        .filter(pk=Subquery(latest))
        .select_related("organization")
        .order_by("organization__path")
    )
    return [r.organization for r in rows]


def open_cases(root: Organization) -> list[Case]:
    return list(
        Case.objects.filter(organization__path__startswith=root.path)
        .exclude(phase=Phase.ACCEPTED)
        .select_related("organization")
        .order_by("organization__path")
    )


def link_liaison_accounts(root: Organization, today: date) -> int:
    """The demo's liaison leaders (role granted with the accounts) are the organizations' 挂点联系干部 too: one record
    per holder, and the open case names them as 挂点领导. Idempotent: only what is missing is added."""
    from rectification.selectors.management import account_name

    added = 0
    grants = RoleAssignment.objects.filter(
        role=Role.LIAISON_LEADER, revoked_at__isnull=True, organization__path__startswith=root.path
    ).select_related("user", "organization")
    for grant in grants:
        org, user = grant.organization, grant.user
        name = account_name(user)
        if not Liaison.objects.filter(organization=org, user=user, until__isnull=True).exists():
            Liaison.objects.create(
                organization=org,
                person_name=name,
                position="区挂点联系领导",
                user=user,
                kind=LiaisonKind.LEADING_CADRE,
                duties="挂点联系包干:每月到村指导一次,督促整改措施落实",
                since=today - timedelta(days=60),
            )
            added += 1
        Case.objects.filter(organization=org, closed_on__isnull=True).exclude(liaison_leader=name).update(
            liaison_leader=name
        )
    return added


@transaction.atomic
def build_rectification_demo(root: Organization, *, today: date | None = None) -> RectificationDemoSummary:
    today = today or timezone.localdate()
    cases = open_cases(root)
    link_liaison_accounts(root, today)
    if Problem.objects.filter(case__in=cases).exists():
        return RectificationDemoSummary(created=False, cases=len(cases))
    rng = random.Random(SEED)
    closing, failing = cases_to_finish(cases, today)
    problems = _headers_and_problems(cases, rng, today)
    measures = _measures(problems, {c.pk for c in (closing, failing) if c is not None}, rng, today)
    _notes(cases, measures, timezone.now())
    if cases:
        _project_and_targets(cases[0], rng, today)
    _events(cases)
    _showcase_and_pairing(root, rng, today)
    regraded, reported = finish_cases(root, closing, failing, today)
    _liaison_follows_a_case(root, today)
    link_liaison_accounts(root, today)  # again: the cases' headers above were given demo names
    measures = list(Measure.objects.filter(problem__case__in=cases))
    overdue = sum(1 for m in measures if m.deadline < today and m.status != MeasureStatus.DONE)
    problems_count = Problem.objects.filter(case__in=cases).count()
    return RectificationDemoSummary(
        True, len(cases), problems_count, len(measures), overdue, regraded=regraded, reported=reported
    )


def _headers_and_problems(cases: list[Case], rng: random.Random, today: date) -> list[Problem]:
    """Each case's people, planned dates and phase (the first in 检查验收), its work group and its problems."""
    problems: list[Problem] = []
    for i, case in enumerate(cases):
        case.work_group_leader = _name(rng)
        case.first_secretary = _name(rng) if i % 2 == 0 else ""
        case.liaison_leader = _name(rng)
        case.finding_planned_from = case.opened_on
        case.finding_planned_to = case.opened_on + timedelta(days=30)
        case.rectifying_planned_from = case.opened_on + timedelta(days=31)
        case.rectifying_planned_to = case.opened_on + timedelta(days=180)
        case.accepting_planned_from = case.opened_on + timedelta(days=181)
        case.accepting_planned_to = case.opened_on + timedelta(days=210)
        case.phase = Phase.ACCEPTING if i == 0 and len(cases) > 1 else Phase.RECTIFYING
        case.rectifying_started_on = min(today, case.opened_on + timedelta(days=25))
        case.accepting_started_on = today - timedelta(days=3) if case.phase == Phase.ACCEPTING else None
        case.version += 1
        for k in range(2 + i % 2):
            category, text = PROBLEMS[(i * 3 + k) % len(PROBLEMS)]
            problems.append(Problem(case=case, category=category, source=SOURCES[(i + k) % 4], description=text))
    Case.objects.bulk_update(
        cases,
        [
            "work_group_leader",
            "first_secretary",
            "liaison_leader",
            "finding_planned_from",
            "finding_planned_to",
            "rectifying_planned_from",
            "rectifying_planned_to",
            "accepting_planned_from",
            "accepting_planned_to",
            "phase",
            "rectifying_started_on",
            "accepting_started_on",
            "version",
        ],
    )
    WorkGroupMember.objects.bulk_create(
        WorkGroupMember(case=c, person_name=_name(rng), unit=unit, role=role, joined_on=c.opened_on)
        for c in cases
        for unit, role in (("区委组织部", "组长"), ("镇党委", "联络员"), ("镇纪委", "成员"))
    )
    return Problem.objects.bulk_create(problems)


def _measures(problems: list[Problem], finishing: set[int], rng: random.Random, today: date) -> list[Measure]:
    """Measures of every state: overdue, done, running, planned (all done for a case about to be accepted)."""
    measures: list[Measure] = []
    for j, p in enumerate(problems):
        text, budget = MEASURES[ProblemCategory(p.category)]
        # In 检查验收, or about to be (``_finish``): every measure is done (the move's precondition).
        accepting = p.case.phase == Phase.ACCEPTING or p.case_id in finishing
        state = "done" if accepting else ("overdue", "done", "running", "planned")[j % 4]
        deadline = today + timedelta(days=20 + j) if state in ("running", "planned") else today - timedelta(days=5 + j)
        done = state == "done"
        measures.append(
            Measure(
                problem=p,
                text=text,
                responsible=_name(rng),
                deadline=deadline,
                budget=budget,
                spent=(budget or Decimal(0)) * (Decimal(1) if done else Decimal("0.4") if state != "planned" else 0),
                status=MeasureStatus.DONE
                if done
                else MeasureStatus.PLANNED
                if state == "planned"
                else MeasureStatus.IN_PROGRESS,
                percent=100 if done else 0 if state == "planned" else 40 + (j % 4) * 10,
                done_on=deadline - timedelta(days=2) if done else None,
            )
        )
    return Measure.objects.bulk_create(measures)


def _notes(cases: list[Case], measures: list[Measure], now: datetime) -> None:
    notes: list[ProgressNote] = []
    for i, case in enumerate(cases):
        # The last case has gone quiet: its latest note is older than 30 days (a stalled case on the board).
        days = (45, 60) if i == len(cases) - 1 and len(cases) > 2 else (3 + i % 5, 12 + i % 7)
        mine = [m for m in measures if m.problem.case_id == case.pk]
        for d, m in zip(days, mine, strict=False):
            notes.append(
                ProgressNote(
                    case=case, measure=m, text=f"{m.text[:20]}:已完成{m.percent}%,正在推进", at=now - timedelta(days=d)
                )
            )
    ProgressNote.objects.bulk_create(notes)


def _project_and_targets(case: Case, rng: random.Random, today: date) -> None:
    Project.objects.create(
        case=case,
        name="村级组织活动场所新建工程",
        investment=Decimal("30.00"),
        percent=100 if case.phase == Phase.ACCEPTING else 60,
        completed=case.phase == Phase.ACCEPTING,
        completed_on=today - timedelta(days=10) if case.phase == Phase.ACCEPTING else None,
        planned_completion=today + timedelta(days=60),
    )
    DevelopmentTarget.objects.bulk_create(
        DevelopmentTarget(
            case=case,
            kind=kind,
            person_name=_name(rng),
            birth_date=date(today.year - 24 - n, 3 + n, 10),
            education=Education.HIGH_SCHOOL if n % 2 else Education.COLLEGE,
            since=case.opened_on + timedelta(days=30),
        )
        for n, kind in enumerate(
            [TargetKind.ACTIVIST] * 3 + [TargetKind.DEVELOPMENT_TARGET] * 2 + [TargetKind.NEW_MEMBER]
        )
    )


def _events(cases: list[Case]) -> None:
    Event.objects.bulk_create(
        Event(
            actor_name="系统",
            verb=f"rectification.case_{c.phase}",
            summary=f"{c.organization.name}整顿:完成查摆问题,进入整顿提高(演示数据)",
            target_type="rectification.case",
            target_id=str(c.pk),
            target_label=str(c)[:200],
            org_path=c.organization.path,
            after={"phase": c.phase},
        )
        for c in cases
    )


def _liaison_follows_a_case(root: Organization, today: date) -> None:
    """A district leader is put in charge (挂点联系) of a 软弱涣散 village when its rectification opens (part 4): each
    demo liaison leader following no organization under rectification is also given the first village whose case
    has overdue measures, so that their 通知 page shows the daily reminder about it (issue 11)."""
    from organizations.services.grants import role_grant

    open_here = Case.objects.filter(organization__path__startswith=root.path, closed_on__isnull=True).exclude(
        phase=Phase.ACCEPTED
    )
    overdue = Measure.objects.filter(problem__case=OuterRef("pk"), deadline__lt=today).exclude(
        status=MeasureStatus.DONE
    )
    late = open_here.filter(Exists(overdue)).select_related("organization").order_by("organization__path")
    grants = RoleAssignment.objects.filter(
        role=Role.LIAISON_LEADER, revoked_at__isnull=True, organization__path__startswith=root.path
    ).select_related("user")
    for user in sorted({g.user for g in grants}, key=lambda u: u.pk):
        followed = grants.filter(user=user).values("organization_id")
        if open_here.filter(organization_id__in=followed).exists():
            continue
        case = late.first()
        if case is not None:
            role_grant(actor=None, user=user, organization=case.organization, role=Role.LIAISON_LEADER)


def _showcase_and_pairing(root: Organization, rng: random.Random, today: date) -> None:
    red = _current(root, Category.RED_FLAG)
    lagging = _current(root, Category.LAGGING)
    if red and not Showcase.objects.filter(organization__path__startswith=root.path, year=today.year).exists():
        Showcase.objects.create(organization=red[0], year=today.year, note="组织生活规范,服务群众成效突出(演示数据)")
    if red and lagging and not Pairing.objects.filter(lagging=lagging[0]).exists():
        same = [r for r in red if r.township_path() == lagging[0].township_path()] or red
        Pairing.objects.create(
            lagging=lagging[0],
            red_flag=same[-1],
            since=today - timedelta(days=40),
            note="联合开展主题党日,共建服务阵地",
        )
        Liaison.objects.bulk_create(
            Liaison(
                organization=lagging[0],
                person_name=_name(rng),
                position=position,
                kind=kind,
                duties="每月到村指导一次,帮助理清发展思路、解决实际问题",
                since=today - timedelta(days=40),
            )
            for kind, position in (
                (LiaisonKind.LEADING_CADRE, "镇党委副书记"),
                (LiaisonKind.ORGAN_CADRE, "镇党政办干部"),
            )
        )


def summary_line(summary: Any) -> str:
    line = (
        f"{summary.cases}个整顿案件,{summary.problems}个问题,{summary.measures}项整改措施(其中{summary.overdue}项逾期)"
    )
    if summary.regraded:
        line += f";{summary.regraded}验收通过并经区委组织部复核重新定级"
    if summary.reported:
        line += f";{summary.reported}已报送年底整顿不力书面报告,本次验收未通过"
    return line
