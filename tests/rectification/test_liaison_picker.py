"""The liaison account picker: the accounts in the township's scope are offered, a typo gets a clear message with
the matching names, and a picked suggestion is accepted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rectification.models import Liaison
from rectification.selectors.management import liaison_candidates
from rectification.services import cases as case_services
from tests.rectification.test_pages import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def lagging(users, tree):
    case_services.category_set_by_hand(
        actor=users.ds, organization=tree.branch_a21, year=2026, category="lagging", reason="测试"
    )
    return tree.branch_a21


def form(username: str) -> dict:
    return {
        "person_name": "王五",
        "position": "镇党委副书记",
        "kind": "leader",
        "duties": "每月到村指导",
        "since": "2026-05-01",
        "username": username,
    }


def test_candidates_are_the_accounts_in_scope(users, tree):
    users.sec_a1.first_name = "张三"
    users.sec_a1.save()
    names = set(liaison_candidates(users.ts_a).values_list("username", flat=True))
    assert {"ts_a", "sec_a1", "liaison", "viewer_a"} <= names
    assert not names & {"ts_b", "sec_b1", "ds", "nobody"}
    assert not liaison_candidates(users.sec_a1).exists()  # no MANAGE_CASES, nobody offered


def test_page_offers_the_accounts_in_a_datalist(users, lagging):
    page = client_for(users.ts_a).get(reverse("rectification:liaison_add", args=[lagging.pk])).content.decode()
    assert 'list="id_username-accounts"' in page and '<datalist id="id_username-accounts">' in page
    assert '<option value="sec_a1">' in page and 'value="sec_b1"' not in page


def test_typo_gets_matching_names(users, lagging):
    kind = Liaison._meta.get_field("kind").choices[0][0]
    url = reverse("rectification:liaison_add", args=[lagging.pk])
    response = client_for(users.ts_a).post(url, form("sec_a") | {"kind": kind})
    page = response.content.decode()
    assert "没有账号“sec_a”" in page and "是否是:sec_a1" in page and "sec_b1" not in page.split("是否是")[1][:60]
    unknown = client_for(users.ts_a).post(url, form("zzz") | {"kind": kind}).content.decode()
    assert "没有账号“zzz”(账号区分大小写)" in unknown and "也可以不填账号" in unknown
    assert not Liaison.objects.exists()


def test_picked_suggestion_is_accepted(users, lagging):
    kind = Liaison._meta.get_field("kind").choices[0][0]
    users.liaison.first_name = "王五"
    users.liaison.save()
    url = reverse("rectification:liaison_add", args=[lagging.pk])
    response = client_for(users.ts_a).post(url, form("liaison(王五)") | {"kind": kind})
    assert response.status_code == 302
    assert Liaison.objects.get(organization=lagging).user == users.liaison


def test_a_liaison_role_granted_without_a_record_is_listed_as_the_liaison(users, tree):
    """The liaison leader role and the 挂点联系干部 are one duty: a holder of the role (granted under 角色管理) is
    listed on the organization's page, not "暂无"."""
    from django.test import Client

    users.liaison.last_name, users.liaison.first_name = "韦", "联络"
    users.liaison.save()
    client = Client()
    client.force_login(users.ts_a)
    page = client.get(f"/rectification/orgs/{tree.branch_a21.pk}/").content.decode()
    section = page.split("<h2>挂点联系干部</h2>", 1)[1].split("</section>", 1)[0]
    assert "韦联络" in section and "暂无" not in section
