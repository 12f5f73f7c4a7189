"""The admin reads in Chinese: our models, the accounts (one 姓名 field) and the login-protection (axes) section."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import reverse

WORD = re.compile(r"[A-Za-z]{3,}")
# Words a Chinese admin legitimately shows: none of ours; kept empty on purpose so a new English label fails.
ALLOWED: set[str] = {"admin"}  # the account name of pytest-django's admin_client, shown as data


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return unescape(html)


def _english(html: str) -> set[str]:
    start = html.index('id="content"')
    text = _visible_text(html[html.index(">", start) + 1 :])
    text = re.sub(r"/[\w/.-]*|<unknown>", " ", text)  # data, not labels: the paths axes recorded
    return {w for w in WORD.findall(text) if w not in ALLOWED}


@pytest.fixture
def axes_rows(client, users):
    client.post(reverse("login"), {"username": "ts_a", "password": "wrong-password"}, REMOTE_ADDR="10.3.3.3")
    client.post(reverse("login"), {"username": "ts_a", "password": "demo12345"}, REMOTE_ADDR="10.3.3.4")


@pytest.mark.parametrize("model", ["accessattempt", "accesslog", "accessfailurelog"])
def test_the_axes_section_is_chinese(admin_client, axes_rows, model):
    response = admin_client.get(reverse(f"admin:axes_{model}_changelist"))
    assert response.status_code == 200
    assert not _english(response.content.decode()), _english(response.content.decode())


def test_the_admin_index_names_every_section_in_chinese(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "登录保护" in page
    assert not _english(page), _english(page)


PROJECT_APPS = ("organizations", "grading", "rectification", "elections", "partybuild")
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("app", PROJECT_APPS)
def test_our_models_have_chinese_verbose_names(app):
    """Every model of every project app, registered in the admin or not: the admin's forms, filters, history and
    the delete confirmation (which lists related rows of any model) print these names."""
    config = apps.get_app_config(app)
    assert HAN.search(str(config.verbose_name)), app
    missing = []
    for model in config.get_models():
        for name in ("verbose_name", "verbose_name_plural"):
            if not HAN.search(str(getattr(model._meta, name))):
                missing.append(f"{model.__name__} ({name})")
        for field in model._meta.get_fields():
            if getattr(field, "auto_created", False) or not hasattr(field, "verbose_name"):
                continue
            if not HAN.search(str(field.verbose_name)):
                missing.append(f"{model.__name__}.{field.name}")
    assert not missing, missing


def test_every_project_app_with_admin_pages_is_checked():
    registered = {model._meta.app_label for model in admin.site._registry}
    ours = {config.label for config in apps.get_app_configs() if Path(config.path).parent == settings.BASE_DIR}
    assert registered & ours <= set(PROJECT_APPS), registered & ours
