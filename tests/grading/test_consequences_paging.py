"""The results page (结果运用) at province scale (issue 15): both lists a page at a time, each with its own page
number, every final 好 organization reachable by paging, the total shown, the query count constant."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grading.models import Assessment
from grading.models import AssessmentStatus as S
from grading.services import campaigns as services
from grading.views import review
from tests.calendar_support import seed_test_calendar
from tests.grading.test_district_pages import grow


@pytest.fixture
def campaign(users, tree):
    seed_test_calendar(2026)
    return services.campaign_open(actor=users.ds, campaign=services.campaign_create(actor=users.ds, year=2026))


def _all_good(campaign):
    Assessment.objects.filter(campaign=campaign, status=S.FINAL).update(final_grade="good", district_grade="good")


def test_the_good_list_is_paged_on_its_own_and_every_row_is_reached(campaign, users, tree, monkeypatch):
    monkeypatch.setattr(review, "CONSEQUENCES_PER_PAGE", 2)
    grow(tree, campaign, 3)  # 6 graded branches, 3 of them final
    _all_good(campaign)
    client = Client()
    client.force_login(users.ds)
    url = reverse("grading:district_consequences", args=[campaign.pk])
    first = client.get(url)
    assert "3 个" in first.content.decode() and "第 1 / 2 页,共 3 条" in first.content.decode()
    assert 'href="?good_page=2"' in first.content.decode()
    seen = {a.organization.code for page in (1, 2) for a in client.get(url, {"good_page": page}).context["good"]}
    assert len(seen) == 3


def test_the_query_count_does_not_grow_with_the_district(campaign, users, tree, monkeypatch):
    monkeypatch.setattr(review, "CONSEQUENCES_PER_PAGE", 2)
    client = Client()
    client.force_login(users.ds)
    url = reverse("grading:district_consequences", args=[campaign.pk])
    client.get(url)
    counts = []
    for n in (2, 10):
        grow(tree, campaign, n)
        _all_good(campaign)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        counts.append(len(ctx.captured_queries))
        assert len(response.context["good"]) == 2
    assert counts[0] == counts[1] <= 15
