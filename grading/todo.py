"""What grading puts on each role's home (organizations.todo): the open campaign's work waiting for the user, and a
chart of its progress by township. Three queries whatever the size of the district: the open campaign, one count
of its assessments grouped by township and status inside the user's scope, and the townships' names."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone

from grading.models import Assessment, AssessmentStatus, Campaign, CampaignStatus
from organizations.models import Organization
from organizations.roles import Perm
from organizations.scope import grants_for, holds_at_root, path_q, scope_paths
from organizations.todo import Chart, ChartRow, Segment, TodoItem, TodoSection

S = AssessmentStatus

# The chart's four stages, in the order of the work.
STAGES: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("自查自评中", "waiting", frozenset({S.DRAFT, S.RETURNED})),
    ("乡镇初审中", "doing", frozenset({S.SUBMITTED, S.SCORED, S.IN_NOTICE, S.NOTICE_CLOSED})),
    ("区委审定中", "review", frozenset({S.WITH_DISTRICT, S.APPROVED, S.OBJECTED})),
    ("已定级", "done", frozenset({S.FINAL, S.REGRADE_REQUESTED})),
)


def _township_paths(user: Any, perm: Perm) -> list[str]:
    """The townships (depth 2) where the user holds ``perm`` at the township itself."""
    width = 2 * Organization.steplen
    return sorted({g.path for g in grants_for(user) if perm in g.perms and len(g.path) == width})


def _district_items(campaign: Campaign, total: Counter[str], provisional: int) -> list[TodoItem]:
    args = [campaign.pk]
    return [
        TodoItem("待审定的定级结果", total[S.WITH_DISTRICT], reverse("grading:district_review", args=args)),
        TodoItem("异议待复核", total[S.OBJECTED], reverse("grading:district_objections", args=args), True),
        TodoItem("申请复核待处理", total[S.REGRADE_REQUESTED], reverse("grading:district_regrade", args=args)),
        # D3: the district is reminded to enter the year; entering it recomputes these deadlines.
        TodoItem("异议截止日期暂定,请录入节假日", provisional, reverse("core:calendar"), True),
    ]


def grading_todo(user: Any) -> TodoSection | None:
    paths = scope_paths(user)
    if not paths:
        return None
    campaign = Campaign.objects.filter(status=CampaignStatus.OPEN).order_by("-year").first()
    if campaign is None:
        return None
    width = 2 * Organization.steplen
    counted: dict[str, Counter[str]] = defaultdict(Counter)
    provisional = 0  # D3: objection deadlines computed before their year's holidays were entered (暂定)
    for town, status, tentative, n in (
        Assessment.objects.filter(campaign=campaign)
        .filter(path_q(paths, "organization__path"))
        .annotate(town=Substr("organization__path", 1, width))
        .values_list("town", "status", "objection_due_provisional")
        .annotate(n=Count("pk"))
    ):
        counted[town][status] += n
        provisional += n if tentative and status == S.APPROVED else 0
    today = timezone.localdate()
    self_late = today > campaign.self_assessment_due
    items: list[TodoItem] = []

    if holds_at_root(user, Perm.REVIEW_GRADES):
        items += _district_items(campaign, sum(counted.values(), Counter()), provisional)
    scoring = _township_paths(user, Perm.SCORE_GRADES)
    wide = [p for p in paths if len(p) <= width]  # the user reads whole townships (district, township, viewer)
    townships = (
        {o.path: o for o in Organization.objects.filter(depth=2, path__in=list(counted)).only("pk", "path", "name")}
        if scoring or wide
        else {}
    )
    for path in scoring:
        town = townships.get(path)
        if town is None:
            continue
        here = counted[path]
        board = reverse("grading:township_board", args=[campaign.pk, town.pk])
        prefix = "" if len(townships) == 1 else town.name
        review_late = today > campaign.township_review_due
        items += [
            TodoItem(f"{prefix}待评分(附件4)", here[S.SUBMITTED], f"{board}?status={S.SUBMITTED}", review_late),
            TodoItem(f"{prefix}已评分待公示", here[S.SCORED], f"{board}?status={S.SCORED}", review_late),
            TodoItem(f"{prefix}公示期满待报区委", here[S.NOTICE_CLOSED], f"{board}?status={S.NOTICE_CLOSED}"),
            TodoItem(
                f"{prefix}逾期未提交自查自评",
                (here[S.DRAFT] + here[S.RETURNED]) if self_late else 0,
                f"{board}?status=overdue",
                True,
            ),
        ]
    items += _own_items(user, campaign, self_late)

    # The chart only for whole townships the user reads (a secretary's single branch makes no chart).
    whole = {t: o for t, o in townships.items() if any(t.startswith(p) for p in wide)}
    return TodoSection("分类定级", tuple(items), _chart(campaign, counted, whole), order=10)


def _own_items(user: Any, campaign: Campaign, self_late: bool) -> list[TodoItem]:
    """A secretary's own drafts to fill in and submit, or to correct after a return."""
    items = []
    for a in _own_assessments(user, campaign):
        url = reverse("grading:assessment_detail", args=[a.pk])
        if a.status == S.DRAFT:
            items.append(TodoItem(f"{a.organization.name}自查自评待填报提交", 1, url, self_late))
        elif a.status == S.RETURNED:
            items.append(TodoItem(f"{a.organization.name}自查自评被退回,待修改后重新提交", 1, url, self_late))
    return items


def _own_assessments(user: Any, campaign: Campaign) -> list[Assessment]:
    """The assessments the user fills in (branch secretaries: self-assessment held at the organization itself)."""
    ids = [g.org_id for g in grants_for(user) if Perm.SELF_ASSESS in g.perms]
    if not ids:
        return []
    return list(
        Assessment.objects.filter(campaign=campaign, organization_id__in=ids, status__in=(S.DRAFT, S.RETURNED))
        .select_related("organization")
        .order_by("organization__path")
    )


def _chart(campaign: Campaign, counted: dict[str, Counter[str]], townships: dict[str, Organization]) -> Chart | None:
    if len(townships) == 0:
        return None
    rows = []
    for path in sorted(townships):
        town = townships[path]
        here = counted[path]
        segments = tuple(Segment(label, sum(here[s] for s in states), tone) for label, tone, states in STAGES)
        rows.append(ChartRow(town.name, segments, reverse("grading:township_board", args=[campaign.pk, town.pk])))
    return Chart(f"{campaign.year}年度分类定级进度", tuple(rows), "每行一个乡镇(街道),按党组织个数")


def latest_grades(user: Any, organizations: list[Organization]) -> dict[int, str]:
    """The latest recorded grade of each organization ("2026年 较好"), for the liaison's list: one query."""
    from grading.models import GradeRecord

    found: dict[int, str] = {}
    rows = GradeRecord.objects.filter(organization__in=organizations).order_by("-year", "-recorded_at", "-pk")
    for record in rows.only("organization_id", "year", "grade"):
        found.setdefault(record.organization_id, f"{record.year}年 {record.get_grade_display()}")
    return found
