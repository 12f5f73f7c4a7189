import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ops.services import health


class Command(BaseCommand):
    help = "检查数据库、缓存、任务队列、后台任务进程心跳和磁盘空间(与 /healthz 相同);有异常时以非零状态退出"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check", action="append", choices=sorted(health.CHECKS), help="只检查这一项(可重复;默认全部)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        healthy, body = health.report(options["check"] or list(health.DEFAULT_CHECKS))
        self.stdout.write(json.dumps(body, ensure_ascii=False))
        if not healthy:
            raise CommandError("有检查项未通过")
