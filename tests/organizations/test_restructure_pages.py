"""B1/B4 in restructuring from the user's seat, through the reorganization workflow of 第三篇 五 (no one-click upgrade
any more): the township drafts and sends a village's request by clicking from its home; a 党总支 of 50 members or
fewer is answered by the district only (农村条例: 党员人数虽不足50人、确因工作需要的,可以成立党总支), which finds the
request on its home's to-do list; a 党委 under 100 members is refused in words at the 请示."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from organizations.models import ChangeKind, Organization, OrgChange, OrgKind
from organizations.models.reorganization import Reorganization, ReorgState
from tests.crawl_support import rule_codes_shown

pytestmark = pytest.mark.django_db


def links(body: str) -> dict[str, str]:
    found = re.findall(r'<a[^>]*href="([^"]+)"[^>]*>([^<]*)</a>', body)
    labelled = re.findall(r'<a[^>]*href="([^"]+)"[^>]*aria-label="([^":]+)', body)
    return {html.unescape(label.strip()): href for href, label in found + labelled}


def click(client: Client, body: str, text: str) -> tuple[str, str]:
    """Follow the link whose text (or aria-label) is ``text``: (its url, the new page's body)."""
    found = links(body)
    assert text in found, f"no link {text!r} among {sorted(found)}"
    response = client.get(found[text])
    assert response.status_code == 200
    return found[text], response.content.decode()


def login(username: str) -> tuple[Client, str]:
    client = Client()
    client.post("/accounts/login/", {"username": username, "password": "demo12345"})
    return client, client.get("/", follow=True).content.decode()


def submit(client: Client, url: str, data: dict) -> str:
    return client.post(url, data, follow=True).content.decode()


def test_a_small_general_branch_goes_to_the_district_for_its_reply(users, tree, members):
    client, home = login("ts_a")
    _, village = click(client, home, tree.village_a1.name)
    assert "升格/改设" not in village  # the one-click upgrade is gone: the request goes through 请示 and 批复
    url, form = click(client, village, "发起组织设置调整")
    assert "党员超过50名" in form
    page = submit(
        client,
        url,
        {"kind": "upgrade", "new_kind": "general_branch", "new_name": "东风村党总支", "plan": "景区和协会党员分散"},
    )
    url, _ = click(client, page, "发放方案征求意见")
    page = submit(client, url, {"started_on": "2026-03-20", "version": "1"})
    url, _ = click(client, page, "向上级党委请示")
    page = submit(client, url, {"members_consulted": "8", "number": "东支〔2026〕1号", "on": "2026-04-01"})
    assert "已请示,待批复" in page and "须由区委组织部批复和实施" in page
    assert "批复同意" not in links(page)  # the township may not answer this one (B4)

    district, home = login("ds")
    _, waiting = click(district, home, "待批复的组织设置调整请示")
    _, request = click(district, waiting, "改设为党总支")
    url, _ = click(district, request, "批复同意")
    done = submit(district, url, {"number": "区组〔2026〕3号", "on": "2026-04-08", "note": "确因工作需要"})
    assert "已批复同意" in done and not rule_codes_shown(done)
    reorg = Reorganization.objects.get(organization=tree.village_a1)
    assert reorg.state == ReorgState.APPROVED and reorg.reply_by == users.ds and reorg.reply_body == "区委组织部"
    assert Organization.objects.get(pk=tree.village_a1.pk).kind == OrgKind.BRANCH  # not yet: meeting, then 实施
    assert not OrgChange.objects.filter(organization=tree.village_a1, kind=ChangeKind.UPGRADED).exists()


def test_a_committee_under_100_members_is_refused_in_words_at_the_request(users, tree, members):
    client, home = login("sec_a1")
    url, _ = click(client, home, "发起组织设置调整")
    page = submit(client, url, {"kind": "upgrade", "new_kind": "committee", "new_name": "东风村党委", "plan": "方案"})
    url, _ = click(client, page, "发放方案征求意见")
    page = submit(client, url, {"started_on": "2026-03-20"})
    url, _ = click(client, page, "向上级党委请示")
    refused = submit(client, url, {"members_consulted": "8", "number": "1号", "on": "2026-04-01"})
    assert "党员8名,不足100名,不能成立党的基层委员会(党委)" in refused and not rule_codes_shown(refused)
    assert Reorganization.objects.get(organization=tree.village_a1).state == ReorgState.CONSULTING
