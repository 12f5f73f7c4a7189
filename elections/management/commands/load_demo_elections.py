"""``manage.py load_demo_elections``: village election projects on the demo district at various phases."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from elections import demo
from organizations.demo import district as org_demo


class Command(BaseCommand):
    help = (
        "载入换届选举演示数据:为演示区任期将满的村党组织建立换届选举项目"
        "(一个已完成、一个正在开会计票、一个确定人选、一个逾期),可重复执行"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        root = org_demo.demo_root()
        if root is None:
            self.stdout.write("没有演示区(请先运行 load_demo),未载入换届选举演示数据。")
            return
        summary = demo.build_elections_demo(root)
        if not summary.created:
            self.stdout.write(f"换届选举演示数据已存在({summary.projects}个项目),未做任何更改。")
            return
        self.stdout.write(
            self.style.SUCCESS(f"换届选举演示数据已载入:{summary.projects}个项目,用时 {summary.seconds:.1f} 秒")
        )
        for line in summary.lines:
            self.stdout.write("  " + line)
