"""Search-as-you-type pickers (issue 15): the committee-position and members-move forms offer a few options and a
search box instead of a select of every member or organization of the subtree; the search endpoints answer at most
20 matches inside the user's scope; without JavaScript the 搜索 button shows the form again with the matches and
saves nothing; the query count does not grow with the district."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import pickers
from organizations.models import Member, Position
from organizations.roles import Role
from organizations.services.grants import role_grant
from tests.factories import MemberFactory, UserFactory


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _options(response) -> list[str]:
    return [label for _pk, label in response.context["form"].fields[_field(response)].widget.choices][1:]


def _field(response) -> str:
    return "member" if "member" in response.context["form"].fields else "to_org"


def test_position_form_at_the_root_lists_no_member_until_a_name_is_typed(users, tree, members):
    url = reverse("organizations:position_create", args=[tree.district.pk])
    response = _client(users.ds).get(url)
    body = response.content.decode()
    assert response.status_code == 200 and _options(response) == []
    assert "未全部列出,请在左侧输入名称搜索" in body
    assert f'hx-get="{reverse("organizations:pick_members", args=[tree.district.pk])}"' in body
    wanted = members["b1"][0]
    found = _client(users.ds).get(url, {"member_q": wanted.name})
    assert _options(found) == [f"{wanted.name}(南门社区党支部)"]


def test_position_form_of_a_branch_lists_its_members_without_a_search(users, tree, members):
    response = _client(users.sec_a1).get(reverse("organizations:position_create", args=[tree.village_a1.pk]))
    assert len(_options(response)) == 8
    assert "未全部列出" not in response.content.decode()


def test_the_member_endpoint_answers_at_most_20_matches_inside_the_scope(users, tree, members):
    MemberFactory.create_batch(25, organization=tree.village_a1, name="王重名")
    MemberFactory(organization=tree.community_b1, name="王外镇")
    url = reverse("organizations:pick_members", args=[tree.township_a.pk])
    body = _client(users.ts_a).get(url, {"member_q": "王"}).content.decode()
    assert body.count("王重名(东风村党支部)") == pickers.SEARCH_LIMIT
    assert "王外镇" not in body and "还有更多" in body
    # Another township's organization: not found, like the form itself.
    other = reverse("organizations:pick_members", args=[tree.township_b.pk])
    assert _client(users.ts_a).get(other, {"member_q": "王"}).status_code == 404
    assert "没有找到该姓名的党员" in _client(users.ts_a).get(url, {"member_q": "无此人"}).content.decode()
    assert (
        "请输入名称搜索"
        in _client(users.ds).get(reverse("organizations:pick_members", args=[tree.district.pk])).content.decode()
    )


def test_a_member_picked_by_search_is_saved_and_one_outside_the_scope_is_refused(users, tree, members):
    url = reverse("organizations:position_create", args=[tree.township_a.pk])
    inside, outside = members["a1"][0], members["b1"][0]
    post = {"post": "secretary", "started_on": "2026-03-01"}
    refused = _client(users.ts_a).post(url, {**post, "member": outside.pk})
    assert refused.status_code == 200 and refused.context["form"].errors["member"]
    assert not Position.objects.filter(member=outside).exists()
    saved = _client(users.ts_a).post(url, {**post, "member": inside.pk})
    assert saved.status_code == 302 and Position.objects.filter(member=inside, organization=tree.township_a).exists()


def test_the_search_button_without_javascript_shows_the_matches_and_saves_nothing(users, tree, members):
    url = reverse("organizations:position_create", args=[tree.district.pk])
    wanted = members["a21"][1]
    response = _client(users.ds).post(
        url,
        {
            "member_q": wanted.name,
            pickers.SEARCH_BUTTON: "member",
            "post": "deputy_secretary",
            "started_on": "2026-02-03",
        },
    )
    assert response.status_code == 200 and not response.context["form"].is_bound
    assert _options(response) == [f"{wanted.name}(东风镇中学第一党支部)"]
    body = response.content.decode()
    assert 'value="2026-02-03"' in body and f'value="{wanted.name}"' in body
    assert not Position.objects.filter(member=wanted).exists()


def test_members_move_offers_targets_by_search_and_moves(users, tree, members):
    url = reverse("organizations:members_move", args=[tree.village_a1.pk])
    response = _client(users.ts_a).get(url)
    assert _options(response) == ["东风镇中学党总支", "东风镇中学第一党支部"]
    found = _client(users.ts_a).get(url, {"to_org_q": "第一"})
    assert _options(found) == ["东风镇中学第一党支部"]
    endpoint = reverse("organizations:pick_targets", args=[tree.village_a1.pk])
    assert "东风镇中学第一党支部" in _client(users.ts_a).get(endpoint, {"to_org_q": "T01-002-01"}).content.decode()
    moved = members["a1"][0]
    done = _client(users.ts_a).post(
        url, {"members": [moved.pk], "to_org": tree.branch_a21.pk, "moved_on": "2026-03-01", "reason": "x"}
    )
    assert done.status_code == 302
    assert Member.objects.get(pk=moved.pk).organization_id == tree.branch_a21.pk


def test_the_roles_page_is_paginated_and_searchable(users, tree):
    url = reverse("organizations:roles", args=[tree.district.pk])
    response = _client(users.ds).get(url, {"q": "ts_"})
    assert [a.user.username for a in response.context["assignments"]] == ["ts_a", "ts_b"]
    assert "没有符合条件的角色" in _client(users.ds).get(url, {"q": "无此账号"}).content.decode()


def test_the_forms_query_counts_do_not_grow_with_the_district(users, tree, members):
    pages = [
        reverse("organizations:position_create", args=[tree.district.pk]),
        reverse("organizations:position_create", args=[tree.district.pk]) + "?member_q=党员",
        reverse("organizations:members_move", args=[tree.village_a1.pk]),
        reverse("organizations:roles", args=[tree.district.pk]),
        reverse("organizations:pick_members", args=[tree.district.pk]) + "?member_q=党员",
    ]
    client = _client(users.ds)
    for url in pages:
        client.get(url)
    counts = []
    for n in (5, 60):
        MemberFactory.create_batch(n, organization=tree.branch_a21)
        for i in range(n // 5):
            role_grant(
                actor=None, user=UserFactory(username=f"u{n}-{i}"), organization=tree.village_a1, role=Role.VIEWER
            )
        row = []
        for url in pages:
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code == 200, url
            row.append(len(ctx.captured_queries))
        counts.append(row)
    assert counts[0] == counts[1] and max(counts[1]) <= 15, counts
