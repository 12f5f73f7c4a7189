"""``manage.py load_demo_development``: a few people in the pipeline of every village branch of the demo district."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from development.demo.build import build_development_demo
from organizations.demo import district as org_demo


class Command(BaseCommand):
    help = "载入党员发展演示数据:演示区各村党支部的入党申请人、积极分子、发展对象和预备党员记录(可重复执行)"

    def handle(self, *args: Any, **options: Any) -> None:
        root = org_demo.demo_root()
        if root is None:
            self.stdout.write("没有演示区(请先运行 load_demo),未载入党员发展演示数据。")
            return
        summary = build_development_demo(root)
        if not summary.created:
            self.stdout.write(f"党员发展演示数据已存在({summary.people}人),未做任何更改。")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"党员发展演示数据已载入:{summary.organizations}个村党支部,{summary.people}人,用时{summary.seconds:.1f}秒"
            )
        )
