"""Query budgets of the grading list, board and dashboard pages not covered elsewhere (issue 6): the same number of
queries with 2 and 12 more townships (4 and 24 more graded organizations, half of them graded), and at most 15.

Covered elsewhere: organizations' lists (tests/organizations/test_query_counts.py), grading's district overview
(tests/grading/test_district_pages.py), township board and summary (tests/grading/test_township_pages.py), the
campaign page (tests/grading/test_views_campaign.py).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grading.services import campaigns as services
from tests.calendar_support import seed_test_calendar
from tests.grading.test_district_pages import grow

BUDGET = 15
# Over the budget, each with its reason (issue 15 keeps the aim of 15): the district review shows issue 16's evidence
# beside each organization, read by the meetings and dues providers (requirements, meetings, attendance, dues) and
# the review's own checks; each provider re-reads the organizations it was given. Still constant in N.
OVER_BUDGET = {"grading:district_review": 17}


@pytest.fixture
def campaign(users, tree):
    seed_test_calendar(2026)
    return services.campaign_open(actor=users.ds, campaign=services.campaign_create(actor=users.ds, year=2026))


PAGES = [
    ("ds", "grading:campaign_list", lambda c, t: []),
    ("ds", "grading:district_review", lambda c, t: [c.pk]),
    ("ds", "grading:district_objections", lambda c, t: [c.pk]),
    ("ds", "grading:district_consequences", lambda c, t: [c.pk]),
    ("ds", "grading:district_regrade", lambda c, t: [c.pk]),
    ("ds", "grading:district_yearend", lambda c, t: [c.pk]),
    ("ds", "grading:overdue", lambda c, t: [c.pk]),
    ("ts_a", "grading:overdue", lambda c, t: [c.pk]),
    ("ts_a", "grading:township_yearend", lambda c, t: [c.pk, t.township_a.pk]),
]


@pytest.mark.parametrize(("username", "name", "args"), PAGES, ids=[f"{u}-{n}" for u, n, _ in PAGES])
def test_grading_pages_query_count_is_constant(campaign, users, tree, username, name, args):
    client = Client()
    client.force_login(getattr(users, username))
    url = reverse(name, args=args(campaign, tree))
    client.get(url)  # warm the per-process caches (content types, holidays): they are not per-row work
    counts = []
    for n in (2, 12):
        grow(tree, campaign, n)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], f"{name}: {counts[0]} queries, then {counts[1]} with more organizations"
    budget = OVER_BUDGET.get(name, BUDGET)
    assert counts[1] <= budget, f"{name}: {counts[1]} queries, budget {budget}"
