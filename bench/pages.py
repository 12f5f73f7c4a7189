"""Server time and query count of the heaviest list pages, against one hand-written SQL query reading the same data.

Run against a scale database: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/partybuild_scale_5000
python bench/pages.py`` (``make bench`` does it at 400 and 5,000 organizations). Server time is the Django test
client's full request (middleware, view, queries, template) in this process; the median of 7 runs.
"""

from __future__ import annotations

import common  # noqa: F401  (sets Django up)
from common import report, timed
from django.contrib.auth import get_user_model
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grading.models import Campaign
from organizations.models import Organization
from scale.builder import FINISHED_YEAR

ORG = "organizations_organization"
MEMBER = "organizations_member"
ASSESSMENT = "grading_assessment"
POSITION = "organizations_position"

BASELINES = {
    # the townships with their graded organizations and current members
    "organizations:district_overview": f"""
        SELECT t.id, t.name, count(DISTINCT o.id) FILTER (WHERE o.is_graded), count(m.id)
        FROM {ORG} t JOIN {ORG} o ON o.path LIKE t.path || '%%' AND o.depth > 2
        LEFT JOIN {MEMBER} m ON m.organization_id = o.id AND m.left_on IS NULL
        WHERE t.depth = 2 GROUP BY t.id, t.name, t.path ORDER BY t.path""",
    # the first page (100) of the township's organizations with member counts and the secretary
    "organizations:township": f"""
        SELECT o.id, o.code, o.name, o.kind,
               (SELECT count(*) FROM {MEMBER} m WHERE m.organization_id = o.id AND m.left_on IS NULL),
               (SELECT mm.name FROM {POSITION} p JOIN {MEMBER} mm ON mm.id = p.member_id
                 WHERE p.organization_id = o.id AND p.post = 'secretary' AND p.ended_on IS NULL LIMIT 1)
        FROM {ORG} o WHERE o.path LIKE %(path)s || '%%' AND o.depth > 2 ORDER BY o.path LIMIT 100""",
    # per township: assessments by status and grade
    "grading:district_overview": f"""
        SELECT substr(o.path, 1, 8), a.status, a.final_grade, a.township_grade, count(*)
        FROM {ASSESSMENT} a JOIN {ORG} o ON o.id = a.organization_id
        WHERE a.campaign_id = %(campaign)s GROUP BY 1, 2, 3, 4 ORDER BY 1""",
    # the township's assessments with their organization
    "grading:township_board": f"""
        SELECT a.id, a.status, a.self_score, a.township_score, a.township_grade, a.final_grade, o.code, o.name
        FROM {ASSESSMENT} a JOIN {ORG} o ON o.id = a.organization_id
        WHERE a.campaign_id = %(campaign)s AND o.path LIKE %(path)s || '%%' ORDER BY o.path""",
}


def sql_time(sql: str, params: dict) -> float:
    def run() -> int:
        with connection.cursor() as cur:
            cur.execute(sql, params)
            return len(cur.fetchall())

    seconds, _ = timed(run, repeat=7)
    return seconds


def main() -> None:
    users = get_user_model().objects
    district, township_user = users.get(username="district"), users.get(username="township001")
    township = Organization.objects.filter(depth=2).order_by("path").first()
    graded = Organization.objects.filter(is_graded=True).count()
    campaign = Campaign.objects.get(year=FINISHED_YEAR)
    params = {"path": township.path, "campaign": campaign.pk}
    pages = [
        ("organizations:district_overview", district, reverse("organizations:district_overview")),
        ("organizations:township", township_user, reverse("organizations:township", args=[township.pk])),
        ("grading:district_overview", district, reverse("grading:district_overview", args=[campaign.pk])),
        (
            "grading:township_board",
            township_user,
            reverse("grading:township_board", args=[campaign.pk, township.pk]),
        ),
    ]
    in_township = Organization.objects.filter(path__startswith=township.path, is_graded=True).count()
    print(f"pages at {graded} graded organizations ({in_township} in the township shown)", flush=True)
    for name, user, url in pages:
        client = Client()
        client.force_login(user)

        def get(client: Client = client, url: str = url) -> int:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return len(response.content)

        with CaptureQueriesContext(connection) as ctx:
            get()
        queries = len(ctx.captured_queries)
        reset_queries()
        seconds, size = timed(get, repeat=7)
        baseline = sql_time(BASELINES[name], params)
        report(
            f"page {name} @{graded}",
            seconds,
            baseline,
            target="≤ 300 ms and ≤ 15 queries",
            ok=seconds <= 0.3 and queries <= 15,
            queries=queries,
            kb=round(size / 1024),
            orgs=graded,
        )


if __name__ == "__main__":
    main()
