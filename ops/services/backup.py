"""Backups that restore: the database and the media files together, in one encrypted file (ops/services/crypto.py).

``partybuild-<YYYYmmdd-HHMMSS>.backup`` in ``BACKUP_DIR`` is a tar stream, encrypted with ``BACKUP_ENCRYPTION_KEY``,
of ``manifest.json`` (format, database vendor, time, row counts of the main tables), ``database.dump`` (``pg_dump``
custom format) or ``database.sqlite3`` (SQLite's online backup) and ``media.tar`` (every upload and generated file).
Nothing unencrypted is left behind: the parts are written to a private temporary folder beside the backups and
removed once the file is complete; the file appears under its name only when whole (written as ``.part``, renamed).

``restore`` decrypts (a wrong key is refused before anything is touched), refuses a database that already has tables
or a media folder that is not empty, loads the dump (``pg_restore --single-transaction --exit-on-error``) and unpacks
the media, then compares the row counts with the manifest. ``prune`` keeps the newest ``BACKUP_KEEP`` and deletes
those older than ``BACKUP_MAX_AGE_DAYS``, never the newest one.

Why not django-dbbackup: its encryption is GPG (a keyring on every server, keys imported by hand, a binary in the
image), the database and the media are two commands and two files with nothing tying them together or checking a
restore, and its clean-up keeps a count only. What we need of it is ~30 lines around pg_dump and pg_restore, here.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from ops.services import crypto

FORMAT = 1
SUFFIX = ".backup"
PREFIX = "partybuild-"
# Tables whose row counts are recorded in the manifest and compared after a restore.
CHECKED_TABLES = (
    "organizations_organization",
    "organizations_member",
    "organizations_roleassignment",
    "partybuild_event",
    "grading_assessment",
    "elections_electionproject",
)


class BackupError(RuntimeError):
    pass


@dataclass(frozen=True)
class BackupResult:
    path: Path
    counts: dict[str, int]


def _pg_args() -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore; the password goes in the environment, never the command line."""
    db = settings.DATABASES["default"]
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432)]
    args += ["--username", str(db.get("USER") or "postgres")]
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or ""), "PGCONNECT_TIMEOUT": "10"}
    return args, env


def table_counts() -> dict[str, int]:
    existing = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for table in CHECKED_TABLES:
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (fixed names)
                counts[table] = cursor.fetchone()[0]
    return counts


def _run(cmd: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    if result.returncode != 0:
        raise BackupError(f"{cmd[0]} 失败:{result.stderr.strip()[:500]}")


def _dump_database(folder: Path) -> str:
    vendor = connection.vendor
    if vendor == "postgresql":
        args, env = _pg_args()
        name = settings.DATABASES["default"]["NAME"]
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                *args,
                f"--file={folder / 'database.dump'}",
                "--dbname",
                name,
            ],
            env,
        )
        return "database.dump"
    if vendor == "sqlite":
        source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        target = sqlite3.connect(folder / "database.sqlite3")
        with target:
            source.backup(target)
        source.close()
        target.close()
        return "database.sqlite3"
    raise BackupError(f"不支持备份{vendor}数据库")


def backup(destination: Path | None = None, *, key: str | None = None) -> BackupResult:
    """Write one encrypted backup of the database and the media into ``destination`` (default ``BACKUP_DIR``)."""
    keys = crypto.parse_keys(settings.BACKUP_ENCRYPTION_KEY if key is None else key)
    destination = Path(destination or settings.BACKUP_DIR)
    destination.mkdir(parents=True, exist_ok=True)
    stamp = f"{timezone.localtime():%Y%m%d-%H%M%S}"
    final = destination / f"{PREFIX}{stamp}{SUFFIX}"
    if final.exists():
        raise BackupError(f"{final.name} 已存在:同一秒内只能备份一次")
    with tempfile.TemporaryDirectory(prefix=".partybuild-backup-", dir=destination) as tmp:
        work = Path(tmp)
        os.chmod(work, 0o700)
        dump_name = _dump_database(work)
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(work / "media.tar", "w") as archive:
            if media.exists():
                archive.add(media, arcname="media")
        counts = table_counts()
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "vendor": connection.vendor,
            "database_file": dump_name,
            "counts": counts,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        part = final.with_name(final.name + ".part")
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, crypto.EncryptingWriter(raw, keys) as sealed:
                with tarfile.open(fileobj=sealed, mode="w|") as bundle:
                    for name in ("manifest.json", dump_name, "media.tar"):
                        bundle.add(work / name, arcname=name)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        part.rename(final)
    return BackupResult(final, counts)


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def _media_is_empty(media: Path) -> bool:
    return not media.exists() or not any(media.iterdir())


def _open_bundle(path: Path, keys: Any, into: Path) -> dict[str, Any]:
    """Decrypt and unpack ``path`` into ``into``; returns the manifest. Raises BackupError on a wrong key first."""
    try:
        with open(path, "rb") as raw:
            reader = io.BufferedReader(crypto.DecryptingReader(raw, keys), crypto.CHUNK)
            with tarfile.open(fileobj=reader, mode="r|") as bundle:
                bundle.extractall(into, filter="data")
    except (crypto.BackupKeyError, crypto.BackupDamaged, tarfile.TarError) as exc:
        raise BackupError(str(exc)) from exc
    manifest = json.loads((into / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式 {manifest.get('format')} 不是本版本能恢复的格式 {FORMAT}")
    return manifest


def check_key(path: Path, *, key: str | None = None) -> None:
    """Refuse early (BackupError) when ``key`` does not open ``path``: reads the first frame only."""
    keys = crypto.parse_keys(settings.BACKUP_ENCRYPTION_KEY if key is None else key)
    try:
        with open(path, "rb") as raw:
            crypto.DecryptingReader(raw, keys).read(1)
    except (crypto.BackupKeyError, crypto.BackupDamaged) as exc:
        raise BackupError(str(exc)) from exc


def restore(path: Path, *, key: str | None = None, media_root: Path | None = None) -> dict[str, int]:
    """Load the backup ``path`` into the configured, empty database and an empty media folder.

    Returns the restored row counts; raises BackupError when the key is wrong, the file damaged, the database or the
    media folder not empty, or the counts differ from the manifest's."""
    keys = crypto.parse_keys(settings.BACKUP_ENCRYPTION_KEY if key is None else key)
    check_key(path, key=key)
    media = Path(media_root or settings.MEDIA_ROOT)
    if not _database_is_empty():
        raise BackupError("目标数据库不是空的:请恢复到新建的空数据库(见运维手册“备份与恢复”)")
    if not _media_is_empty(media):
        raise BackupError(f"上传文件目录 {media} 不是空的:请恢复到空目录")
    parent = Path(settings.BACKUP_DIR) if Path(settings.BACKUP_DIR).is_dir() else None
    with tempfile.TemporaryDirectory(prefix=".partybuild-restore-", dir=parent) as tmp:
        work = Path(tmp)
        os.chmod(work, 0o700)
        manifest = _open_bundle(path, keys, work)
        if manifest["vendor"] != connection.vendor:
            raise BackupError(f"备份来自{manifest['vendor']}数据库,当前是{connection.vendor},不能直接恢复")
        connection.close()
        if connection.vendor == "postgresql":
            args, env = _pg_args()
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    *args,
                    "--dbname",
                    settings.DATABASES["default"]["NAME"],
                    str(work / manifest["database_file"]),
                ],
                env,
            )
        else:
            shutil.copyfile(work / manifest["database_file"], settings.DATABASES["default"]["NAME"])
        media.mkdir(parents=True, exist_ok=True)
        with tarfile.open(work / "media.tar", "r") as archive:
            members = [m for m in archive.getmembers() if m.name == "media" or m.name.startswith("media/")]
            for member in members:
                member.name = member.name[len("media") :].lstrip("/") or "."
            archive.extractall(media, members=members, filter="data")
    counts = table_counts()
    if counts != manifest["counts"]:
        raise BackupError(f"恢复后的数据行数与备份不一致:备份{manifest['counts']},恢复后{counts}")
    return counts


def list_backups(folder: Path) -> list[Path]:
    """The complete backups in ``folder``, newest first."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = (p for p in folder.iterdir() if p.name.startswith(PREFIX) and p.name.endswith(SUFFIX))
    return sorted(found, key=lambda p: p.name, reverse=True)


def backup_time(path: Path) -> datetime | None:
    stamp = path.name[len(PREFIX) : -len(SUFFIX)]
    try:
        return timezone.make_aware(datetime.strptime(stamp, "%Y%m%d-%H%M%S"))
    except ValueError:
        return None


def to_delete(newest_first: list[tuple[str, datetime]], *, keep: int, max_age: timedelta, now: datetime) -> list[str]:
    """Pure: which backups retention removes. The newest ``keep`` stay unless older than ``max_age``; the newest one
    always stays (a server that stopped backing up must not end with none)."""
    doomed = []
    for position, (name, created) in enumerate(newest_first):
        if position == 0:
            continue
        if position >= keep or now - created > max_age:
            doomed.append(name)
    return doomed


def prune(folder: Path | None = None, *, keep: int | None = None, max_age_days: int | None = None) -> list[str]:
    folder = Path(folder or settings.BACKUP_DIR)
    found = [(p, backup_time(p)) for p in list_backups(folder)]
    dated = [(p.name, t) for p, t in found if t is not None]
    names = to_delete(
        dated,
        keep=settings.BACKUP_KEEP if keep is None else keep,
        max_age=timedelta(days=settings.BACKUP_MAX_AGE_DAYS if max_age_days is None else max_age_days),
        now=timezone.now(),
    )
    for name in names:
        (folder / name).unlink()
    return names
