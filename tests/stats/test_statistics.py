"""党员统计 (issue 17 §1): the counts, the comparison under an organization, the drill-down, the workbook, scope and
query budget."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from organizations.models import OrgKind
from organizations.services.tree import organization_create
from stats.documents import workbook
from stats.selectors.counts import membership_tables
from tests.factories import MemberFactory

DAY = date(2026, 12, 3)
BUDGET = 15


def _by_key(tables):
    return {t.key: t for t in tables}


@pytest.fixture
def varied(tree, members):
    """Members on each side of the bands, in both townships, and one who has left (never counted)."""
    return [
        MemberFactory(organization=tree.village_a1, birth_date=date(1995, 12, 3), gender="female", ethnicity="壮族"),
        MemberFactory(organization=tree.village_a1, birth_date=date(1995, 12, 4), joined_on=date(2021, 12, 4)),
        MemberFactory(organization=tree.community_b1, status="probationary", is_migrant=True, occupation="外出务工"),
        MemberFactory(organization=tree.community_b1, occupation="", joined_on=date(1976, 12, 3)),
        MemberFactory(organization=tree.branch_a21, left_on=date(2025, 1, 1)),
        MemberFactory(organization=tree.district, education="bachelor"),
    ]


def test_counts_are_the_current_members_in_their_bands(tree, users, varied) -> None:
    t = _by_key(membership_tables(users.ds, tree.district, day=DAY))
    total = 8 + 4 + 3 + 5  # the fixture's members and the five current ones above
    for table in t.values():
        assert table.total.total == total and sum(table.total.counts) == total, table.key
    age = dict(zip([c.label for c in t["age"].categories], t["age"].total.counts, strict=True))
    assert age["30岁及以下"] == 1 and age["31至35岁"] == 1  # 31 on the day / 31 tomorrow: N1's boundary
    party = dict(zip([c.label for c in t["party_age"].categories], t["party_age"].total.counts, strict=True))
    assert party["不满5年"] == 1 and party["50年及以上"] == 1  # joined 2021-12-04 is 4 years; 1976-12-03 is 50
    assert t["ethnicity"].total.counts == [total - 1, 1]
    assert t["status"].total.counts == [total - 1, 1]
    assert t["migrant"].total.counts == [1, total - 1]
    occupations = dict(zip([c.label for c in t["occupation"].categories], t["occupation"].total.counts, strict=True))
    assert occupations["外出务工"] == 1 and occupations["未填写"] == 1 and occupations["其他"] == 0


def test_the_district_is_the_sum_of_its_townships_in_every_table_and_the_workbook(tree, users, varied) -> None:
    tables = membership_tables(users.ds, tree.district, day=DAY)
    for table in tables:
        assert [r.label for r in table.rows] == ["示范区委本级", "东风镇党委", "城关街道党工委"]
        for i in range(len(table.categories)):
            assert sum(r.counts[i] for r in table.rows) == table.total.counts[i], (table.key, i)
        assert sum(r.total for r in table.rows) == table.total.total
    _, content = workbook(users.ds, tree.district, day=DAY)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == [*(t.title for t in tables), "党员发展"]  # the pipeline's counts: a sheet of their own
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        body, last = rows[1:-1], rows[-1]
        assert last[0] == "示范区委合计"
        for col in range(1, len(last)):
            assert sum(r[col] for r in body) == last[col], (sheet.title, col)


def test_a_township_counts_its_own_organizations_only(tree, users, varied) -> None:
    t = _by_key(membership_tables(users.ts_a, tree.township_a, day=DAY))
    assert t["gender"].total.total == 8 + 3 + 2
    assert [r.label for r in t["gender"].rows] == ["东风村党支部", "东风镇中学党总支"]


def test_the_menu_opens_the_viewers_scope_and_out_of_scope_is_404(client, tree, users, varied) -> None:
    for user, org in ((users.ds, tree.district), (users.ts_a, tree.township_a), (users.sec_a1, tree.village_a1)):
        client.force_login(user)
        response = client.get(reverse("stats:home"))
        assert response.url == reverse("stats:org", args=[org.pk])
    client.force_login(users.ts_a)
    assert client.get(reverse("stats:org", args=[tree.township_b.pk])).status_code == 404
    assert client.get(reverse("stats:workbook", args=[tree.district.pk])).status_code == 404
    assert client.get(reverse("stats:members", args=[tree.community_b1.pk]) + "?table=age&key=a30").status_code == 404


def test_the_district_page_shows_the_township_comparison_and_links_to_the_members(client, tree, users, varied):
    client.force_login(users.ds)
    page = client.get(reverse("stats:org", args=[tree.district.pk])).content.decode()
    assert "各乡镇(街道)对比" in page and "东风镇党委" in page and "城关街道党工委" in page
    assert "<svg" in page and "style=" not in page
    link = reverse("stats:members", args=[tree.township_b.pk]) + "?table=migrant&amp;key=yes"
    assert link in page
    drill = client.get(link.replace("&amp;", "&")).content.decode()
    migrant = varied[2]
    assert migrant.name in drill and migrant.id_number not in drill and migrant.masked_id_number in drill
    others = client.get(reverse("stats:members", args=[tree.district.pk]) + "?table=occupation&key=o:外出务工")
    assert migrant.name in others.content.decode()
    assert client.get(reverse("stats:members", args=[tree.district.pk]) + "?table=age&key=zz").status_code == 404


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["org", "members", "workbook"])
def test_query_count_is_constant_in_the_number_of_members(client, tree, users, members, name) -> None:
    client.force_login(users.ds)
    url = reverse(f"stats:{name}", args=[tree.district.pk]) + ("?table=gender&key=male" if name == "members" else "")
    small = _queries(client, url)
    MemberFactory.create_batch(60, organization=tree.community_b1, occupation="个体")
    MemberFactory.create_batch(40, organization=tree.branch_a21, gender="female")
    for i in range(3):  # more townships: more rows, not more queries
        town = organization_create(
            actor=users.ds, parent=tree.district, code=f"T9{i}", name=f"测试{i}镇党委", kind=OrgKind.COMMITTEE
        )
        MemberFactory.create_batch(5, organization=town, occupation=f"职业{i}")
    large = _queries(client, url)
    assert large == small <= BUDGET
    if name == "org":
        assert "测试2镇党委" in client.get(url).content.decode()


def test_the_district_and_township_pages_link_to_the_statistics(client, tree, users) -> None:
    client.force_login(users.ds)
    overview = client.get(reverse("organizations:district_overview")).content.decode()
    assert reverse("stats:district") in overview
    assert client.get(reverse("stats:district")).url == reverse("stats:org", args=[tree.district.pk])
    client.force_login(users.ts_a)
    township = client.get(reverse("organizations:township", args=[tree.township_a.pk])).content.decode()
    assert reverse("stats:org", args=[tree.township_a.pk]) in township


def test_a_secretary_sees_the_figures_of_the_branch_without_a_comparison(client, tree, users, varied) -> None:
    client.force_login(users.sec_a1)
    page = client.get(reverse("stats:org", args=[tree.village_a1.pk])).content.decode()
    assert "现有党员10名" in page and "对比" not in page
    assert client.get(reverse("stats:org", args=[tree.township_a.pk])).status_code == 404


def test_a_dissolved_organization_without_members_has_no_row(tree, users, members) -> None:
    tree.general_a2.dissolved_on = date(2026, 1, 1)
    tree.general_a2.save(update_fields=["dissolved_on"])
    rows = [r.label for r in membership_tables(users.ts_a, tree.township_a, day=DAY)[0].rows]
    assert rows == ["东风村党支部", "东风镇中学党总支"]  # it still has members: counted where they are
    tree.branch_a21.members.update(left_on=date(2026, 2, 1))
    rows = [r.label for r in membership_tables(users.ts_a, tree.township_a, day=DAY)[0].rows]
    assert rows == ["东风村党支部"]


def test_a_branch_page_carries_the_statistics_panel(client, tree, users, members) -> None:
    client.force_login(users.liaison)  # two grants: the menu opens one, each organization page links its own
    page = client.get(reverse("organizations:org_detail", args=[tree.community_b1.pk])).content.decode()
    assert reverse("stats:org", args=[tree.community_b1.pk]) in page and "现有党员4名" in page
