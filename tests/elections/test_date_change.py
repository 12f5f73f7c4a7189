"""A13 《中国共产党基层组织选举工作条例》第三条: "任期届满应当按期进行换届选举。如需延期或者提前进行换届选举,应当报上级
党组织批准,延长或者提前期限一般不超过1年" — the request and the approval are recorded, and the project waits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from core.models import Event
from elections.models import DateChange, DecisionStatus, ElectionProject
from elections.rules.terms import date_change_kind
from elections.services import workflow
from elections.services.date_change import date_change_decide
from elections.services.projects import project_create
from organizations.services import committee as org_services
from tests.crawl_support import rule_codes_shown

pytestmark = pytest.mark.django_db


def test_kind_of_date_change():
    ends = date(2026, 6, 30)
    assert date_change_kind(ends, ends) == ""
    assert date_change_kind(ends, date(2027, 5, 30)) == "延期"
    assert date_change_kind(ends, date(2026, 3, 1)) == "提前"


@pytest.fixture
def ended(tree, users, members, calendar_2026, settings, tmp_path):
    """Village A1's term ended 30 days ago: an election in 60 days is a postponement (延期)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    ends = timezone.localdate() - timedelta(days=30)
    return org_services.term_create(
        actor=users.ds, organization=tree.village_a1, elected_on=ends - timedelta(days=5 * 365 + 1), seats=3
    )


def _open(users, tree, day, reason="上届班子成员调整,推迟换届"):
    return project_create(
        actor=users.ts_a, organization=tree.village_a1, election_date=day, seats=3, date_reason=reason
    )


def test_postponement_is_requested_and_blocks_the_project_until_approved(tree, users, ended):
    """第三条: a postponed election is no longer passed as approved: the request is recorded, the steps wait."""
    day = timezone.localdate() + timedelta(days=60)
    project = _open(users, tree, day)
    change = DateChange.objects.get(project=project)
    assert change.status == DecisionStatus.PENDING and change.kind == "延期" and change.requested_by == users.ts_a
    step = project.steps.get(template__number=1)
    with pytest.raises(ValidationError, match="须经上级党组织批准后才能继续") as refused:
        workflow.step_done(actor=users.ts_a, step=step)
    assert "A13" not in str(refused.value)
    with pytest.raises(PermissionDenied):
        date_change_decide(actor=users.sec_a1, project=project, approved=True, document="某党发〔2026〕1号")
    with pytest.raises(ValidationError, match="批复文号"):
        date_change_decide(actor=users.ts_a, project=project, approved=True)
    date_change_decide(actor=users.ts_a, project=project, approved=True, document="某党发〔2026〕1号")
    change.refresh_from_db()
    assert change.status == DecisionStatus.APPROVED and change.decided_by == users.ts_a
    assert change.document == "某党发〔2026〕1号" and change.decided_on == timezone.localdate()
    assert Event.objects.filter(verb="election.date_change_decide", actor=users.ts_a).exists()
    workflow.step_done(actor=users.ts_a, step=step)  # now it goes on


def test_refused_postponement_keeps_the_project_waiting(tree, users, ended):
    project = _open(users, tree, timezone.localdate() + timedelta(days=60))
    date_change_decide(actor=users.ts_a, project=project, approved=False, note="应按期换届")
    with pytest.raises(ValidationError, match="不予批准"):
        workflow.step_done(actor=users.ts_a, step=project.steps.get(template__number=1))


def test_postponement_needs_a_reason(tree, users, ended):
    with pytest.raises(ValidationError, match="换届延期须说明理由"):
        _open(users, tree, timezone.localdate() + timedelta(days=60), reason="")
    assert not ElectionProject.objects.exists()


def test_more_than_one_year_is_refused_even_with_a_reason(tree, users, ended):
    """第三条 "一般不超过1年": term ended 30 days ago, an election 336 days on is more than a year after it."""
    with pytest.raises(ValidationError, match="超过一年"):
        _open(users, tree, ended.ends_on + timedelta(days=366))


def test_election_on_the_term_end_needs_no_request(tree, users, ended):
    project = _open(users, tree, ended.ends_on, reason="")
    assert not DateChange.objects.filter(project=project).exists()


def test_township_approves_from_the_project_page(tree, users, ended):
    """From the project page (where the township already goes) the request shows and the approval form works."""
    project = _open(users, tree, timezone.localdate() + timedelta(days=60))
    client = Client()
    client.force_login(users.ts_a)
    page = client.get(f"/elections/projects/{project.pk}/").content.decode()
    assert "换届延期申请" in page and "待上级党组织批准" in page and "上届班子成员调整" in page
    url = f"/elections/projects/{project.pk}/date-change/"
    assert url in page and not rule_codes_shown(page)
    secretary = Client()
    secretary.force_login(users.sec_a1)
    assert url not in secretary.get(f"/elections/projects/{project.pk}/").content.decode()
    assert secretary.post(url, {"decision": "approve", "document": "x"}).status_code == 403
    response = client.post(
        url, {"decision": "approve", "document": "某党发〔2026〕2号", "decided_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302
    assert DateChange.objects.get(project=project).status == DecisionStatus.APPROVED
    page = client.get(f"/elections/projects/{project.pk}/").content.decode()
    assert "某党发〔2026〕2号" in page and "已批准" in page
