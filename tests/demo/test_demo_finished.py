"""The rectification demo reaches the end of the flow: on the small demo district (``load_demo --small``, built once
for tests/demo/), one case passed its acceptance
and was re-graded through grading's REQUEST_REGRADE and REGRADE moves with the category following, and one case that
was open at a year-end has the township's written report filed and a failed acceptance; a second run changes
nothing."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from core.models import Event, Notification
from grading.models import Assessment, AssessmentStatus, Campaign, GradeRecord, RegradeRequest
from grading.rules import grades as grading_rules
from grading.rules.grades import Category, category_for_grade
from grading.services.yearend import is_from_rectification
from organizations.roles import Role
from rectification.models import Case, CategoryAssignment, GradeApplication, RegradeStatus, YearEndReport
from rectification.rules.cases import Phase
from rectification.rules.ledger import ProblemSource
from rectification.services.categories import current_category
from rectification.services.yearend import status_of


@pytest.fixture(scope="module")
def built(demo_small) -> SimpleNamespace:
    return demo_small


@pytest.fixture
def demo(built, db) -> SimpleNamespace:
    return built


def district_client() -> Client:
    from django.contrib.auth import get_user_model

    c = Client()
    c.force_login(get_user_model().objects.get(username="district"))
    return c


def test_the_command_names_both_cases(demo):
    closed = Case.objects.get(phase=Phase.ACCEPTED)
    failed = YearEndReport.objects.get().case
    assert f"{closed.organization.name}验收通过并经区委组织部复核重新定级" in demo.output
    assert f"{failed.organization.name}已报送年底整顿不力书面报告,本次验收未通过" in demo.output


def test_one_case_closed_and_regraded_one_grade_up_and_the_category_follows(demo):
    case = Case.objects.select_related("organization", "regrade_request__assessment").get(phase=Phase.ACCEPTED)
    org = case.organization
    # closed by a passed acceptance, which filed the re-grade (REQUEST_REGRADE) ...
    acceptance = case.acceptances.get()
    assert acceptance.passed and acceptance.decided_by.username == "district"
    assert case.closed_on == acceptance.held_on and case.regrade_requested_at is not None
    assert case.regrade_status == RegradeStatus.FILED
    request = case.regrade_request
    assert is_from_rectification(request) and request.direction == "up"
    assert RegradeRequest.objects.filter(assessment=request.assessment).count() == 1
    # ... and the district decided it (REGRADE): one grade up, a line of the grade history, the final grade
    a = Assessment.objects.get(pk=request.assessment_id)
    records = list(GradeRecord.objects.filter(assessment=a).order_by("pk"))
    before, after = records[-2], records[-1]
    assert after.stage == "年底复核定级" and before.grade == grading_rules.Grade.POOR
    assert grading_rules.grade_order(after.grade) == grading_rules.grade_order(before.grade) - 1
    assert request.decided_at is not None and request.decided_grade == after.grade
    assert a.status == AssessmentStatus.FINAL and a.final_grade == after.grade
    assert a.committee_appraisal_cap == (grading_rules.consequences(a.final_grade).committee_appraisal_cap or "")
    # the category follows the new grade, with its history; the re-grade is applied once and opens no case
    assert current_category(org) == category_for_grade(a.final_grade) != Category.WEAK
    history = list(
        CategoryAssignment.objects.filter(organization=org).order_by("pk").values_list("category", flat=True)
    )
    assert history[-2:] == [Category.WEAK, category_for_grade(a.final_grade)]
    assert GradeApplication.objects.filter(assessment=a, finalized_at=a.finalized_at).count() == 1
    assert Case.objects.filter(organization=org).count() == 1
    verbs = set(Event.objects.filter(target_id=str(case.pk), target_type="rectification.case").values_list("verb"))
    assert {("rectification.acceptance",), ("rectification.case_accepted",), ("rectification.regrade_filed",)} <= verbs
    graded = set(Event.objects.filter(target_id=str(a.pk), target_type="grading.assessment").values_list("verb"))
    assert {("grading.request_regrade",), ("grading.regrade",)} <= graded


def test_one_failed_case_with_its_year_end_report(demo):
    report = YearEndReport.objects.select_related("case__organization", "uploaded_by").get()
    case = report.case
    # the township filed the report the year-end asked for, a few days after the cut-off
    status = status_of(case)
    assert case.category == Category.WEAK and status.required and not status.missing
    assert status.report == report and report.year == status.year
    cutoff = Campaign.objects.get(year=report.year).regrade_request_due
    assert cutoff < report.at.date() and case.opened_on <= cutoff
    assert report.uploaded_by.role_assignments.filter(role=Role.TOWNSHIP_STAFF).exists()
    stored = demo.media / report.file.name
    assert stored.read_bytes().startswith(b"%PDF-") and report.original_name.endswith("整顿不力情况的报告.pdf")
    assert Event.objects.filter(verb="rectification.yearend_report", target_id=str(case.pk), at=report.at).exists()
    # then its acceptance failed: back to 整顿提高, the unsatisfied items in the ledger with their deadlines
    assert case.phase == Phase.RECTIFYING
    acceptance = case.acceptances.get()
    assert not acceptance.passed and acceptance.reasons
    issues = list(acceptance.issues.select_related("measure__problem"))
    assert len(issues) == 2
    assert all(i.measure.problem.source == ProblemSource.ACCEPTANCE and i.deadline > acceptance.held_on for i in issues)
    assert (
        case.regrade_status == ""
        and not RegradeRequest.objects.filter(assessment__organization=case.organization).exists()
    )


def test_the_pages_show_them(demo):
    c = district_client()
    closed = Case.objects.select_related("regrade_request").get(phase=Phase.ACCEPTED)
    page = c.get(reverse("rectification:case_detail", args=[closed.pk])).content.decode()
    assert f"复核定为“{closed.regrade_request.get_decided_grade_display()}”" in page
    failed = YearEndReport.objects.get().case
    page = c.get(reverse("rectification:case_detail", args=[failed.pk])).content.decode()
    assert "已报送" in page and "验收未通过" in page
    download = c.get(reverse("rectification:yearend_report_download", args=[failed.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    board = c.get(reverse("rectification:district_board")).content.decode()
    assert "已验收:1个" in board


def counts(media: Path) -> dict[str, int]:
    found = {m._meta.label: m.objects.count() for m in apps.get_app_config("rectification").get_models()}
    found.update(
        {
            "assessments": sum(Assessment.objects.values_list("version", flat=True)),
            "grade_records": GradeRecord.objects.count(),
            "regrade_requests": RegradeRequest.objects.count(),
            "events": Event.objects.count(),
            "notifications": Notification.objects.count(),
            "files": sum(1 for p in media.rglob("*") if p.is_file()),
        }
    )
    return found


def test_second_run_changes_nothing(demo):
    before = counts(demo.media)
    out = io.StringIO()

    call_command("load_demo_rectification", stdout=out)

    assert "整顿演示数据已存在" in out.getvalue()
    assert counts(demo.media) == before


def test_the_liaison_leader_is_the_organizations_liaison(demo):
    """liaison01 holds the liaison leader role at its villages: each village's page lists them as 挂点联系干部 (a
    record linked to the account), and an open case there names them as 挂点领导."""
    from django.contrib.auth import get_user_model

    from organizations.models import RoleAssignment
    from rectification.models import Liaison

    liaison = get_user_model().objects.get(username="liaison01")
    name = f"{liaison.last_name}{liaison.first_name}"
    grants = RoleAssignment.objects.filter(user=liaison, role=Role.LIAISON_LEADER, revoked_at__isnull=True)
    assert grants.exists()
    client = Client()
    client.force_login(liaison)
    for grant in grants.select_related("organization"):
        org = grant.organization
        assert Liaison.objects.filter(organization=org, user=liaison, until__isnull=True).exists()
        page = client.get(reverse("rectification:org_page", args=[org.pk])).content.decode()
        section = page.split("<h2>挂点联系干部</h2>", 1)[1].split("</section>", 1)[0]
        assert name in section and "暂无" not in section
        for case in Case.objects.filter(organization=org, closed_on__isnull=True):
            case_page = client.get(reverse("rectification:case_detail", args=[case.pk])).content.decode()
            assert name in case_page.split("<dt>挂点领导</dt>", 1)[1].split("</dd>", 1)[0]
