"""``manage.py load_demo_transfers``: two open membership transfers of the demo district (one waiting for the
receiver's confirmation within the district, one letter issued out of it)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from organizations.demo import district as org_demo
from transfers.demo.build import build_transfers_demo


class Command(BaseCommand):
    help = "载入组织关系转接演示数据:一件区内转接待接收、一件转出区外已开出介绍信(可重复执行)"

    def handle(self, *args: Any, **options: Any) -> None:
        root = org_demo.demo_root()
        if root is None:
            self.stdout.write("没有演示区(请先运行 load_demo),未载入组织关系转接演示数据。")
            return
        summary = build_transfers_demo(root)
        if not summary.created:
            self.stdout.write(f"组织关系转接演示数据已存在({summary.transfers}件),未做任何更改。")
            return
        self.stdout.write(self.style.SUCCESS(f"组织关系转接演示数据已载入:{summary.transfers}件正在办理的转接"))
