"""Issue 15's district-wide pages and big forms, timed as district staff: server time, queries and HTML size.

Run against a scale database: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/partybuild_scale_5000
.venv/bin/python bench/province_pages.py`` (``--repeat N``, default 5; ``--only NAME`` to time one page). Server
time is the Django test client's full request in this process (middleware, view, queries, template), the median
of ``repeat`` runs after one warm-up, as in ``bench/pages.py``. The figures go to ``var/bench/results.jsonl``.
"""

from __future__ import annotations

import argparse

import common  # noqa: F401  (sets Django up)
from common import report, timed
from django.contrib.auth import get_user_model
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grading.models import Campaign
from organizations.models import Organization
from scale.builder import FINISHED_YEAR, OPEN_YEAR


def pages() -> list[tuple[str, str]]:
    finished = Campaign.objects.get(year=FINISHED_YEAR).pk
    current = Campaign.objects.get(year=OPEN_YEAR).pk
    root = Organization.objects.get(depth=1).pk
    return [
        ("rectification categories", reverse("rectification:categories")),
        ("grading overdue", reverse("grading:overdue", args=[current])),
        ("organizations setup_findings", reverse("organizations:setup_findings")),
        ("organizations district_overview", reverse("organizations:district_overview")),
        ("elections terms", reverse("elections:terms")),
        ("grading district_consequences", reverse("grading:district_consequences", args=[finished])),
        ("organizations terms_expiring", reverse("organizations:terms_expiring")),
        ("grading district_overview", reverse("grading:district_overview", args=[finished])),
        ("rectification district_board", reverse("rectification:district_board")),
        ("organizations org_page (root)", reverse("organizations:org_detail", args=[root])),
        ("organizations position_create (root)", reverse("organizations:position_create", args=[root])),
        ("organizations roles (root)", reverse("organizations:roles", args=[root])),
        ("organizations members_move (root)", reverse("organizations:members_move", args=[root])),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    district = get_user_model().objects.get(username="district")
    graded = Organization.objects.filter(is_graded=True).count()
    client = Client()
    client.force_login(district)
    for name, url in pages():
        if args.only and args.only not in name:
            continue

        def get(url: str = url) -> int:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return len(response.content)

        with CaptureQueriesContext(connection) as ctx:
            get()
        queries = len(ctx.captured_queries)
        reset_queries()
        seconds, size = timed(get, repeat=args.repeat)
        report(
            f"province {name} @{graded}",
            seconds,
            0,
            target="≤ 300 ms and ≤ 15 queries",
            ok=seconds <= 0.3 and queries <= 15,
            queries=queries,
            kb=round(size / 1024),
            orgs=graded,
        )


if __name__ == "__main__":
    main()
