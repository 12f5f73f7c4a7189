"""``manage.py load_demo_circulars``: one circular of the demo district's first township, with a few replies."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from circulars.demo.build import build_circulars_demo
from organizations.demo import district as org_demo


class Command(BaseCommand):
    help = "载入通知公告演示数据:演示区第一个乡镇发出的一份通知及部分回复(可重复执行)"

    def handle(self, *args: Any, **options: Any) -> None:
        root = org_demo.demo_root()
        if root is None:
            self.stdout.write("没有演示区(请先运行 load_demo),未载入通知公告演示数据。")
            return
        summary = build_circulars_demo(root)
        if not summary.created:
            self.stdout.write(f"通知公告演示数据已存在({summary.recipients}个接收党组织),未做任何更改。")
            return
        self.stdout.write(self.style.SUCCESS(f"通知公告演示数据已载入:1份通知,{summary.recipients}个接收党组织"))
