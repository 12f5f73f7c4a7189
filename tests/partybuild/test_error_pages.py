"""Our Chinese 400/403/404/500 pages, each with a way home and back, with DEBUG off (production) and on."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

ENGLISH = ("Forbidden", "Not Found", "Server Error", "Bad Request", "requested resource", "CSRF verification")


def _login(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def _assert_ours(response, status: int, title: str) -> str:
    page = response.content.decode()
    assert response.status_code == status
    assert title in page and 'lang="zh-CN"' in page
    assert "返回首页" in page and 'href="/"' in page and "返回上一页" in page
    for word in ENGLISH:
        assert word not in page
    return page


@pytest.mark.parametrize("debug", [False, True])
def test_viewer_opening_the_audit_log_gets_the_chinese_403_with_links_home(settings, users, debug):
    settings.DEBUG = debug
    response = _login(users.viewer_a).get(reverse("core:audit_log"))
    page = _assert_ours(response, 403, "无权访问")
    assert "您没有查阅操作日志的权限" in page  # the view's own reason, written for the user
    assert "主菜单" in page  # the 403 page keeps the site's menu


@pytest.mark.parametrize("debug", [False, True])
def test_a_missing_or_out_of_scope_record_gets_the_chinese_404(settings, users, tree, debug):
    settings.DEBUG = debug
    client = _login(users.ts_a)
    missing = _assert_ours(client.get(reverse("organizations:org_detail", args=[999999])), 404, "页面不存在")
    out_of_scope = reverse("organizations:org_detail", args=[tree.community_b1.pk])
    other = _assert_ours(client.get(out_of_scope), 404, "页面不存在")
    assert missing == other  # no existence oracle: byte for byte the same


def test_an_address_nothing_matches_gets_the_chinese_404_in_production(settings, users):
    settings.DEBUG = False
    _assert_ours(_login(users.ts_a).get("/no-such-page/"), 404, "页面不存在")


def test_the_way_back_is_the_referring_page_of_our_own_site_only(settings, users):
    settings.DEBUG = False
    client = _login(users.viewer_a)
    url = reverse("core:audit_log")
    page = client.get(url, HTTP_REFERER="http://testserver/orgs/").content.decode()
    assert 'href="http://testserver/orgs/">返回上一页' in page
    page = client.get(url, HTTP_REFERER="https://evil.example/phish").content.decode()
    assert "evil.example" not in page and "data-history-back" in page


def test_a_refused_host_gets_the_chinese_400(settings, db):
    settings.DEBUG = False
    _assert_ours(Client().get("/", HTTP_HOST="evil.example"), 400, "请求有误")


def test_a_crash_gets_the_chinese_500(settings, users, monkeypatch):
    settings.DEBUG = False

    def boom(user):
        raise RuntimeError("database is gone")

    monkeypatch.setattr("partybuild.views.home_grant", boom)
    response = _login(users.ts_a, raise_request_exception=False).get("/")
    page = _assert_ours(response, 500, "系统出错")
    assert "database is gone" not in page


def test_the_500_page_needs_neither_the_database_nor_context_processors():
    """No ``db`` fixture: any query here raises, so rendering proves the page needs no database."""
    from partybuild.views_errors import server_error

    response = server_error(None)
    page = response.content.decode()
    assert response.status_code == 500 and "系统出错" in page and "返回首页" in page
    assert "/static/css/app.css" in page


def test_a_refused_csrf_check_gets_a_chinese_403_that_says_what_to_do(settings, users):
    settings.DEBUG = False
    client = _login(users.ts_a, enforce_csrf_checks=True)
    response = client.post(reverse("logout"))
    page = _assert_ours(response, 403, "页面已过期")
    assert "刷新后再提交" in page
