"""``manage.py load_demo_dues``: a year of party dues for the demo district (bases, months, payments, some arrears)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dues.demo import build as demo
from organizations.demo import district as org_demo


class Command(BaseCommand):
    help = "载入党费演示数据:为演示区党员核定交纳基数,登记去年和今年已结束月份的党费,部分党组织有欠缴(可重复执行)"

    def handle(self, *args: Any, **options: Any) -> None:
        root = org_demo.demo_root()
        if root is None:
            self.stdout.write("没有演示区(请先运行 load_demo),未载入党费演示数据。")
            return
        summary = demo.build_dues_demo(root)
        if not summary.created:
            self.stdout.write(f"党费演示数据已存在({demo.summary_line(summary)}),未做任何更改。")
            return
        self.stdout.write(
            self.style.SUCCESS(f"党费演示数据已载入:{demo.summary_line(summary)},用时{summary.seconds:.1f}秒")
        )
