from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "从备份文件夹恢复数据库和上传文件(会覆盖当前数据库)"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("folder", help="backup 命令生成的文件夹")
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据库")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError("恢复会覆盖当前数据库中的全部数据:确认无误后加 --yes 再运行")
        try:
            counts = restore(Path(options["folder"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("恢复完成,数据行数与备份一致:")
        for table, n in counts.items():
            self.stdout.write(f"  {table}: {n}")
