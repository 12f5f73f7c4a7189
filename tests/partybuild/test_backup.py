"""Backups (issue 18): encrypted at rest, a wrong key refused, retention by count and age, restored only into an
empty database and media folder. The PostgreSQL round trip on the demo district is
tests/browser/crawl/test_backup_restore.py."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from ops.services import crypto
from ops.services.backup import to_delete

ROOT = Path(__file__).resolve().parents[2]

# --- encryption (ops/services/crypto.py) ----------------------------------------------------------------------------


def _seal(data: bytes, key: str) -> bytes:
    out = io.BytesIO()
    writer = crypto.EncryptingWriter(out, crypto.parse_keys(key))
    writer.write(data)
    writer.close()
    return out.getvalue()


def _open(sealed: bytes, key: str) -> bytes:
    return crypto.DecryptingReader(io.BytesIO(sealed), crypto.parse_keys(key)).read()


@pytest.mark.parametrize("size", [0, 1, crypto.CHUNK, crypto.CHUNK + 1, 3 * crypto.CHUNK + 17])
def test_what_is_sealed_opens_again_at_every_chunk_boundary(size):
    key = crypto.new_key()
    data = os.urandom(size)
    sealed = _seal(data, key)
    assert _open(sealed, key) == data
    assert size < 64 or data[:64] not in sealed


def test_a_wrong_key_is_refused_as_a_wrong_key():
    sealed = _seal(b"x" * 100, crypto.new_key())
    with pytest.raises(crypto.BackupKeyError, match="密钥不对"):
        _open(sealed, crypto.new_key())


def test_a_rotated_key_still_opens_old_backups_and_new_ones_need_the_new_key():
    old, new = crypto.new_key(), crypto.new_key()
    assert _open(_seal(b"old", old), f"{new},{old}") == b"old"
    with pytest.raises(crypto.BackupKeyError):
        _open(_seal(b"new", f"{new},{old}"), old)


@pytest.mark.parametrize("cut", ["truncated", "frame_dropped", "byte_changed", "trailing"])
def test_a_cut_or_changed_file_is_refused(cut):
    key = crypto.new_key()
    sealed = bytearray(_seal(os.urandom(2 * crypto.CHUNK + 5), key))
    head = len(crypto.MAGIC)
    first = head + 4 + int.from_bytes(sealed[head : head + 4], "big")
    if cut == "truncated":
        sealed = sealed[:-10]
    elif cut == "frame_dropped":
        second_len = int.from_bytes(sealed[first : first + 4], "big")
        sealed = sealed[:first] + sealed[first + 4 + second_len :]
    elif cut == "byte_changed":
        sealed[first + 40] ^= 1
    else:
        sealed += b"more"
    with pytest.raises(crypto.BackupDamaged):
        _open(bytes(sealed), key)


@pytest.mark.parametrize("value", ["", "  ,", "not-a-key"])
def test_a_missing_or_malformed_key_is_refused_before_anything_is_written(value):
    with pytest.raises(crypto.BackupKeyError):
        crypto.parse_keys(value)


def test_another_file_is_not_taken_for_a_backup():
    with pytest.raises(crypto.BackupDamaged):
        crypto.DecryptingReader(io.BytesIO(b"PGDMP..."), crypto.parse_keys(crypto.new_key()))


# --- retention (pure) ----------------------------------------------------------------------------------------------

NOW = datetime(2026, 12, 3, 3, 0)


def _daily(n: int) -> list[tuple[str, datetime]]:
    return [(f"b{i}", NOW - timedelta(days=i)) for i in range(n)]


def test_retention_keeps_the_newest_count():
    assert to_delete(_daily(5), keep=3, max_age=timedelta(days=90), now=NOW) == ["b3", "b4"]
    assert to_delete(_daily(3), keep=3, max_age=timedelta(days=90), now=NOW) == []


def test_retention_removes_what_is_older_than_its_age_even_within_the_count():
    assert to_delete(_daily(5), keep=10, max_age=timedelta(days=2), now=NOW) == ["b3", "b4"]
    assert to_delete(_daily(3), keep=10, max_age=timedelta(days=2), now=NOW) == []  # exactly 2 days: kept


def test_retention_never_removes_the_newest_backup():
    stale = [("b0", NOW - timedelta(days=400)), ("b1", NOW - timedelta(days=401))]
    assert to_delete(stale, keep=1, max_age=timedelta(days=90), now=NOW) == ["b1"]
    assert to_delete(stale[:1], keep=0, max_age=timedelta(days=1), now=NOW) == []


# --- the commands on SQLite ----------------------------------------------------------------------------------------


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_sqlite_backup_and_restore_round_trip(tmp_path):
    key = crypto.new_key()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL"}}
    env.update(
        PARTYBUILD_VAR_DIR=str(tmp_path / "var"),
        DJANGO_SETTINGS_MODULE="partybuild.settings",
        BACKUP_ENCRYPTION_KEY=key,
        BACKUP_DIR=str(tmp_path / "backups"),
    )
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
    (tmp_path / "var" / "media" / "jobs").mkdir(parents=True)
    (tmp_path / "var" / "media" / "jobs" / "名册.xlsx").write_bytes(b"evidence")
    done = manage("backup", env=env)
    assert done.returncode == 0, done.stderr
    (backup,) = (tmp_path / "backups").iterdir()
    assert backup.name.endswith(".backup") and oct(backup.stat().st_mode)[-3:] == "600"
    assert "示范区委".encode() not in backup.read_bytes()

    refused = manage("restore", str(backup), env=env)
    assert refused.returncode != 0 and "不是空的" in refused.stderr  # the database still has its tables

    (tmp_path / "var" / "partybuild.sqlite3").unlink()
    for leftover in (tmp_path / "var").glob("partybuild.sqlite3-*"):
        leftover.unlink()
    wrong = manage(
        "restore",
        str(backup),
        "--media-root",
        str(tmp_path / "restored"),
        env={**env, "BACKUP_ENCRYPTION_KEY": crypto.new_key()},
    )
    assert wrong.returncode != 0 and "密钥不对" in wrong.stderr
    assert not (tmp_path / "restored").exists()

    done = manage("restore", str(backup), "--media-root", str(tmp_path / "restored"), env=env)
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
    assert (tmp_path / "restored" / "jobs" / "名册.xlsx").read_bytes() == b"evidence"
    assert not list((tmp_path / "backups").glob(".partybuild-*")), "no unencrypted part is left behind"


def test_backup_without_a_key_is_refused(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "BACKUP_ENCRYPTION_KEY"}}
    env.update(PARTYBUILD_VAR_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="partybuild.settings")
    done = manage("backup", "--dir", str(tmp_path / "b"), env=env)
    assert done.returncode != 0 and "BACKUP_ENCRYPTION_KEY" in done.stderr
