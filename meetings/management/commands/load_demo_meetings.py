"""``manage.py load_demo_meetings``: this year's organizational life of the demo district's graded organizations."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from meetings.demo.build import build_meetings_demo
from organizations.demo import district as org_demo


class Command(BaseCommand):
    help = "载入组织生活演示数据:演示区各党组织本年度的会议和考勤(可重复执行)"

    def handle(self, *args: Any, **options: Any) -> None:
        root = org_demo.demo_root()
        if root is None:
            self.stdout.write("没有演示区(请先运行 load_demo),未载入组织生活演示数据。")
            return
        summary = build_meetings_demo(root)
        if not summary.created:
            self.stdout.write(f"组织生活演示数据已存在({summary.meetings}次会议),未做任何更改。")
            return
        self.stdout.write(
            self.style.SUCCESS(f"组织生活演示数据已载入:{summary.organizations}个党组织,{summary.meetings}次会议")
        )
