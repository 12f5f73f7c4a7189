"""Member search and paging at province scale (issue 15 §3): keyset pages (page 2,000 costs what page 1 does), an
estimated count for a long list, and a trigram index that answers the name search on PostgreSQL."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.db import connection, transaction
from django.db.models.functions import Length
from django.urls import reverse

from core.paging import count_or_estimate, decode_cursor, encode_cursor, keyset_page
from organizations.models import Member
from organizations.views.members import MEMBER_ORDER
from tests.factories import MemberFactory

NEXT = re.compile(r'href="(\?[^"]*after=[^"]*)">下一页')
PREVIOUS = re.compile(r'href="(\?[^"]*before=[^"]*)">上一页')


def test_keyset_pages_walk_the_whole_list_forward_and_back_in_order(tree, members):
    qs = Member.objects.filter(left_on__isnull=True).select_related("organization")
    expected = list(qs.order_by(*MEMBER_ORDER).values_list("pk", flat=True))
    assert len(expected) >= 10

    seen, pages, page = [], [], keyset_page(qs, order=MEMBER_ORDER, per_page=3)
    while True:
        pages.append([m.pk for m in page])
        seen += pages[-1]
        if page.next_cursor is None:
            break
        page = keyset_page(qs, order=MEMBER_ORDER, after=page.next_cursor, per_page=3)
    assert seen == expected  # every row once, in order
    assert keyset_page(qs, order=MEMBER_ORDER, per_page=3).previous_cursor is None

    back = []
    while page.previous_cursor is not None:
        page = keyset_page(qs, order=MEMBER_ORDER, before=page.previous_cursor, per_page=3)
        back.append([m.pk for m in page])
    assert back == pages[-2::-1]  # the same pages, backwards, down to the first


def test_equal_names_in_one_organization_are_neither_lost_nor_repeated(tree):
    for _ in range(5):
        MemberFactory(organization=tree.village_a1, name="张伟")
    qs = Member.objects.filter(name="张伟").select_related("organization")
    first = keyset_page(qs, order=MEMBER_ORDER, per_page=2)
    second = keyset_page(qs, order=MEMBER_ORDER, after=first.next_cursor, per_page=2)
    third = keyset_page(qs, order=MEMBER_ORDER, after=second.next_cursor, per_page=2)
    pks = [m.pk for p in (first, second, third) for m in p]
    assert sorted(pks) == sorted(qs.values_list("pk", flat=True)) and third.next_cursor is None


@pytest.mark.parametrize("cursor", ["", "%%%", "bm90IGpzb24", encode_cursor(["a"]), "W1sxXSwgMiwgM10", "x" * 3000])
def test_a_cursor_that_does_not_decode_is_the_first_page(cursor):
    assert decode_cursor(cursor, 3) is None


def test_cursor_round_trip_keeps_chinese_and_numbers():
    assert decode_cursor(encode_cursor(["00010003", "张三", 42]), 3) == ["00010003", "张三", 42]


def test_member_list_pages_by_clicking_next_and_previous(client, users, tree):
    for n in range(55):
        MemberFactory(organization=tree.village_a1, name=f"李{n:02d}")
    client.force_login(users.ts_a)
    url = reverse("organizations:member_list", args=[tree.village_a1.pk])
    first = client.get(url).content.decode()
    assert "共 55 条" in first and "李00" in first and "李49" in first and "李50" not in first
    assert not PREVIOUS.search(first)
    second = client.get(url + unescape(NEXT.search(first)[1])).content.decode()
    assert "李50" in second and "李54" in second and "李49" not in second and not NEXT.search(second)
    back = client.get(url + unescape(PREVIOUS.search(second)[1])).content.decode()
    assert "李00" in back and "李49" in back and "李50" not in back
    # a search keeps its filter across pages
    searched = client.get(url, {"q": "李"}).content.decode()
    assert "q=%E6%9D%8E" in NEXT.search(searched)[1]
    # a damaged cursor is the first page, never an error
    assert "李00" in client.get(url, {"after": "damaged"}).content.decode()


def test_count_is_exact_for_a_short_list_and_estimated_for_a_long_one_on_postgresql(tree, members):
    qs = Member.objects.filter(left_on__isnull=True)
    assert count_or_estimate(qs) == count_or_estimate(qs, exact_below=10**9)
    assert not count_or_estimate(qs).estimated and count_or_estimate(qs).value == qs.count()
    estimate = count_or_estimate(qs, exact_below=0)
    assert estimate.estimated == (connection.vendor == "postgresql")
    assert estimate.value >= 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's (SQLite: icontains, no index)")
def test_name_search_uses_the_trigram_index_on_postgresql(tree, members):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'member_name_trgm_idx'")
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition and "upper" in definition.lower()
    # a trigram index answers patterns of three characters or more: search one member's whole name of three or more
    someone = Member.objects.annotate(n=Length("name")).filter(n__gte=3).order_by("pk").first()
    search = Member.objects.filter(name__icontains=someone.name)
    with transaction.atomic(), connection.cursor() as cursor:
        # a test table is tiny, so the planner would read it whole: forbid that to see the index answer the query
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = search.explain()
    assert "member_name_trgm_idx" in plan
    assert someone in search
