"""The reorganization's pages (第三篇 五): a township's list of open requests in a fixed number of queries, the home's
to-do count of the 请示 waiting for a 批复, and the papers only once they exist."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.models import OrgKind
from organizations.models.reorganization import Reorganization, ReorgKind, ReorgState
from organizations.services.tree import organization_create

pytestmark = pytest.mark.django_db


def requested(org) -> Reorganization:
    return Reorganization.objects.create(
        organization=org,
        kind=ReorgKind.SUB_UNITS,
        units_planned="协会党小组",
        plan="设立党小组",
        state=ReorgState.REQUESTED,
        request_number=f"{org.code}〔2026〕1号",
        request_date=date(2026, 4, 1),
    )


def grow(tree, users, n: int, start: int) -> None:
    for i in range(start, start + n):
        org = organization_create(
            actor=users.ds, parent=tree.township_a, code=f"T01-8{i:02d}", name=f"试点村{i}党支部", kind=OrgKind.BRANCH
        )
        requested(org)


def test_the_townships_list_of_open_requests_takes_a_fixed_number_of_queries(client, tree, users):
    client.force_login(users.ts_a)
    url = reverse("organizations:reorganizations", args=[tree.township_a.pk])
    grow(tree, users, 2, 0)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(tree, users, 8, 2)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert page.count("T01-8") == 10
    assert len(large.captured_queries) == len(small.captured_queries) <= 12


def test_the_township_home_counts_the_requests_waiting_for_its_reply(client, tree, users):
    """组织实施 3 "镇党委批复": the township's home says how many 请示 wait for it; the other township sees none."""
    requested(tree.village_a1)
    draft = requested(tree.community_b1)
    draft.state = ReorgState.DRAFT  # still drafted in township B: nothing to answer there
    draft.save()
    client.force_login(users.ts_a)
    home = client.get("/", follow=True).content.decode()
    assert 'aria-label="待批复的组织设置调整请示:1"' in home
    client.force_login(users.ts_b)
    assert "待批复的组织设置调整请示" not in client.get("/", follow=True).content.decode()
    client.force_login(users.sec_a1)  # the branch asks; it does not answer
    assert "待批复的组织设置调整请示" not in client.get("/", follow=True).content.decode()


def test_a_paper_exists_only_once_written(client, tree, users):
    reorg = requested(tree.village_a1)
    client.force_login(users.sec_a1)
    assert client.get(reverse("organizations:reorganization_paper", args=[reorg.pk, "reply"])).status_code == 404
    response = client.get(reverse("organizations:reorganization_paper", args=[reorg.pk, "request"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
