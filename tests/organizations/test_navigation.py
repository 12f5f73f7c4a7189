"""The menu offers each page only to those who may open it, and every entry it offers opens."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from organizations.navigation import nav_items

pytestmark = pytest.mark.django_db


def labels(user) -> list[str]:
    return [label for label, _ in nav_items(user)]


def test_district_staff_reach_the_election_step_templates_from_the_menu(users):
    assert "换届环节模板" in labels(users.ds)
    for name in ("ts_a", "sec_a1", "viewer_a", "nobody"):
        assert "换届环节模板" not in labels(getattr(users, name)), name


@pytest.mark.parametrize("name", ["ds", "ts_a", "sec_a1", "viewer_a", "liaison", "nobody"])
def test_every_menu_entry_opens(users, name):
    user = getattr(users, name)
    client = Client()
    client.force_login(user)
    for label, url in nav_items(user):
        assert client.get(url, follow=True).status_code == 200, (label, url)


# Each role's readable areas (issue 11: viewer01's menu offered 首页/党组织/通知 only, while the grading board,
# rectification and elections pages it may read were linked from nowhere).
# issues 16, 17: everyone with a role in the tree reads figures, life, dues and the transfers of members
LIFE = ("党员统计", "组织生活", "党费", "组织关系转接")
AREAS = {
    "ds": {
        *("首页", "全区概况", "党组织", "分类定级", "整顿", *LIFE, "党员发展", "换届选举", "换届事件和舆情"),
        *("换届环节模板", "导出任务", "操作日志", "节假日与调休", "系统状态"),
    },
    "ts_a": {
        *("首页", "党组织", "分类定级", "整顿", *LIFE, "党员发展"),
        *("换届选举", "换届事件和舆情", "导出任务", "操作日志"),
    },
    "viewer_a": {"首页", "党组织", "分类定级", "整顿", *LIFE, "换届选举", "导出任务"},
    "sec_a1": {"首页", "党组织", "整顿", *LIFE, "换届选举", "导出任务"},
    "liaison": {"首页", "党组织", "整顿", *LIFE, "换届选举"},
    "nobody": {"首页"},
}


@pytest.mark.parametrize("name", list(AREAS))
def test_each_role_finds_every_area_it_may_read_and_no_other(users, name):
    got = {label for label in labels(getattr(users, name)) if not label.startswith("通知")}
    assert got == AREAS[name]


@pytest.mark.parametrize("name", ["viewer_a", "ts_a"])
def test_township_page_links_its_boards(users, tree, name):
    client = Client()
    client.force_login(getattr(users, name))
    page = client.get(reverse("organizations:township", args=[tree.township_a.pk])).content.decode()
    for url in (
        reverse("elections:board", args=[tree.township_a.pk]),
        reverse("rectification:township_board", args=[tree.township_a.pk]),
        reverse("grading:township_current", args=[tree.township_a.pk]),
    ):
        assert f'href="{url}"' in page, url
        assert client.get(url, follow=True).status_code == 200, url


def test_organizations_names_no_feature_apps_page():
    """The menu and the organization pages' buttons come from registries the feature apps fill (issue 13): no URL
    name of grading, rectification or elections in organizations' code or templates."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    named = [
        str(path.relative_to(root))
        for folder in ("organizations", "templates/organizations")
        for path in (root / folder).rglob("*")
        if path.suffix in {".py", ".html"}
        and re.search(r"""["'](grading|rectification|elections):""", path.read_text(encoding="utf-8"))
    ]
    assert not named, named


def test_a_members_own_account_finds_its_home_the_notifications_and_its_account_settings(users, members):
    """A member's account (党员账号, issue 17 deliver 6) holds no role: 首页 (我的) and 通知, and the account's own
    links (接收方式, 修改密码, 退出); each opens."""
    from organizations.services.member_accounts import member_account_create

    account, _ = member_account_create(actor=users.sec_a1, member=members["a1"][0])
    items = nav_items(account)
    assert [label for label, _ in items][0] == "首页" and len(items) == 2 and items[1][0].startswith("通知")
    client = Client()
    client.force_login(account)
    for label, url in items:
        assert client.get(url, follow=True).status_code == 200, (label, url)
    home = client.get(reverse("home")).content.decode()
    for label in ("我的", "接收方式", "修改密码", "退出"):
        assert label in home, label
