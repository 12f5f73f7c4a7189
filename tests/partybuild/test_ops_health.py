"""/healthz and the district's system page (issue 18, Health): a stopped worker reports unhealthy."""

from __future__ import annotations

import json
import time

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse

from ops import tasks as _ops_tasks  # noqa: F401  (the heartbeat task and its beat entry)
from ops.services import health
from ops.services.health import disk_verdict, heartbeat_verdict
from partybuild.celery import app as celery_app

# --- pure verdicts ---------------------------------------------------------------------------------------------


def test_no_heartbeat_at_all_is_unhealthy():
    assert heartbeat_verdict(None, 1000.0, 300).ok is False


@pytest.mark.parametrize(("age", "ok"), [(0, True), (299, True), (300, True), (301, False), (3600, False)])
def test_a_heartbeat_is_healthy_up_to_its_limit_and_stale_past_it(age, ok):
    assert heartbeat_verdict(1000.0, 1000.0 + age, 300).ok is ok


def test_a_heartbeat_from_the_future_clock_skew_is_not_stale():
    assert heartbeat_verdict(1010.0, 1000.0, 300).ok is True


@pytest.mark.parametrize(("free_mb", "ok"), [(1023, False), (1024, True), (50_000, True)])
def test_disk_needs_its_minimum_free_in_every_folder(free_mb, ok):
    verdict = disk_verdict({"media": 10**12, "backups": free_mb * 2**20}, 1024)
    assert verdict.ok is ok


# --- /healthz ----------------------------------------------------------------------------------------------------


@pytest.fixture
def with_broker(settings):
    """As in production: a separate worker (the broker is not contacted by the worker check)."""
    settings.CELERY_BROKER_URL = "memory://"
    cache.delete(health.HEARTBEAT_KEY)
    yield settings
    cache.delete(health.HEARTBEAT_KEY)


def _healthz(client, *checks: str, **extra):
    query = "&".join(f"check={c}" for c in checks)
    response = client.get(f"/healthz{'?' + query if query else ''}", **extra)
    return response.status_code, json.loads(response.content)


@pytest.fixture
def worker_alive():
    """A worker's heartbeat of a moment ago (CI runs with a broker, so the worker check reads it; without a broker
    tasks run in-process and the check passes either way)."""
    health.record_heartbeat()
    yield
    cache.delete(health.HEARTBEAT_KEY)


@pytest.mark.django_db
def test_healthz_answers_without_login_with_every_check_and_no_data(client, worker_alive):
    status, body = _healthz(client)
    assert status == 200 and body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "worker", "disk"}
    assert all(set(item) == {"ok", "note"} for item in body["checks"].values())


@pytest.mark.django_db
def test_a_stopped_worker_stale_heartbeat_makes_healthz_503(client, with_broker):
    with_broker.HEALTH_HEARTBEAT_MAX_AGE = 300
    health.record_heartbeat(time.time() - 301)
    status, body = _healthz(client, "worker", "database")
    assert status == 503 and body["status"] == "fail"
    assert body["checks"]["worker"]["ok"] is False and body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_the_heartbeat_task_run_by_a_worker_makes_it_healthy_again(client, with_broker):
    health.record_heartbeat(time.time() - 3600)
    assert _healthz(client, "worker")[0] == 503
    celery_app.tasks[health.HEARTBEAT_TASK].apply()
    assert _healthz(client, "worker")[0] == 200


@pytest.mark.django_db
def test_no_heartbeat_ever_recorded_is_unhealthy(client, with_broker):
    assert _healthz(client, "worker")[0] == 503


def test_beat_sends_the_heartbeat_more_often_than_its_limit(settings):
    entry = celery_app.conf.beat_schedule[health.HEARTBEAT_TASK]
    assert entry["task"] == health.HEARTBEAT_TASK
    assert entry["schedule"] * 2 <= settings.HEALTH_HEARTBEAT_MAX_AGE


@pytest.mark.django_db
def test_healthz_answers_any_host_and_plain_http_in_production(client, settings):
    # The orchestrator asks by address over HTTP: neither the host check nor the HTTPS redirect may answer first.
    settings.ALLOWED_HOSTS = ["dj.example.gov.cn"]
    settings.SECURE_SSL_REDIRECT = True
    status, _ = _healthz(client, "database", HTTP_HOST="10.0.0.7:8000")
    assert status == 200


@pytest.mark.django_db
def test_a_database_that_does_not_answer_is_reported_not_raised(client, monkeypatch):
    def broken():
        raise OSError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    status, body = _healthz(client, "database")
    assert status == 503 and "connection refused" in body["checks"]["database"]["note"]


@pytest.mark.django_db
def test_health_command_fails_on_a_stale_worker(with_broker):
    health.record_heartbeat(time.time() - 3600)
    with pytest.raises(CommandError):
        call_command("health", "--check", "worker", stdout=open("/dev/null", "w"))  # noqa: SIM115
    health.record_heartbeat()
    call_command("health", "--check", "worker", stdout=open("/dev/null", "w"))  # noqa: SIM115


# --- the system page ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_district_staff_reach_the_system_page_from_the_menu_and_see_a_stopped_worker(
    client, users, with_broker, tmp_path
):
    with_broker.BACKUP_DIR = tmp_path
    health.record_heartbeat(time.time() - 3600)
    client.force_login(users.ds)
    menu = client.get(reverse("organizations:district_overview")).content.decode()
    assert reverse("ops:system") in menu and "系统状态" in menu
    page = client.get(reverse("ops:system")).content.decode()
    assert "有服务运行异常" in page and "后台任务进程(心跳)" in page and "已超过5分钟未运行" in page
    assert "还没有任何备份" in page


@pytest.mark.django_db
def test_the_system_page_says_all_is_well_when_it_is(client, users, settings):
    settings.CELERY_BROKER_URL = ""  # tasks in-process (make run): no worker or beat to wait for, as CI's broker has
    client.force_login(users.ds)
    page = client.get(reverse("ops:system")).content.decode()
    assert "各项服务运行正常" in page and "异常</strong></td>" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["ts_a", "sec_a1", "viewer_a", "nobody"])
def test_only_district_staff_see_the_system_page(client, users, who):
    client.force_login(getattr(users, who))
    assert client.get(reverse("ops:system")).status_code == 403
    assert reverse("ops:system") not in client.get("/notifications/").content.decode()


@pytest.mark.django_db
def test_the_system_page_shows_the_last_backup(client, users, settings, tmp_path):
    settings.BACKUP_DIR = tmp_path
    (tmp_path / "partybuild-20261201-023000.backup").write_bytes(b"x" * 2**20)
    (tmp_path / "partybuild-20261202-023000.backup").write_bytes(b"x" * 3 * 2**20)
    (tmp_path / "partybuild-20261203-023000.backup.part").write_bytes(b"x")  # still being written: not a backup
    client.force_login(users.ds)
    page = client.get(reverse("ops:system")).content.decode()
    assert "最近一次备份" in page and "3.0 兆字节" in page and page.count("兆字节</td>") == 2


@pytest.mark.django_db
def test_the_system_page_speaks_chinese_only_when_things_fail(client, users, with_broker, tmp_path, monkeypatch):
    from tests.browser.crawl.crawler import ENGLISH_WORD, visible_text

    def broken():
        raise OSError("connection refused")

    monkeypatch.setitem(health.CHECKS, "cache", broken)
    with_broker.BACKUP_DIR = tmp_path
    (tmp_path / "partybuild-20261202-023000.backup").write_bytes(b"x" * 2**20)
    health.record_heartbeat(time.time() - 3600)
    client.force_login(users.ds)
    text = "\n".join(visible_text(client.get(reverse("ops:system")).content.decode()))
    assert "无法连接" in text and "兆字节" in text
    assert [w for w in ENGLISH_WORD.findall(text) if w != users.ds.username] == []  # the header names the user
