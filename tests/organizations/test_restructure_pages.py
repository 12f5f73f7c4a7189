"""B1/B4 in restructuring from the user's seat: the district reaches 升格/改设 by clicking from its home, reads the
rule in words when refused, and upgrades a small branch with a written reason (农村条例: 党员人数虽不足50人、确因工作
需要的,可以成立党总支)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from organizations.models import ChangeKind, OrgChange, OrgKind
from tests.crawl_support import rule_codes_shown

pytestmark = pytest.mark.django_db


def click(client: Client, body: str, text: str) -> str:
    """Follow the link whose text is ``text`` on ``body``; the new page's body."""
    links = dict((label.strip(), href) for href, label in re.findall(r'<a[^>]*href="([^"]+)"[^>]*>([^<]*)</a>', body))
    assert text in links, f"no link {text!r}"
    response = client.get(links[text])
    assert response.status_code == 200
    return response.content.decode()


def test_district_upgrades_a_small_branch_with_a_written_reason(users, tree, members):
    client = Client()
    client.post("/accounts/login/", {"username": "ds", "password": "demo12345"})
    home = client.get("/", follow=True).content.decode()
    township = click(client, home, tree.township_a.name)
    org_page = click(client, township, tree.village_a1.name)
    form = click(client, org_page, "升格/改设")
    assert "党员超过50名" in form
    url = f"/orgs/{tree.village_a1.pk}/upgrade/"
    data = {"new_kind": "general_branch", "new_name": "东风村党总支", "effective_on": "2026-05-01", "note": ""}
    refused = client.post(url, data).content.decode()
    assert "党员8名,未超过50名" in refused and not rule_codes_shown(refused)
    data["note"] = "景区和协会党员分散,确因工作需要"
    done = client.post(url, data, follow=True).content.decode()
    assert "东风村党总支" in done and "经区委组织部审批" in done
    change = OrgChange.objects.get(organization=tree.village_a1, kind=ChangeKind.UPGRADED)
    assert change.new_kind == OrgKind.GENERAL_BRANCH and change.actor == users.ds


def test_township_is_refused_in_words(users, tree, members):
    client = Client()
    client.post("/accounts/login/", {"username": "ts_a", "password": "demo12345"})
    home = client.get("/", follow=True).content.decode()
    org_page = click(client, home, tree.village_a1.name)
    click(client, org_page, "升格/改设")
    body = client.post(
        f"/orgs/{tree.village_a1.pk}/upgrade/",
        {"new_kind": "committee", "new_name": "东风村党委", "effective_on": "2026-05-01", "note": "镇党委同意"},
    ).content.decode()
    assert "党员8名,不足100名,不能成立党的基层委员会(党委)" in body and not rule_codes_shown(body)
    assert OrgChange.objects.filter(organization=tree.village_a1, kind=ChangeKind.UPGRADED).count() == 0
