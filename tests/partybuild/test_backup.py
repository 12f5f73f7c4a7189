"""make backup / make restore: a dump restored into an empty database brings every row and file back."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from ops.backup import backup

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.django_db(transaction=True)
def test_postgres_dump_restores_into_an_empty_database(tree, members, tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (CI runs it: DATABASE_URL is set there)")
    import psycopg

    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "jobs").mkdir(parents=True)
    (settings.MEDIA_ROOT / "jobs" / "名册.xlsx").write_bytes(b"evidence")
    result = backup(tmp_path / "backups")
    assert result.counts["organizations_member"] == 15

    db = settings.DATABASES["default"]
    admin_url = f"postgresql://{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    empty = f"restore_check_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{empty}"')
    try:
        env = {
            **os.environ,
            "DATABASE_URL": f"{admin_url}/{empty}",
            "MEDIA_ROOT": str(tmp_path / "restored"),
            "DJANGO_SETTINGS_MODULE": "partybuild.settings",
        }
        done = manage("restore", str(result.folder), "--yes", env=env)
        assert done.returncode == 0, done.stderr
        assert "数据行数与备份一致" in done.stdout
        with psycopg.connect(f"{admin_url}/{empty}") as conn:
            names = {r[0] for r in conn.execute("SELECT name FROM organizations_organization")}
        assert {"东风村党支部", "南门社区党支部"} <= names
        assert (tmp_path / "restored" / "jobs" / "名册.xlsx").read_bytes() == b"evidence"
    finally:
        with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{empty}" WITH (FORCE)')


def test_sqlite_backup_and_restore_round_trip(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL"}}
    env.update({"PARTYBUILD_VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "partybuild.settings"})
    assert manage("migrate", "-v0", env=env).returncode == 0
    made = manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from organizations.services import tree as services;"
        "services.organization_create(actor=None, parent=None, code='D', name='示范区委', kind='committee',"
        " check_permission=False)",
        env=env,
    )
    assert made.returncode == 0, made.stderr
    done = manage("backup", "--dir", str(tmp_path / "backups"), env=env)
    assert done.returncode == 0, done.stderr
    folder = next((tmp_path / "backups").iterdir())
    (tmp_path / "var" / "partybuild.sqlite3").unlink()
    refused = manage("restore", str(folder), env=env)
    assert refused.returncode != 0 and "--yes" in refused.stderr
    done = manage("restore", str(folder), "--yes", env=env)
    assert done.returncode == 0, done.stderr
    check = manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from organizations.models import Organization;print(Organization.objects.get(code='D').name)",
        env=env,
    )
    assert check.stdout.strip() == "示范区委"
