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
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from grading import rules as grading_rules
from grading import yearend
from grading.models import Assessment, AssessmentStatus, Item, ItemScore, ScoreLevel
from organizations.models import Education, Organization, RoleAssignment
from organizations.roles import Role
from partybuild.documents import render_pdf
from partybuild.models import Event
from rectification import services
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
    YearEndReport,
)
from rectification.regrade import latest_assessment
from rectification.rules import (
    Category,
    InspectionItem,
    MeasureStatus,
    Phase,
    ProblemCategory,
    ProblemSource,
    TargetKind,
)
from rectification.subscriber import handle_grade_finalized
from rectification.yearend_report import campaign_dues, due_for, yearend_report_submit

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
    from organizations.models import RoleAssignment
    from organizations.roles import Role
    from rectification.selectors import account_name

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
    now = timezone.now()
    closing, failing = _finishing(cases, today)
    finishing = {c.pk for c in (closing, failing) if c is not None}
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
    problems = Problem.objects.bulk_create(problems)
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
    measures = Measure.objects.bulk_create(measures)
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
    if cases:
        Project.objects.create(
            case=cases[0],
            name="村级组织活动场所新建工程",
            investment=Decimal("30.00"),
            percent=100 if cases[0].phase == Phase.ACCEPTING else 60,
            completed=cases[0].phase == Phase.ACCEPTING,
            completed_on=today - timedelta(days=10) if cases[0].phase == Phase.ACCEPTING else None,
            planned_completion=today + timedelta(days=60),
        )
        DevelopmentTarget.objects.bulk_create(
            DevelopmentTarget(
                case=cases[0],
                kind=kind,
                person_name=_name(rng),
                birth_date=date(today.year - 24 - n, 3 + n, 10),
                education=Education.HIGH_SCHOOL if n % 2 else Education.COLLEGE,
                since=cases[0].opened_on + timedelta(days=30),
            )
            for n, kind in enumerate(
                [TargetKind.ACTIVIST] * 3 + [TargetKind.DEVELOPMENT_TARGET] * 2 + [TargetKind.NEW_MEMBER]
            )
        )
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
    _showcase_and_pairing(root, rng, today)
    regraded, reported = _finish(root, closing, failing, today)
    link_liaison_accounts(root, today)  # again: the cases' headers above were given demo names
    measures = list(Measure.objects.filter(problem__case__in=cases))
    overdue = sum(1 for m in measures if m.deadline < today and m.status != MeasureStatus.DONE)
    problems_count = Problem.objects.filter(case__in=cases).count()
    return RectificationDemoSummary(
        True, len(cases), problems_count, len(measures), overdue, regraded=regraded, reported=reported
    )


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


# --- Two cases to the end of the flow, through the services -----------------------------------------------------

PASSED_FINDINGS = {
    InspectionItem.REPORT: "听取工作组和支部书记汇报,整改任务逐项销号",
    InspectionItem.RECORDS: "整改台账、会议记录、佐证材料齐全",
    InspectionItem.SITE: "活动场所已投入使用,公开栏按季度更新",
    InspectionItem.MASSES: "走访群众12户,对班子评价明显好转",
}
FAILED_FINDINGS = {
    InspectionItem.REPORT: "汇报材料齐全",
    InspectionItem.RECORDS: "台账基本完整,部分会议记录为补记",
    InspectionItem.SITE: "便民服务代办点未按计划运转",
    InspectionItem.MASSES: "走访群众10户,对办事效率仍有意见",
}
FAILED_ITEMS = (
    ("便民服务代办点落实村干部轮流坐班,公布值班表", 30),
    ("对群众反映的办事难问题逐件回访,建立回访台账", 45),
)


def _holder(org: Organization, role: Role) -> Any:
    grant = (
        RoleAssignment.objects.filter(organization=org, role=role, revoked_at__isnull=True, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return grant.user if grant is not None else None


def _finishing(cases: list[Case], today: date) -> tuple[Case | None, Case | None]:
    """Which case to close and re-grade, and which to fail after its year-end report: never the first (kept in
    检查验收) nor the last (kept stalled), so at least four open cases are needed.

    To close: one whose organization's latest grade is final and can rise, preferably a 较差 one that owes no
    year-end report (opened after the last year-end). To fail: a 软弱涣散 case that was open at a past year-end."""
    middle = cases[1:-1] if len(cases) >= 4 else []
    dues = campaign_dues()
    owes = {c.pk: c.category == Category.WEAK and due_for(c.opened_on, None, dues, today) is not None for c in middle}
    grades: dict[int, str] = {}
    for c in middle:
        a = latest_assessment(c.organization)
        if a is not None and a.status == AssessmentStatus.FINAL and a.final_grade not in ("", grading_rules.Grade.GOOD):
            grades[c.pk] = a.final_grade
    closing = min(
        (c for c in middle if c.pk in grades),
        key=lambda c: (owes[c.pk], grades[c.pk] != grading_rules.Grade.POOR),
        default=None,
    )
    failing = next((c for c in middle if owes[c.pk] and c is not closing), None)
    return closing, failing


def _finish(root: Organization, closing: Case | None, failing: Case | None, today: date) -> tuple[str, str]:
    officer = _holder(root, Role.DISTRICT_STAFF)
    if officer is None:
        return "", ""
    regraded = _close_and_regrade(closing, officer, today) if closing is not None else ""
    reported = _report_and_fail(failing, officer, today) if failing is not None else ""
    return regraded, reported


def _to_acceptance(case: Case, officer: Any, today: date) -> None:
    services.case_transition(actor=officer, case=case, to=Phase.ACCEPTING, today=today - timedelta(days=4))


def _close_and_regrade(case: Case, officer: Any, today: date) -> str:
    """A passed acceptance closes the case and files the re-grade (REQUEST_REGRADE); the district decides one grade
    up on grading's service, item by item when the township scored every item (``regrade_scoring``), and the
    finalization is applied here (the subscriber's own call, which the on-commit event repeats as a no-op) so the
    category follows even inside an enclosing transaction."""
    _to_acceptance(case, officer, today)
    services.acceptance_record(
        actor=officer,
        case=case,
        held_on=today - timedelta(days=2),
        self_check="对照整顿方案逐项自查:查摆出的问题均已制定措施并整改完成,整改台账和佐证材料归档齐全。",
        representatives_total=36,
        satisfied=26,
        basically_satisfied=8,
        unsatisfied=2,
        inspections={k: services.Inspection(True, text) for k, text in PASSED_FINDINGS.items()},
        opinion="整顿转化目标基本实现,同意验收通过,工作组撤离,转入常态化管理。",
    )
    case = Case.objects.select_related("regrade_request__assessment", "organization").get(pk=case.pk)
    request = case.regrade_request
    if request is None:  # pending or not needed: the case page says why
        return case.organization.name
    current = request.assessment.final_grade
    grade = grading_rules.GRADE_ORDER[grading_rules.grade_order(current) - 1]
    scoring = regrade_scoring(request.assessment, grade)
    assessment = yearend.regrade_decide(
        actor=officer,
        request=request,
        grade=grade,
        opinion=f"经重新量化考核,整顿转化成效明显,同意由“{grading_rules.Grade(current).label}”调整为“{grade.label}”。",
        today=today,
        scoring=scoring,
    )
    handle_grade_finalized(assessment.pk)
    return case.organization.name


BAND_MIN = {
    grading_rules.Grade.GOOD: grading_rules.GOOD_MIN,
    grading_rules.Grade.FAIRLY_GOOD: grading_rules.FAIRLY_GOOD_MIN,
    grading_rules.Grade.AVERAGE: grading_rules.AVERAGE_MIN,
    grading_rules.Grade.POOR: Decimal("0"),
}
RAISED_NOTE = "整顿后已整改到位,复核加分"


def regrade_scoring(assessment: Assessment, grade: grading_rules.Grade) -> yearend.RegradeScoring | None:
    """The district's year-end re-scoring on the township's template (附件4): the township's item scores with a few
    raised (most room first) until the total reaches ``grade``'s band, no veto item triggered (the rectification
    dealt with it). ``None`` (re-grade by grade only) when the township left an item unscored or its total already
    lies above that band."""
    items = list(
        Item.objects.filter(dimension__template_id=assessment.template_id).order_by("dimension__order", "order", "pk")
    )
    township = {s.item_id: s for s in ItemScore.objects.filter(assessment=assessment, level=ScoreLevel.TOWNSHIP)}
    scored = [i for i in items if not i.is_veto]
    if not scored or any(township.get(i.pk) is None or township[i.pk].points is None for i in scored):
        return None
    points = {i.pk: township[i.pk].points for i in scored}
    notes = {i.pk: township[i.pk].note for i in scored}
    low = BAND_MIN[grade]
    above = [
        BAND_MIN[g]
        for g in grading_rules.GRADE_ORDER
        if grading_rules.grade_order(g) < grading_rules.grade_order(grade)
    ]
    high = min(above) if above else Decimal("100.1")
    total = sum(points.values(), Decimal("0"))
    if total >= high:
        return None
    # a little into the band, not on its edge (still below the next band up)
    need = min(low + 2, high - Decimal("0.1")) - total
    for item in sorted(scored, key=lambda i: (points[i.pk] - i.max_points, i.pk)):
        if need <= 0:
            break
        step = min(item.max_points - points[item.pk], need)
        if step <= 0:
            continue
        points[item.pk] += step
        notes[item.pk] = RAISED_NOTE
        need -= step
    return yearend.RegradeScoring(item_scores={pk: (grading_rules.fmt(v), notes[pk]) for pk, v in points.items()})


def _report_and_fail(case: Case, officer: Any, today: date) -> str:
    """The township files the written report the year-end asked for (dated a few days after its cut-off), then the
    district's acceptance fails: the unsatisfied items go back into the ledger with deadlines."""
    township = Organization.objects.get(path=case.organization.township_path())
    clerk = _holder(township, Role.TOWNSHIP_STAFF)
    if clerk is None:
        return ""
    title = f"关于{case.organization.name}整顿不力情况的报告"
    pdf = render_pdf(
        "documents/plain.html",
        {
            "title": title,
            "meta": f"{township.name}(演示数据)",
            "paragraphs": [
                "区委:",
                f"{case.organization.name}于{case.opened_on:%Y年%-m月%-d日}被确定为软弱涣散基层党组织并立案整顿。"
                "截至年底申请复核截止日,该支部班子调整尚未到位,便民服务代办点未正常运转,整顿工作未能通过验收。",
                "下一步,党委将继续派驻工作组,落实第一书记抓班子带队伍,限期完成整改任务后再申请检查验收。",
                "特此报告。",
            ],
        },
    )
    report = yearend_report_submit(
        actor=clerk,
        case=case,
        upload=SimpleUploadedFile(f"{title}.pdf", pdf, content_type="application/pdf"),
        note="班子调整未到位,整顿工作未通过验收(演示数据)",
        today=today,
    )
    cutoff = next((d.due for d in campaign_dues() if d.year == report.year), None)
    if cutoff is not None:
        filed = timezone.make_aware(datetime.combine(cutoff + timedelta(days=6), time(10, 0)))
        if filed < report.at:  # filed after the cut-off, not today (as grading's demo dates its own steps)
            YearEndReport.objects.filter(pk=report.pk).update(at=filed)
            Event.objects.filter(
                verb="rectification.yearend_report", target_type="rectification.case", target_id=str(case.pk)
            ).update(at=filed)
    _to_acceptance(case, officer, today)
    services.acceptance_record(
        actor=officer,
        case=case,
        held_on=today - timedelta(days=2),
        self_check="对照整顿方案自查:大部分措施已完成,便民服务和群众工作仍有差距。",
        representatives_total=30,
        satisfied=12,
        basically_satisfied=6,
        unsatisfied=12,
        inspections={k: services.Inspection(k != InspectionItem.SITE, text) for k, text in FAILED_FINDINGS.items()},
        items=[
            services.UnsatisfiedItem(text, today + timedelta(days=days), case.work_group_leader)
            for text, days in FAILED_ITEMS
        ],
        opinion="整顿工作未达到验收要求,工作组不收队,限期整改后重新申请检查验收。",
    )
    return case.organization.name


def summary_line(summary: Any) -> str:
    line = (
        f"{summary.cases}个整顿案件,{summary.problems}个问题,{summary.measures}项整改措施(其中{summary.overdue}项逾期)"
    )
    if summary.regraded:
        line += f";{summary.regraded}验收通过并经区委组织部复核重新定级"
    if summary.reported:
        line += f";{summary.reported}已报送年底整顿不力书面报告,本次验收未通过"
    return line
