"""Mail, error reports and logs from the environment (issue 18): one line per record with time, level, logger,
request id and user id; SMTP, ADMINS and an optional Sentry DSN read from the environment."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from ops.rules import parse_admins
from ops.services.logs import ContextFilter, LineFormatter, RequestIdMiddleware, new_request_id

ROOT = Path(__file__).resolve().parents[2]


def _capture(style: str) -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(LineFormatter(style))
    logger = logging.getLogger(f"test.ops.{style}")
    logger.handlers, logger.propagate, logger.level = [handler], False, logging.INFO
    return logger, stream


def test_a_kv_line_has_every_field_and_quotes_what_needs_it():
    logger, stream = _capture("kv")
    logger.warning("导出 完成 a=b")
    line = stream.getvalue()
    assert line.count("\n") == 1
    assert line.startswith("time=") and " level=WARNING logger=test.ops.kv request_id=- user_id=- " in line
    assert 'message="导出 完成 a=b"' in line


def test_a_json_line_with_a_traceback_is_still_one_line():
    logger, stream = _capture("json")
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("failed")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert set(record) == {"time", "level", "logger", "request_id", "user_id", "message"}
    assert record["level"] == "ERROR" and "ValueError: boom" in record["message"]


@pytest.mark.parametrize(
    ("offered", "kept"),
    [("0f3a9c1e5b7d4a2f8e6c0b1d3f5a7c9e", True), ("abc", False), ("x" * 65, False), ("a b\nlevel=ERROR", False)],
)
def test_the_proxys_request_id_is_kept_only_when_it_looks_like_one(offered, kept):
    assert (new_request_id(offered) == offered) is kept


@pytest.mark.django_db
def test_every_line_of_a_request_carries_its_id_and_the_users_id_never_the_name(users):
    logger, stream = _capture("kv")

    def view(request):
        request._cached_user = users.ds  # as AuthenticationMiddleware leaves it once the user is loaded
        logger.info("inside")
        return HttpResponse("ok")

    request = RequestFactory().get("/x", HTTP_X_REQUEST_ID="0f3a9c1e5b7d4a2f8e6c0b1d3f5a7c9e")
    response = RequestIdMiddleware(view)(request)
    assert response["X-Request-ID"] == "0f3a9c1e5b7d4a2f8e6c0b1d3f5a7c9e"
    line = stream.getvalue()
    assert "request_id=0f3a9c1e5b7d4a2f8e6c0b1d3f5a7c9e" in line and f"user_id={users.ds.pk} " in line
    assert users.ds.username not in line
    logger.info("after")
    assert stream.getvalue().splitlines()[-1].split(" request_id=")[1].startswith("- user_id=-")


def test_admins_are_read_with_or_without_names():
    assert parse_admins("张三 <zs@example.gov.cn>, ops@example.gov.cn") == [
        ("张三", "zs@example.gov.cn"),
        ("ops@example.gov.cn", "ops@example.gov.cn"),
    ]
    assert parse_admins("") == [] and parse_admins("not-an-address") == []


def _settings_in(env: dict[str, str], expr: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "SENTRY", "ADMINS", "SERVER_EMAIL"))}
    code = f"import django; django.setup(); from django.conf import settings as s; print({expr})"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "partybuild.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_smtp_error_mail_and_sentry_come_from_the_environment():
    env = {
        "EMAIL_HOST": "mail.example.gov.cn",
        "EMAIL_PORT": "465",
        "EMAIL_HOST_USER": "dj",
        "EMAIL_HOST_PASSWORD": "secret",
        "EMAIL_USE_SSL": "true",
        "DEFAULT_FROM_EMAIL": "dj@example.gov.cn",
        "SERVER_EMAIL": "errors@example.gov.cn",
        "ADMINS": "运维 <ops@example.gov.cn>",
        "SENTRY_DSN": "http://public@127.0.0.1:9/1",
        "DJANGO_SECRET_KEY_FALLBACKS": "old-key-1,old-key-2",
    }
    expr = (
        "s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_SSL, s.EMAIL_USE_TLS, "
        "s.SERVER_EMAIL, s.ADMINS, s.LOGGING['loggers']['django.request'].get('handlers'), "
        "__import__('sentry_sdk').is_initialized(), "
        "__import__('sentry_sdk').get_client().options['send_default_pii'], s.SECRET_KEY_FALLBACKS"
    )
    out = _settings_in(env, expr)
    assert out == (
        "django.core.mail.backends.smtp.EmailBackend mail.example.gov.cn 465 dj True False errors@example.gov.cn "
        "[('运维', 'ops@example.gov.cn')] ['mail_admins'] True False ['old-key-1', 'old-key-2']"
    )


def test_without_the_environment_mail_goes_to_the_console_and_nothing_leaves():
    out = _settings_in({}, "s.EMAIL_BACKEND, s.ADMINS, __import__('sentry_sdk').is_initialized()")
    assert out == "django.core.mail.backends.console.EmailBackend [] False"
