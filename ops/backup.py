"""Backups: the database (pg_dump custom format, or SQLite's online backup) and the media files, side by side.

A backup is a folder ``partybuild-<YYYYmmdd-HHMMSS>/`` holding ``database.dump`` (PostgreSQL) or ``database.sqlite3``
(SQLite), ``media.tar.gz`` and ``manifest.json`` (what was dumped, from which database, and row counts of the main
tables so that a restore can be checked). ``restore`` loads a backup into the configured (empty or disposable)
database and unpacks the media.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

# Tables whose row counts are recorded in the manifest and compared after a restore.
CHECKED_TABLES = (
    "organizations_organization",
    "organizations_member",
    "organizations_roleassignment",
    "partybuild_event",
)


class BackupError(RuntimeError):
    pass


@dataclass(frozen=True)
class BackupResult:
    folder: Path
    counts: dict[str, int]


def _pg_url() -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    return f"postgresql://{user}{password}@{host}:{port}/{db['NAME']}"


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in CHECKED_TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (fixed names)
            counts[table] = cursor.fetchone()[0]
    return counts


def _run(cmd: list[str]) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{cmd[0]} 失败:{result.stderr.strip()[:500]}")


def backup(destination: Path) -> BackupResult:
    destination.mkdir(parents=True, exist_ok=True)
    folder = destination / f"partybuild-{timezone.localtime():%Y%m%d-%H%M%S}"
    folder.mkdir()
    vendor = connection.vendor
    if vendor == "postgresql":
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={folder / 'database.dump'}",
                _pg_url(),
            ]
        )
    elif vendor == "sqlite":
        source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        target = sqlite3.connect(folder / "database.sqlite3")
        with target:
            source.backup(target)
        source.close()
        target.close()
    else:
        raise BackupError(f"不支持备份{vendor}数据库")
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
        if media.exists():
            archive.add(media, arcname="media")
    counts = table_counts()
    manifest: dict[str, Any] = {
        "created_at": timezone.now().isoformat(),
        "vendor": vendor,
        "database": str(settings.DATABASES["default"]["NAME"]),
        "counts": counts,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return BackupResult(folder, counts)


def restore(folder: Path, *, media_root: Path | None = None) -> dict[str, int]:
    """Load ``folder`` into the configured database and media root; returns the restored row counts.

    Raises BackupError when the counts differ from the manifest's (the restore did not bring everything back).
    """
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise BackupError(f"备份来自{manifest['vendor']}数据库,当前是{vendor},不能直接恢复")
    if vendor == "postgresql":
        connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                f"--dbname={_pg_url()}",
                str(folder / "database.dump"),
            ]
        )
    else:
        connection.close()
        shutil.copyfile(folder / "database.sqlite3", settings.DATABASES["default"]["NAME"])
    media = Path(media_root or settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / "media.tar.gz", "r:gz") as archive:
        members = [m for m in archive.getmembers() if m.name.startswith("media")]
        for member in members:
            member.name = member.name[len("media") :].lstrip("/") or "."
        archive.extractall(media, members=members, filter="data")
    counts = table_counts()
    if counts != manifest["counts"]:
        raise BackupError(f"恢复后的数据行数与备份不一致:备份{manifest['counts']},恢复后{counts}")
    return counts


def list_backups(folder: Path) -> list[Path]:
    """The backups in ``folder``, newest first."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if p.name.startswith("partybuild-")), key=lambda p: p.name, reverse=True)
