"""``manage.py load_demo_grading``: the grading demo (2025 finished, 2026 live) on top of ``load_demo``'s district.

``load_demo`` calls it by name after building the tree; it can also be run on its own. Idempotent.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.urls import reverse

from grading.demo import build as demo_build
from grading.demo import plan as demo_plan
from grading.models import AssessmentStatus
from grading.rules import grades as rules


class Command(BaseCommand):
    help = "载入分类定级演示数据:2025年度已定级;2026年度T01–T10已定级,T11、T12处于各环节(可重复执行)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=demo_plan.SEED, help="随机数种子(默认固定,结果可复现)")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = demo_build.build_grading_demo(seed=options["seed"])
        if summary.message:
            self.stdout.write(self.style.WARNING(summary.message))
            return
        if not summary.created:
            self.stdout.write(
                f"分类定级演示数据已存在,未做更改({demo_plan.PREVIOUS_YEAR}、{demo_plan.CURRENT_YEAR}年度)。"
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"分类定级演示数据已载入,用时 {summary.seconds:.1f} 秒"))
        for year in sorted(summary.final_grades):
            counts = summary.final_grades[year]
            shown = "、".join(f"{g.label} {counts.get(g.value, 0)} 个" for g in rules.Grade)
            self.stdout.write(f"  {year}年度已定级 {sum(counts.values())} 个:{shown}")
        statuses = "、".join(
            f"{s.label} {summary.statuses[s.value]}" for s in AssessmentStatus if summary.statuses.get(s.value)
        )
        self.stdout.write(f"  {demo_plan.CURRENT_YEAR}年度各环节:{statuses}")
        if summary.open_notice is not None:
            notice = summary.open_notice
            url = reverse("grading_public:notice", args=[notice.pk])
            self.stdout.write(f"  正在公示:{notice.title}({notice.starts_on}至{notice.ends_on}),公开网址 {url}")
        if summary.rectification_applied:
            self.stdout.write(f"  整改:已按最终等次更新 {summary.rectification_applied} 个党组织的管理类别")
