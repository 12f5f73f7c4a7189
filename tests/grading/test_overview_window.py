"""The district overview's 倒排 at province scale (issue 15): the lowest of each grade come from window functions in
SQL, and they are the rows the pure rule ``rank_within_grades`` puts first in each grade (same scores, ranks within
the grade and grade sizes; ties in tree order); the counts per township come from one GROUP BY."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grading.models import Assessment
from grading.rules import counting
from grading.selectors import overview as sel
from grading.services import campaigns as services
from tests.calendar_support import seed_test_calendar
from tests.grading.test_district_pages import grow


@pytest.fixture
def campaign(users, tree):
    seed_test_calendar(2026)
    return services.campaign_open(actor=users.ds, campaign=services.campaign_create(actor=users.ds, year=2026))


def test_the_lowest_of_each_grade_are_the_rules_ranking(campaign, users, tree):
    grow(tree, campaign, 6)
    grades = ["good", "fairly_good", "average", "poor"]
    for k, a in enumerate(Assessment.objects.filter(campaign=campaign, organization__code__startswith="X")):
        grade = grades[k % 4]
        Assessment.objects.filter(pk=a.pk).update(final_grade=grade, district_grade=grade, township_grade=grade)
    result = sel.overview(users.ds, campaign, today=date(2026, 12, 1))
    today = date(2026, 12, 1)
    rows = sel._graded_now(campaign, today).exclude(grade_now="").filter(score_now__isnull=False)
    paths = dict(Assessment.objects.filter(campaign=campaign).values_list("pk", "organization__path"))
    ranked = counting.rank_within_grades([(a.pk, a.score_now, a.grade_now) for a in rows])
    for (label, picked), grade in zip(result.bottom, counting.GRADE_ORDER, strict=True):
        assert label == grade.label
        expected = sorted((r for r in ranked if r.grade == grade), key=lambda r: (r.score, paths[r.key]))
        expected = expected[: sel.BOTTOM_PER_GRADE]
        assert [(b.pk, b.score, b.rank_in_grade) for b in picked] == [
            (r.key, r.score, r.rank_in_grade) for r in expected
        ]
        assert all(b.in_grade == sum(1 for r in ranked if r.grade == grade) for b in picked)
    assert result.district.total == Assessment.objects.filter(campaign=campaign).count()


def test_the_overview_reads_no_row_per_assessment(campaign, users, tree):
    grow(tree, campaign, 4)
    with CaptureQueriesContext(connection) as ctx:
        sel.overview(users.ds, campaign, today=date(2026, 12, 1))
    fetched = sum(1 for q in ctx.captured_queries if "grading_assessment" in q["sql"])
    assert fetched == 2  # the GROUP BY and the window query
