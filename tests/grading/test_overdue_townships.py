"""The deadlines page at province scale (issue 15): a scope over several townships reads the counts per township
and stage from one GROUP BY (the same numbers as the rows), each township's rows one click further; the query count
and the rows rendered do not grow with the district."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grading.selectors.overdue import overdue_report
from grading.services import campaigns as services
from tests.calendar_support import seed_test_calendar
from tests.grading.test_district_pages import grow


@pytest.fixture
def campaign(users, tree):
    seed_test_calendar(2026)
    return services.campaign_open(actor=users.ds, campaign=services.campaign_create(actor=users.ds, year=2026))


def test_the_counts_per_township_are_the_rows_of_each_township(campaign, users, tree):
    grow(tree, campaign, 3)
    today = date(2026, 12, 1)
    report = overdue_report(users.ds, campaign, today=today)
    assert report.not_submitted == report.with_township == report.with_district == []
    assert len(report.townships) == 5
    for line in report.townships:
        rows = overdue_report(users.ds, campaign, today=today, township=line.township)
        assert line.counts == (len(rows.not_submitted), len(rows.with_township), len(rows.with_district))
        assert line.overdue == sum(
            r.is_overdue for r in [*rows.not_submitted, *rows.with_township, *rows.with_district]
        )
    assert report.totals == tuple(sum(line.counts[i] for line in report.townships) for i in range(3))
    assert report.overdue_count == sum(line.overdue for line in report.townships) > 0


def test_a_township_user_gets_the_rows_directly(campaign, users, tree):
    report = overdue_report(users.ts_a, campaign, today=date(2026, 12, 1))
    assert report.townships == [] and report.lists_rows
    codes = {r.assessment.organization.code for r in report.not_submitted}
    assert "T01-001" in codes and all(c.startswith("T01") for c in codes)


def test_the_drill_down_query_count_and_rows_do_not_grow_with_the_district(campaign, users, tree):
    client = Client()
    client.force_login(users.ds)
    url = reverse("grading:overdue", args=[campaign.pk])
    client.get(url, {"township": tree.township_a.pk})
    counts, rows = [], []
    for n in (2, 10):
        grow(tree, campaign, n)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"township": tree.township_a.pk})
        counts.append(len(ctx.captured_queries))
        report = response.context["report"]
        rows.append(len(report.not_submitted) + len(report.with_township) + len(report.with_district))
    assert counts[0] == counts[1] <= 15
    assert rows[0] == rows[1]
    assert client.get(url, {"township": tree.village_a1.pk}).status_code == 404
