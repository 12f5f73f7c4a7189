"""The admin reads in Chinese: our models, the accounts (one 姓名 field) and the login-protection (axes) section."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.apps import apps
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


def test_our_models_have_chinese_verbose_names():
    for app in ("partybuild",):
        config = apps.get_app_config(app)
        assert re.search(r"[\u4e00-\u9fff]", str(config.verbose_name)), app
        for model in config.get_models():
            assert re.search(r"[\u4e00-\u9fff]", str(model._meta.verbose_name)), model
            for field in model._meta.get_fields():
                if getattr(field, "auto_created", False) or not hasattr(field, "verbose_name"):
                    continue
                assert re.search(r"[\u4e00-\u9fff]", str(field.verbose_name)), f"{model.__name__}.{field.name}"
