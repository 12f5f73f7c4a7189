from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ops.services import crypto
from ops.services.backup import BackupError, restore


class Command(BaseCommand):
    help = "把 backup 生成的加密备份恢复到空数据库和空的上传文件目录(密钥取自 BACKUP_ENCRYPTION_KEY)"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="备份文件 partybuild-<时间>.backup")
        parser.add_argument("--media-root", help="恢复上传文件到这个空目录(默认 MEDIA_ROOT)")

    def handle(self, *args: Any, **options: Any) -> None:
        media = Path(options["media_root"]) if options["media_root"] else None
        try:
            counts = restore(Path(options["file"]), media_root=media)
        except (BackupError, crypto.BackupKeyError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("恢复完成,数据行数与备份一致:")
        for table, n in counts.items():
            self.stdout.write(f"  {table}: {n}")
