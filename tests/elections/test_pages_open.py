"""Opening projects (single and batch), the term-expiry list with its reminders (A13), the district's step template
and the organization page's election panel: role × scope, the happy path and the refusals with their rule."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from core.models import Event, Notification
from elections.models import ElectionProject, StepTemplate
from elections.services import reminders
from elections.services.steps import ensure_step_templates
from organizations.services import committee as org_services
from organizations.services import tree as tree_services
from tests.crawl_support import rule_codes_shown
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def expiring(tree, users, members, calendar_2026):
    """Village A1's term ends in 100 days (inside the six-month window of A13)."""
    today = timezone.localdate()
    return org_services.term_create(
        actor=users.ds,
        organization=tree.village_a1,
        elected_on=today + timedelta(days=100) - timedelta(days=5 * 365 + 1),
        seats=3,
    )


# --- The term-expiry list ------------------------------------------------------------------------------------


def test_terms_list_offers_to_open_to_the_township_only(tree, users, expiring):
    page = client_for(users.ts_a).get("/elections/terms/").content.decode()
    assert tree.village_a1.name in page and f"/elections/orgs/{tree.village_a1.pk}/open/" in page
    secretary = client_for(users.sec_a1).get("/elections/terms/").content.decode()
    assert tree.village_a1.name in secretary and "/open/" not in secretary  # sees it, may not open: no dead button
    assert tree.village_a1.name not in client_for(users.ts_b).get("/elections/terms/").content.decode()


def test_terms_list_links_the_running_project(tree, users, expiring, election_date):
    client_for(users.ts_a).post(
        f"/elections/orgs/{tree.village_a1.pk}/open/",
        {
            "election_date": election_date.isoformat(),
            "seats": 3,
            "method": "indirect",
            "date_reason": "按乡镇党委统一部署开展换届",
        },
    )
    project = ElectionProject.objects.get(organization=tree.village_a1)
    page = client_for(users.ts_a).get("/elections/terms/").content.decode()
    assert f"/elections/projects/{project.pk}/" in page and f"/elections/orgs/{tree.village_a1.pk}/open/" not in page


# --- Opening one project -------------------------------------------------------------------------------------


def test_township_opens_a_project(tree, users, expiring, election_date):
    client = client_for(users.ts_a)
    assert client.get(f"/elections/orgs/{tree.village_a1.pk}/open/").status_code == 200
    response = client.post(
        f"/elections/orgs/{tree.village_a1.pk}/open/",
        {
            "election_date": election_date.isoformat(),
            "seats": 3,
            "method": "indirect",
            "date_reason": "按乡镇党委统一部署开展换届",
        },
    )
    project = ElectionProject.objects.get(organization=tree.village_a1)
    assert response.status_code == 302 and response["Location"] == f"/elections/projects/{project.pk}/"
    assert project.steps.count() == 32
    assert Event.objects.filter(verb="election.create", actor=users.ts_a).exists()


def test_date_fields_come_prefilled_in_the_form_a_browser_takes(tree, users, expiring):
    """<input type=date> takes only yyyy-mm-dd: the locale's "2027/03/09" left the browser's field empty, so opening a
    project or a batch lost the default election day and the form came back "required"."""
    client = client_for(users.ts_a)
    opening = client.get(f"/elections/orgs/{tree.village_a1.pk}/open/").content.decode()
    assert f'type="date" name="election_date" value="{expiring.ends_on.isoformat()}"' in opening
    batch = client.get(f"/elections/township/{tree.township_a.pk}/open/").content.decode()
    assert re.search(r'type="date" name="election_date" value="\d{4}-\d{2}-\d{2}"', batch)


def test_opening_refused_with_the_rule(tree, users, expiring, election_date):
    response = client_for(users.ts_a).post(
        f"/elections/orgs/{tree.village_a1.pk}/open/",
        {
            "election_date": election_date.isoformat(),
            "seats": 6,
            "method": "indirect",
            "date_reason": "按乡镇党委统一部署开展换届",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "委员职数应为3至5名,当前为6名" in page  # the rule in words
    assert not ElectionProject.objects.exists()


@pytest.mark.parametrize(("user", "status"), [("sec_a1", 403), ("viewer_a", 403), ("ts_b", 404), ("nobody", 404)])
def test_opening_refused_outside_the_township(tree, users, members, user, status, election_date):
    client = client_for(getattr(users, user))
    url = f"/elections/orgs/{tree.village_a1.pk}/open/"
    assert client.get(url).status_code == status
    data = {
        "election_date": election_date.isoformat(),
        "seats": 3,
        "method": "indirect",
        "date_reason": "按乡镇党委统一部署开展换届",
    }
    assert client.post(url, data).status_code == status
    assert not ElectionProject.objects.exists()


# --- Opening in a batch --------------------------------------------------------------------------------------


def test_batch_opens_the_valid_ones_and_says_why_not_for_the_rest(tree, users, members, calendar_2026, election_date):
    # a village branch of 3 full members: a secretary, no committee (支部条例 第二十条)
    small = tree_services.organization_create(
        actor=users.ds, parent=tree.township_a, code="T01-009", name="小河村党支部", kind="branch", field="rural"
    )
    MemberFactory.create_batch(3, organization=small)
    client = client_for(users.ts_a)
    page = client.get(f"/elections/township/{tree.township_a.pk}/open/").content.decode()
    assert tree.village_a1.name in page and small.name in page
    response = client.post(
        f"/elections/township/{tree.township_a.pk}/open/",
        {
            "organizations": [tree.village_a1.pk, small.pk],
            "election_date": election_date.isoformat(),
            "seats": 3,
            "method": "indirect",
        },
    )
    assert ElectionProject.objects.filter(organization=tree.village_a1).exists()
    assert not ElectionProject.objects.filter(organization=small).exists()
    body = response.content.decode()
    assert response.status_code == 200 and "未能启动" in body and small.name in body
    assert "不设支部委员会" in body
    assert not rule_codes_shown(body)  # the rule in words, not its code


def test_batch_needs_a_choice(tree, users, members, calendar_2026, election_date):
    response = client_for(users.ts_a).post(
        f"/elections/township/{tree.township_a.pk}/open/",
        {
            "election_date": election_date.isoformat(),
            "seats": 3,
            "method": "indirect",
            "date_reason": "按乡镇党委统一部署开展换届",
        },
    )
    assert "请至少选择一个党组织" in response.content.decode()


@pytest.mark.parametrize(("user", "status"), [("viewer_a", 403), ("sec_a1", 404), ("ts_b", 404)])
def test_batch_refused(tree, users, members, user, status, election_date):
    client = client_for(getattr(users, user))
    url = f"/elections/township/{tree.township_a.pk}/open/"
    assert client.get(url).status_code == status
    data = {"organizations": [tree.village_a1.pk], "election_date": election_date.isoformat(), "seats": 3}
    assert client.post(url, data).status_code == status
    assert not ElectionProject.objects.exists()


def test_batch_of_a_non_township_is_404(tree, users):
    assert client_for(users.ts_a).get(f"/elections/township/{tree.village_a1.pk}/open/").status_code == 404


# --- Reminders (A13) -----------------------------------------------------------------------------------------


def test_reminders_once_per_stage_to_secretary_and_township(tree, users, expiring):
    today = timezone.localdate()
    assert reminders.reminders_send(today=today) == 2  # sec_a1 and ts_a
    assert reminders.reminders_send(today=today) == 0  # idempotent
    titles = set(Notification.objects.values_list("recipient__username", "title"))
    assert {u for u, _ in titles} == {"sec_a1", "ts_a"} and all("半年内届满" in t for _, t in titles)
    assert reminders.reminders_send(today=today + timedelta(days=1)) == 0  # same stage the next day
    assert reminders.reminders_send(today=today + timedelta(days=80)) == 2  # 20 days left: the one-month stage
    assert reminders.reminders_send(today=today + timedelta(days=101)) == 2  # ended
    assert "已届满" in Notification.objects.order_by("-pk").first().title


def test_no_reminder_once_the_project_runs_or_far_from_the_end(tree, users, expiring, election_date):
    today = timezone.localdate()
    assert reminders.reminders_send(today=today - timedelta(days=100)) == 0  # 200 days left: not yet
    client_for(users.ts_a).post(
        f"/elections/orgs/{tree.village_a1.pk}/open/",
        {
            "election_date": election_date.isoformat(),
            "seats": 3,
            "method": "indirect",
            "date_reason": "按乡镇党委统一部署开展换届",
        },
    )
    assert reminders.reminders_send(today=today) == 0


def test_reminder_task_is_scheduled():
    from elections import tasks
    from partybuild.celery import app

    assert app.conf.beat_schedule["elections-reminders"]["task"] == "elections.send_reminders"
    assert tasks.elections_send_reminders.name == "elections.send_reminders"


# --- The district's step template ----------------------------------------------------------------------------


def test_district_creates_and_edits_the_years_template(users):
    client = client_for(users.ds)
    page = client.get("/elections/templates/2031/").content.decode()
    assert "生成2031年模板" in page and "调查摸底" in page
    client.post("/elections/templates/2031/create/")
    assert StepTemplate.objects.filter(year=2031).count() == 32
    listed = client.get("/elections/templates/2031/").content.decode()
    assert "前期准备" in listed and "32. 动态调整" in listed and "选举日前60天" in listed
    step = StepTemplate.objects.get(year=2031, number=3)
    assert client.get(f"/elections/step-templates/{step.pk}/").status_code == 200
    response = client.post(
        f"/elections/step-templates/{step.pk}/",
        {
            "phase": step.phase,
            "title": "离任经济责任审计",
            "owner": "county",
            "required_documents": ["other", "minutes"],
            "due_offset_days": -52,
            "description": "",
        },
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.title, step.owner, step.required_documents, step.due_offset_days) == (
        "离任经济责任审计",
        "county",
        ["minutes", "other"],
        -52,
    )
    assert Event.objects.filter(verb="election.step_template", actor=users.ds).exists()


def test_phase_is_fixed_once_a_project_uses_the_year(project, users):
    step = project.steps.select_related("template").get(template__number=3).template
    response = client_for(users.ds).post(
        f"/elections/step-templates/{step.pk}/",
        {"phase": "launching", "title": step.title, "owner": step.owner, "due_offset_days": 0},
    )
    assert "不能再调整环节所属阶段" in response.content.decode()
    step.refresh_from_db()
    assert step.phase == "preparing"


@pytest.mark.parametrize("user", ["ts_a", "sec_a1", "viewer_a", "nobody"])
def test_only_the_district_edits_the_template(users, user):
    step = ensure_step_templates(2030)[0]
    client = client_for(getattr(users, user))
    assert client.get("/elections/templates/2030/").status_code == 403
    assert client.get(f"/elections/step-templates/{step.pk}/").status_code == 403
    post = client.post(
        f"/elections/step-templates/{step.pk}/", {"title": "改", "owner": "village", "phase": "preparing"}
    )
    assert post.status_code == 403
    assert client.post("/elections/templates/2032/create/").status_code == 403
    step.refresh_from_db()
    assert step.title == "调查摸底" and not StepTemplate.objects.filter(year=2032).exists()


def test_impossible_year_is_404(users):
    assert client_for(users.ds).get("/elections/templates/1900/").status_code == 404


# --- The organization page's panel ---------------------------------------------------------------------------


def test_organization_page_shows_the_election_panel(project, users, tree):
    page = client_for(users.sec_a1).get(f"/orgs/{tree.village_a1.pk}/").content.decode()
    assert "换届选举" in page and f"/elections/projects/{project.pk}/" in page


def test_meeting_page_loads_the_live_quorum_script(project, users):
    page = client_for(users.sec_a1).get(f"/elections/projects/{project.pk}/meeting/").content.decode()
    assert "js/elections.js" in page and "<script>" not in page  # no inline script (CSP)
