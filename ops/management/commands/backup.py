from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库和上传文件到一个带时间戳的文件夹"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dir", default="var/backups", help="备份存放目录(默认 var/backups)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup(Path(options["dir"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已备份到 {result.folder}")
        for table, n in result.counts.items():
            self.stdout.write(f"  {table}: {n}")
