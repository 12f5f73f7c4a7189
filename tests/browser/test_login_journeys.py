"""Each role logs in through the Chinese login page in Debian's Chromium and lands on its own home."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo12345"
SITE_TITLE = "党建工作管理平台"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 375, "height": 812}
# Django's technical error pages and our own error wording: none may appear on a home page.
ERROR_MARKERS = ("Traceback", "Server Error", "Page not found", "Forbidden", "服务器错误", "页面不存在", "没有权限")
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def log_in(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("domcontentloaded")


# (username, the Users attribute, where it lands as a function of the tree)
JOURNEYS: list[tuple[str, Callable[[object], str]]] = [
    ("ds", lambda tree: "/district/"),
    ("ts_a", lambda tree: f"/township/{tree.township_a.pk}/"),
    ("sec_a1", lambda tree: f"/orgs/{tree.village_a1.pk}/"),
    ("liaison", lambda tree: "/orgs/"),
    ("viewer_a", lambda tree: f"/township/{tree.township_a.pk}/"),
]


@pytest.mark.parametrize(("username", "home"), JOURNEYS, ids=[j[0] for j in JOURNEYS])
def test_each_role_lands_on_its_home(page, live_server, tree, users, username, home) -> None:
    # given: the shared tree with one user per role (password demo12345)
    expected_path = home(tree)

    # when
    response_status: list[int] = []
    page.on("response", lambda r: response_status.append(r.status) if r.url.endswith(expected_path) else None)
    log_in(page, live_server.url, username)

    # then
    assert page.url == f"{live_server.url}{expected_path}"
    assert response_status and response_status[-1] == 200
    assert SITE_TITLE in page.title()
    body = page.locator("body").inner_text()
    assert HAN.search(body), "the home page shows no Chinese text"
    for marker in ERROR_MARKERS:
        assert marker not in body
    assert page.locator("#id_password").count() == 0, "still on the login form"


def test_wrong_password_shows_chinese_error(page, live_server, users) -> None:
    log_in(page, live_server.url, "sec_a1", password="wrong-password")

    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    error = page.locator(".errorlist").inner_text()
    assert HAN.search(error), f"error is not in Chinese: {error!r}"
    assert page.locator("#id_password").count() == 1


def test_login_page_and_home_fit_a_phone(browser, live_server, tree, users) -> None:
    """Screenshots for a human to look at (test-artifacts/); asserts nothing overflows sideways on a phone."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(locale="zh-CN", viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.screenshot(path=str(ARTIFACTS / "login-phone.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        log_in(page, live_server.url, "sec_a1")
        assert page.url.endswith(f"/orgs/{tree.village_a1.pk}/")
        page.screenshot(path=str(ARTIFACTS / "secretary-home-phone.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
