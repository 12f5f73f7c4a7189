"""The elections board (issue 11): progress per township in the user's scope — projects by phase, projects with
overdue steps, terms ending without a project — with an SVG chart, counts linking to the filtered lists, reached
from the menu; a township cadre gets the same for its own township only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from organizations.models import CommitteeTerm
from tests.elections.test_pages import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def board_data(project, tree):
    step = project.steps.order_by("template__number").first()
    step.due_on = timezone.localdate() - timedelta(days=3)
    step.save(update_fields=["due_on"])
    today = timezone.localdate()
    CommitteeTerm.objects.create(
        organization=tree.community_b1,
        elected_on=date(today.year - 5, 1, 10),
        ends_on=today + timedelta(days=30),
        seats=5,
    )
    return project


def test_the_district_sees_every_township_with_a_chart_and_links(board_data, users, tree):
    client = client_for(users.ds)
    home = client.get("/district/").content.decode()
    assert 'href="/elections/"' in home  # the menu's 换届选举
    page = client.get("/elections/").content.decode()
    assert tree.township_a.name in page and tree.township_b.name in page and "全区" in page
    assert "<svg" in page and "前期准备1个" in page  # the chart's bar of township A says what it shows
    a, b = tree.township_a.pk, tree.township_b.pk
    assert f'href="/elections/township/{a}/?phase=preparing"' in page
    assert f'href="/elections/township/{a}/?overdue=1"' in page
    assert f'href="/elections/terms/?township={b}"' in page
    overdue = client.get(f"/elections/township/{a}/?overdue=1").content.decode()
    assert board_data.organization.name in overdue and "有逾期环节的项目(1个)" in overdue
    expiring = client.get(f"/elections/terms/?township={b}").content.decode()
    assert tree.community_b1.name in expiring and "尚未启动换届的党组织(1个)" in expiring


def test_a_township_sees_its_own_township_only(board_data, users, tree):
    page = client_for(users.ts_a).get("/elections/").content.decode()
    assert tree.township_a.name in page and tree.township_b.name not in page and "全区" not in page
    assert client_for(users.ts_a).get(f"/elections/terms/?township={tree.township_b.pk}").status_code == 404


@pytest.mark.parametrize("role", ["sec_a1", "viewer_a", "liaison"])
def test_every_role_with_the_menu_entry_gets_its_part(board_data, users, tree, role):
    page = client_for(getattr(users, role)).get("/elections/")
    assert page.status_code == 200 and "换届选举进度" in page.content.decode()
    assert tree.township_b.name not in page.content.decode() or role == "liaison"
