"""The terms pages at province scale (issue 15): the latest term of each organization by one window query, the
filters in SQL and the list a page at a time (elections' 届满换届提醒 and organizations' 即将届满的班子), with every
row reachable by paging and a query count that does not grow with the district."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from elections.views import opening
from organizations.models import CommitteeTerm, OrgKind
from organizations.selectors import terms_expiring
from organizations.services.tree import organization_create
from organizations.views import overview


def _term(org, elected_on, ends_on):
    return CommitteeTerm.objects.create(organization=org, elected_on=elected_on, ends_on=ends_on, seats=3)


def _grow(tree, n, tag):
    today = timezone.localdate()
    for i in range(n):
        org = organization_create(
            actor=None,
            parent=tree.township_a,
            code=f"E{tag}{i:02d}",
            name=f"届满村{tag}-{i}",
            kind=OrgKind.BRANCH,
            field="rural",
            check_permission=False,
        )
        _term(org, today - timedelta(days=365 * 3), today + timedelta(days=10 + i))


def test_only_the_latest_term_counts_even_on_the_same_election_day(users, tree):
    today = timezone.localdate()
    _term(tree.village_a1, today - timedelta(days=1000), today + timedelta(days=5))
    _term(tree.village_a1, today - timedelta(days=10), today + timedelta(days=1800))  # re-elected: not due
    _term(tree.community_b1, today - timedelta(days=1000), today + timedelta(days=1800))
    _term(tree.community_b1, today - timedelta(days=1000), today + timedelta(days=20))  # same day, recorded later
    due = [t.organization.code for t in terms_expiring(users.ds, until=today + timedelta(days=180))]
    assert due == ["T02-001"]


def test_every_term_is_reached_by_paging_with_the_same_query_count(users, tree, monkeypatch):
    monkeypatch.setattr(opening, "TERMS_PER_PAGE", 2)
    monkeypatch.setattr(overview, "TERMS_PER_PAGE", 2)
    client = Client()
    client.force_login(users.ds)
    urls = [reverse("elections:terms"), reverse("organizations:terms_expiring")]
    for url in urls:
        client.get(url)
    counts = []
    for n, tag in ((3, "a"), (9, "b")):
        _grow(tree, n, tag)
        row = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            row.append(len(ctx.captured_queries))
            assert len(response.context["page"].object_list) == 2
        counts.append(row)
    assert counts[0] == counts[1] and max(counts[1]) <= 15
    seen = set()
    for number in range(1, 7):
        seen |= {r["organization"].code for r in client.get(urls[0], {"page": number}).context["rows"]}
    assert len(seen) == 12


def test_the_filters_run_in_sql_before_the_page(users, tree):
    today = timezone.localdate()
    _term(tree.village_a1, today - timedelta(days=2000), today - timedelta(days=3))
    _term(tree.community_b1, today - timedelta(days=1000), today + timedelta(days=30))
    client = Client()
    client.force_login(users.ds)
    url = reverse("elections:terms")
    ended = client.get(url, {"show": "ended"})
    assert [r["organization"].code for r in ended.context["rows"]] == ["T01-001"]
    assert "(1个)" in ended.content.decode()
    soon = client.get(url, {"show": "soon"})
    assert [r["organization"].code for r in soon.context["rows"]] == ["T02-001"]
    town = client.get(url, {"township": tree.township_b.pk})
    assert [r["organization"].code for r in town.context["rows"]] == ["T02-001"]
