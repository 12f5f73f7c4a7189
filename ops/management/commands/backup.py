from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ops.services import crypto
from ops.services.backup import BackupError, backup, prune


class Command(BaseCommand):
    help = "把数据库和全部上传文件备份为一个加密文件(密钥取自 BACKUP_ENCRYPTION_KEY),再按保留规则清理旧备份"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dir", help="备份存放目录(默认 BACKUP_DIR)")
        parser.add_argument("--no-prune", action="store_true", help="不清理旧备份")
        parser.add_argument("--new-key", action="store_true", help="只生成并显示一个新的备份密钥,不备份")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["new_key"]:
            self.stdout.write(crypto.new_key())
            return
        folder = Path(options["dir"]) if options["dir"] else None
        try:
            result = backup(folder)
        except (BackupError, crypto.BackupKeyError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已备份到 {result.path}")
        for table, n in result.counts.items():
            self.stdout.write(f"  {table}: {n}")
        if not options["no_prune"]:
            for name in prune(folder):
                self.stdout.write(f"已按保留规则删除 {name}")
