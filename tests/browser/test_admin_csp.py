"""The admin under the same content security policy as every other page: Django's admin pages load and their
scripts run (the date widget's calendar opens) with no policy violation reported by Chromium."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_pages_work_under_the_policy(new_page, live_server):
    get_user_model().objects.create_superuser("root", "root@example.org", "Root-pass-2026")
    page = new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("input[name=username]", "root")
    page.fill("input[name=password]", "Root-pass-2026")
    page.locator("input[type=submit]").click()
    page.get_by_text("后台管理").first.wait_for()

    page.goto(f"{live_server.url}/admin/partybuild/holiday/add/")
    page.locator(".datetimeshortcuts a").first.wait_for()  # added by the admin's DateTimeShortcuts.js
    page.locator(".datetimeshortcuts a").first.click()  # 今天: the script fills the field
    assert page.locator("input[name=date]").input_value()
    page.goto(f"{live_server.url}/admin/partybuild/calendaryear/")
    page.wait_for_load_state("load")
    assert violations == []
