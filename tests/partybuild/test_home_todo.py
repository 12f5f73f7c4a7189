"""The to-do panel of each role's home (issue 11): what waits for the user, counts that link to the lists, a chart,
and the same number of queries whatever the size of the district."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grading.models import Assessment, AssessmentStatus
from grading.rules.grades import Category
from grading.services import campaigns as grading_services
from organizations.models import CommitteeTerm, Organization
from organizations.scope import forget_grants
from organizations.todo import Segment, bar_rects, todo_panel
from rectification.models import Case, Measure, Problem
from tests.calendar_support import seed_test_calendar
from tests.factories import MemberFactory
from tests.grading.test_district_pages import grow as grow_grading

pytestmark = pytest.mark.django_db

# The panel's own queries (grading 3, rectification 2 + the weak cases' report statuses 4, elections 4, dues 1, the
# development pipeline's probations 1, transfers 1), on top of the home page's: tests/organizations/
# test_query_counts.py allows the pages that carry it this much more.
TODO_BUDGET = 14


@pytest.fixture
def campaign(users, tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_test_calendar(2025, 2026, 2027)
    return grading_services.campaign_open(
        actor=users.ds, campaign=grading_services.campaign_create(actor=users.ds, year=2026)
    )


def late_case(org, today) -> Case:
    """An open 软弱涣散 case of ``org`` with one overdue measure and no progress for two months."""
    case = Case.objects.create(
        organization=org, year=today.year, category=Category.WEAK, source="hand", opened_on=today - timedelta(days=60)
    )
    problem = Problem.objects.create(
        case=case, category="system_nominal", source="self_check", description="组织生活不规范"
    )
    Measure.objects.create(
        problem=problem, text="按月召开支部委员会", responsible="张三", deadline=today - timedelta(days=5)
    )
    return case


def late_project(users, org, today) -> None:
    """A running election project of ``org`` whose first three steps are past their due date."""
    from elections.services import projects as election_services

    MemberFactory.create_batch(8, organization=org, status="full")
    project = election_services.project_create(
        actor=users.ds, organization=org, election_date=today + timedelta(days=60), seats=3
    )
    first = list(project.steps.order_by("template__number").values_list("pk", flat=True)[:3])
    project.steps.filter(pk__in=first).update(due_on=today - timedelta(days=2))


def grow(tree, users, campaign, n: int) -> None:
    """n more townships with two graded branches each (assessments with the district or final), and in each new
    township one late rectification case and one election project with overdue steps."""
    grow_grading(tree, campaign, n)
    today = timezone.localdate()
    for town in Organization.objects.filter(depth=2, code__startswith=f"X{n}"):
        branch = Organization.objects.filter(path__startswith=town.path, depth=3).order_by("path").first()
        late_case(branch, today)
        late_project(users, branch, today)


def labels(user) -> dict[str, int]:
    forget_grants(user)
    return {item.label: item.count for _, item in todo_panel(user).waiting}


def test_bar_geometry_is_proportional_to_the_longest_bar():
    rects = bar_rects([Segment("甲", 1, "done"), Segment("乙", 0, "late"), Segment("丙", 3, "doing")], scale=8)
    assert [(r["label"], r["x"], r["width"]) for r in rects] == [("甲", 0.0, 12.5), ("丙", 12.5, 37.5)]
    assert bar_rects([Segment("甲", 1, "done")], scale=0) == []


def test_each_role_sees_what_waits_for_it(campaign, users, tree):
    today = timezone.localdate()
    grow(tree, users, campaign, 2)
    late_case(tree.village_a1, today)
    ds = labels(users.ds)
    assert ds["待审定的定级结果"] == 2  # grow: half of the 4 new assessments are with the district
    assert ds["整改措施逾期的整顿"] == 3
    assert sum(n for label, n in ds.items() if label.endswith("有环节逾期的换届项目")) == 2  # one per new township

    ts = labels(users.ts_a)
    assert ts["整改措施逾期的整顿"] == 1  # only the case in township A
    assert "待审定的定级结果" not in ts
    assert not any(label.startswith("测试镇") for label in ts)

    sec = labels(users.sec_a1)
    assert sec[f"{tree.village_a1.name}自查自评待填报提交"] == 1
    assert sec["正在整顿、需报告整改进展"] == 1
    assert "整改措施逾期的整顿" in sec

    viewer = labels(users.viewer_a)
    assert viewer["整改措施逾期的整顿"] == 1  # a viewer reads; it sees the same late work as its township
    assert not any("待评分" in label for label in viewer)


def test_counts_link_to_their_lists_and_the_district_sees_a_chart(campaign, users, tree):
    grow(tree, users, campaign, 2)
    client = Client()
    client.force_login(users.ds)
    page = client.get(reverse("organizations:district_overview")).content.decode()
    assert "待办事项" in page
    review = reverse("grading:district_review", args=[campaign.pk])
    link = rf'<a href="{review}" aria-label="[^"]*"><span class="todo-count">2</span>'
    link += '<span class="todo-label">待审定的定级结果'
    assert re.search(link, page)
    assert page.count('<svg class="chart-bar"') == Organization.objects.filter(depth=2).count()
    for href in set(re.findall(r'<li class="todo-item[^"]*"><a href="([^"]+)"', page)):
        assert client.get(href, follow=True).status_code == 200, href


@pytest.mark.parametrize(
    ("name", "page"),
    [
        ("ds", lambda t: reverse("organizations:district_overview")),
        ("ts_a", lambda t: reverse("organizations:township", args=[t.township_a.pk])),
        ("viewer_a", lambda t: reverse("organizations:township", args=[t.township_a.pk])),
        ("sec_a1", lambda t: reverse("organizations:org_detail", args=[t.village_a1.pk])),
        ("liaison", lambda t: reverse("organizations:org_list")),
    ],
)
def test_each_home_shows_the_panel_with_a_constant_number_of_queries(campaign, users, tree, name, page):
    user = getattr(users, name)
    client = Client()
    client.force_login(user)
    url = page(tree)
    client.get(url)  # warm the per-process caches (content types, holidays)
    counts = []
    for n in (2, 12):
        grow(tree, users, campaign, n)
        forget_grants(user)
        with CaptureQueriesContext(connection) as ctx:
            panel = todo_panel(user)
        counts.append(len(ctx.captured_queries))
        response = client.get(url)
        assert response.status_code == 200
        assert '<section class="todo"' in response.content.decode(), (name, url)
    assert counts[0] == counts[1], f"{name}: {counts[0]} queries, then {counts[1]} with more organizations"
    assert counts[1] <= TODO_BUDGET, f"{name}: {counts[1]} queries, budget {TODO_BUDGET}"
    assert panel.sections is not None


def test_the_panel_is_only_on_the_users_own_home(campaign, users, tree):
    client = Client()
    client.force_login(users.ds)
    # The district passing through a township's page or a branch's page: no to-do panel there.
    assert (
        '<section class="todo"'
        not in client.get(reverse("organizations:township", args=[tree.township_a.pk])).content.decode()
    )
    assert (
        '<section class="todo"'
        not in client.get(reverse("organizations:org_detail", args=[tree.village_a1.pk])).content.decode()
    )


def test_secretary_whose_assessment_was_returned_is_told_so(campaign, users, tree):
    Assessment.objects.filter(campaign=campaign, organization=tree.village_a1).update(status=AssessmentStatus.RETURNED)
    assert labels(users.sec_a1)[f"{tree.village_a1.name}自查自评被退回,待修改后重新提交"] == 1


LISTED = re.compile(r"\sdata-list-row[\s>]")


def year_end_report_owed(tree, campaign) -> None:
    """Two 软弱涣散 cases open at the year-end cut-off whose written report is not filed: one still open (branch
    A2-1), one accepted since (community B1): the report is owed for both."""
    today = timezone.localdate()
    type(campaign).objects.filter(pk=campaign.pk).update(regrade_request_due=today - timedelta(days=10))
    Case.objects.create(
        organization=tree.branch_a21,
        year=today.year,
        category=Category.WEAK,
        source="hand",
        opened_on=today - timedelta(days=40),
    )
    Case.objects.create(
        organization=tree.community_b1,
        year=today.year,
        category=Category.WEAK,
        source="hand",
        opened_on=today - timedelta(days=100),
        phase="accepted",
        closed_on=today - timedelta(days=2),
    )


@pytest.mark.parametrize("name", ["ds", "ts_a", "viewer_a", "sec_a1", "liaison"])
def test_each_count_of_rectification_and_elections_is_the_number_of_rows_it_links_to(campaign, users, tree, name):
    """The to-do's number is what the user finds on the page it links to: the list filtered to exactly those items,
    not an entry page where they must be looked for (issue 11)."""
    today = timezone.localdate()
    grow(tree, users, campaign, 2)
    late_case(tree.village_a1, today)
    late_project(users, tree.village_a1, today)
    year_end_report_owed(tree, campaign)
    for org, ends in ((tree.general_a2, today - timedelta(days=30)), (tree.branch_a21, today + timedelta(days=90))):
        CommitteeTerm.objects.create(
            organization=org, elected_on=ends.replace(year=ends.year - 5), ends_on=ends, seats=3
        )
    user = getattr(users, name)
    forget_grants(user)
    client = Client()
    client.force_login(user)
    checked = []
    for area, item in todo_panel(user).waiting:
        if area not in ("整顿", "换届选举"):
            continue
        response = client.get(item.url, follow=True)
        assert response.status_code == 200, (item.label, item.url)
        rows = len(LISTED.findall(response.content.decode()))
        assert rows == item.count, (name, item.label, item.url, item.count, rows)
        checked.append(item.label)
    assert any("整顿" in label for label in checked), (name, checked)
    assert any("换届" in label for label in checked), (name, checked)
