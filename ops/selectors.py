"""Reads of the system page (区委组织部 only): the health checks, the last backup, the last beat run, the queues."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from ops.access import require_operations
from ops.services import health

# What each check is called on the page.
CHECK_WORDS = {
    "database": "数据库",
    "cache": "缓存服务",
    "broker": "任务队列服务",
    "worker": "后台任务进程(心跳)",
    "disk": "磁盘空间(上传文件与备份)",
    "beat": "定时任务调度",
}
QUEUES = ("celery",)


@dataclass(frozen=True)
class CheckRow:
    label: str
    ok: bool
    note: str


@dataclass(frozen=True)
class BackupRow:
    name: str
    created: datetime
    size_mb: float


def _when(seconds: float | None) -> datetime | None:
    return timezone.localtime(datetime.fromtimestamp(seconds, tz=timezone.get_current_timezone())) if seconds else None


def _note_in_words(check: health.Check) -> str:
    """The check's note as the page says it: Chinese, no English word of the machinery."""
    if check.name in {"broker", "worker", "beat"} and check.note.startswith("none"):
        return "未配置独立的任务队列,任务在网页进程内直接执行"
    if check.name in {"worker", "beat"}:
        last = health.last_heartbeat() if check.name == "worker" else health.last_beat_run()
        when = _when(last)
        seen = f"最近一次:{when:%Y-%m-%d %H:%M:%S}" if when else "从未记录"
        return seen if check.ok else f"已超过{settings.HEALTH_HEARTBEAT_MAX_AGE // 60}分钟未运行,{seen}"
    if check.name == "disk":
        return "剩余空间充足" if check.ok else f"剩余空间不足{settings.HEALTH_MIN_FREE_MB}兆字节,请清理或扩容"
    return "正常" if check.ok else "无法连接,请检查服务是否运行"


def _queue_lengths() -> dict[str, int | None]:
    """Tasks waiting in each queue of the broker (None: not known)."""
    if not settings.CELERY_BROKER_URL:
        return {}
    from partybuild.celery import app

    lengths: dict[str, int | None] = {}
    try:
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            channel = conn.default_channel
            for name in QUEUES:
                lengths[name] = channel.queue_declare(queue=name, passive=True).message_count
    except Exception:  # noqa: BLE001 (the broker check above says why)
        return {name: None for name in QUEUES}
    return lengths


def _backups_on_disk() -> list[BackupRow]:
    from ops.services.backup import list_backups

    return [
        BackupRow(p.name, _when(p.stat().st_mtime), round(p.stat().st_size / 2**20, 1))  # type: ignore[arg-type]
        for p in list_backups(settings.BACKUP_DIR)
    ]


def system_status(user: Any) -> dict[str, Any]:
    """Everything the system page shows; district staff only (others: PermissionDenied)."""
    require_operations(user)
    checks = health.run_checks([*health.DEFAULT_CHECKS, "beat"])
    backups = _backups_on_disk()
    return {
        "healthy": all(c.ok for c in checks if c.name != "beat"),
        "checks": [CheckRow(CHECK_WORDS[c.name], c.ok, _note_in_words(c)) for c in checks],
        "last_backup": backups[0] if backups else None,
        "backups": backups[:10],
        "backup_keep": settings.BACKUP_KEEP,
        "backup_max_age_days": settings.BACKUP_MAX_AGE_DAYS,
        "queues": _queue_lengths(),
        "checked_at": timezone.localtime(),
        "now": time.time(),
    }
