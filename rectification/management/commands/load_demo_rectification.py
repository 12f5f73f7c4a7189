"""``manage.py load_demo_rectification``: work in progress on the demo district's open rectification cases."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from organizations.demo import district as org_demo
from rectification.demo import build as demo
from rectification.services import subscriber


class Command(BaseCommand):
    help = "载入整顿演示数据:为演示区未结案的整顿案件登记工作组、问题、整改措施、进展、项目和培养对象(可重复执行)"

    def handle(self, *args: Any, **options: Any) -> None:
        root = org_demo.demo_root()
        if root is None:
            self.stdout.write("没有演示区(请先运行 load_demo),未载入整顿演示数据。")
            return
        if not demo.open_cases(root):
            # The grade subscriber may have missed the demo campaign's final grades: apply them first.
            subscriber.grades_catch_up()
        if not demo.open_cases(root):
            self.stdout.write("演示区还没有整顿案件(尚无定为“较差”的党组织),未载入整顿演示数据。")
            return
        summary = demo.build_rectification_demo(root)
        if not summary.created:
            self.stdout.write(f"整顿演示数据已存在({summary.cases}个未结案的整顿案件),未做任何更改。")
            return
        self.stdout.write(self.style.SUCCESS("整顿演示数据已载入:" + demo.summary_line(summary)))
