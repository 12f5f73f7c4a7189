"""The categories page at province scale (issue 15): the current category from one window query (filters apply to
the current rows only), counts per category and per township in SQL, the list a page at a time with every row
reachable by paging or by a township's drill-down, and a query count that does not grow with the district."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.models import Organization, OrgKind
from organizations.services.tree import organization_create
from rectification.selectors import management as management_selectors
from rectification.services import cases as case_services
from rectification.views import boards as board_views

URL = reverse("rectification:categories")


def _set(users, org, category, reason="x"):
    case_services.category_set_by_hand(actor=users.ds, organization=org, year=2026, category=category, reason=reason)


def _grow(tree, users, n):
    """n more townships, each with two branches in 赶超支部 (the second set over an earlier 后进支部)."""
    for i in range(n):
        town = organization_create(
            actor=None,
            parent=tree.district,
            code=f"C{n}{i:02d}",
            name=f"分类镇{n}-{i}",
            kind=OrgKind.COMMITTEE,
            check_permission=False,
        )
        for j in range(2):
            branch = organization_create(
                actor=None,
                parent=town,
                code=f"C{n}{i:02d}-{j}",
                name=f"分类村{n}-{i}-{j}",
                kind=OrgKind.BRANCH,
                field="rural",
                check_permission=False,
            )
            if j:
                _set(users, branch, "lagging")
            _set(users, branch, "catch_up")


def test_a_filter_applies_to_the_current_category_not_to_an_older_row(users, tree):
    _set(users, tree.village_a1, "lagging")
    _set(users, tree.village_a1, "catch_up")
    _set(users, tree.community_b1, "lagging")
    rows = management_selectors.current_categories_of(users.ds, "lagging")
    assert [r.organization.code for r in rows] == ["T02-001"]
    assert [r.organization.code for r in management_selectors.current_categories_of(users.ds, "catch_up")] == [
        "T01-001"
    ]


def test_counts_per_category_and_per_township_come_from_the_current_rows(users, tree):
    _set(users, tree.village_a1, "lagging")
    _set(users, tree.village_a1, "red_flag")
    _set(users, tree.branch_a21, "red_flag")
    _set(users, tree.community_b1, "weak")
    totals, by_township = management_selectors.category_counts(users.ds)
    assert {value: n for value, _label, n in totals} == {"red_flag": 2, "catch_up": 0, "lagging": 0, "weak": 1}
    assert [(t.township.code, t.counts, t.total) for t in by_township] == [
        ("T01", [2, 0, 0, 0], 2),
        ("T02", [0, 0, 0, 1], 1),
    ]
    totals_a, by_township_a = management_selectors.category_counts(users.ts_a)
    assert {value: n for value, _label, n in totals_a}["weak"] == 0
    assert [t.township.code for t in by_township_a] == ["T01"]


def test_the_district_reaches_every_row_by_paging_and_by_drilling_into_a_township(users, tree, monkeypatch):
    monkeypatch.setattr(board_views, "CATEGORIES_PER_PAGE", 2)
    _grow(tree, users, 2)  # 4 organizations with a category
    _set(users, tree.village_a1, "catch_up")
    client = Client()
    client.force_login(users.ds)
    response = client.get(URL)
    body = response.content.decode()
    assert "各乡镇(街道)分类情况" in body and "第 1 / 3 页,共 5 条" in body
    seen = set()
    for number in (1, 2, 3):
        page = client.get(URL, {"page": number}).context["page"]
        seen |= {r.organization.code for r in page}
    assert seen == {"T01-001", "C200-0", "C200-1", "C201-0", "C201-1"}
    town = Organization.objects.get(code="C201")
    drill = client.get(URL, {"township": town.pk, "category": "catch_up"})
    assert [r.organization.code for r in drill.context["page"]] == ["C201-0", "C201-1"]
    assert "查看全部乡镇(街道)" in drill.content.decode()


def test_a_township_outside_the_scope_is_not_found(users, tree):
    client = Client()
    client.force_login(users.ts_a)
    assert client.get(URL, {"township": tree.township_b.pk}).status_code == 404
    assert client.get(URL, {"township": tree.township_a.pk}).status_code == 200


def test_showcase_designation_returns_to_the_same_page_of_the_list(users, tree):
    _set(users, tree.village_a1, "red_flag")
    client = Client()
    client.force_login(users.ds)
    url = reverse("rectification:showcase_quick", args=[tree.village_a1.pk]) + f"?township={tree.township_a.pk}"
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == f"{URL}?township={tree.township_a.pk}"


@pytest.mark.parametrize("username", ["ds", "ts_a"])
def test_the_query_count_and_the_rows_shown_do_not_grow_with_the_district(users, tree, monkeypatch, username):
    monkeypatch.setattr(board_views, "CATEGORIES_PER_PAGE", 3)
    client = Client()
    client.force_login(getattr(users, username))
    client.get(URL)
    counts, rows = [], []
    for n in (2, 8):
        _grow(tree, users, n)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
        rows.append(len(response.context["page"].object_list))
    assert counts[0] == counts[1] <= 15
    assert rows[1] <= 3
