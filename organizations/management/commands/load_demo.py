"""``manage.py load_demo``: the demo district (12 townships, ~400 graded organizations, ~10,000 members, accounts)."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from core.calendar_services import calendar_years_ensure
from core.notifications import scheduled_reminders_send
from organizations.demo import district as demo
from organizations.demo import plan
from organizations.services.counts import counts_repair

# A year entered for the demo without its holidays (the package does not know it yet): named so on /calendar/.
DEMO_CALENDAR_SOURCE = "演示数据(未含节假日)"

# The administrator of /admin/ the demo creates (password plan.DEMO_PASSWORD, like every demo account).
DEMO_ADMIN = "admin"

# Demo data of the apps built on the organization tree, in dependency order.
EXTENSIONS = (
    "load_demo_grading",
    "load_demo_rectification",
    "load_demo_elections",
    "load_demo_dues",
    "load_demo_meetings",
    "load_demo_circulars",
    "load_demo_development",
    "load_demo_transfers",
)


class Command(BaseCommand):
    help = "载入演示数据:示范区委、12个乡镇(街道)、约400个参加定级的党组织、约1万名党员和演示账号(密码 demo12345)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="先删除已有的演示组织树、党员、演示账号及其操作记录和角色"
        )
        parser.add_argument("--small", action="store_true", help="小规模演示数据(约十分之一),供测试和快速体验")
        parser.add_argument("--scale", type=float, default=None, help="规模系数,默认 1.0(--small 相当于 0.1)")

    def handle(self, *args: Any, **options: Any) -> None:
        scale = options["scale"] if options["scale"] is not None else (0.1 if options["small"] else 1.0)
        if not 0 < scale <= 3:
            raise CommandError("规模系数应在 0 到 3 之间")
        if options["reset"]:
            started = time.perf_counter()
            demo.reset_demo()
            self.stdout.write(f"已删除原有演示数据,用时 {time.perf_counter() - started:.1f} 秒")
        # The reference data of fixtures/ (checked, and this and next year's election steps) before anything uses it.
        call_command("load_reference_data", stdout=self.stdout, stderr=self.stderr)
        self._calendar()
        summary = demo.build_demo(scale=scale)
        try:
            self._report(summary)
        finally:
            self._extensions()
        self._admin()
        # The demo writes members and positions in bulk, past the services: store every organization's counts.
        counts_repair()
        self._reminders()

    def _calendar(self) -> None:
        """Notices and election steps count working days from today: the demo needs last, this and next year in the
        holiday table. A year the installed calendar package does not know yet is entered as plain weeks, and said."""
        today = timezone.localdate()
        provisional = calendar_years_ensure(
            range(today.year - 1, today.year + 2), provisional_source=DEMO_CALENDAR_SOURCE
        )
        for year in provisional:
            self.stdout.write(
                self.style.WARNING(
                    f"注意:{year}年法定节假日和调休安排尚未收录,演示数据暂按周一至周五工作日计算;"
                    f"正式使用前请区委组织部在“节假日与调休”页面录入"
                )
            )

    def _extensions(self) -> None:
        """The other apps' demo data (a finished grading campaign, rectification cases, elections), each an idempotent
        command of its own app, called by name so that organizations does not import the apps built on it."""
        available = get_commands()
        for name in EXTENSIONS:
            if name in available:
                call_command(name, stdout=self.stdout, stderr=self.stderr)

    def _admin(self) -> None:
        """The administrator of /admin/ (``admin`` / demo12345), created once; an existing one is left as it is."""
        user_model = get_user_model()
        if user_model.objects.filter(username=DEMO_ADMIN).exists():
            return
        user_model.objects.create_superuser(username=DEMO_ADMIN, password=plan.DEMO_PASSWORD, email="")
        self.stdout.write(f"  后台管理账号:{DEMO_ADMIN},密码 {plan.DEMO_PASSWORD}(/admin/)")

    def _reminders(self) -> None:
        """Today's reminders (overdue measures, steps, deadlines), by the same code the 08:00 schedule runs, so that
        each role's 通知 page shows them at once. Idempotent: a second load the same day adds nothing."""
        sent = sum(scheduled_reminders_send().values())
        self.stdout.write(f"  今日提醒:已发送 {sent} 条通知(与每天8:00的定时提醒相同,重复载入不会重复发送)")

    def _report(self, summary: Any) -> None:
        if not summary.created:
            self.stdout.write(
                f"演示数据已存在(组织代码 {plan.ROOT_CODE}),未做任何更改;如需重建请使用 --reset。"
                f"现有:{summary.townships}个乡镇(街道),{summary.graded}个参加定级的党组织,"
                f"{summary.members}名党员,{summary.accounts}个演示账号。"
            )
            return
        self.stdout.write(self.style.SUCCESS(f"演示数据已载入,用时 {summary.seconds:.1f} 秒"))
        lines = [
            f"乡镇(街道)党(工)委:{summary.townships} 个",
            f"党组织合计:{summary.organizations} 个(参加分类定级 {summary.graded} 个,党小组 {summary.party_groups} 个)",
            f"党员:{summary.members} 名(预备党员 {summary.probationary} 名,流动党员 {summary.migrants} 名,"
            f"留党察看期内 {summary.on_probation} 名)",
            f"班子任期:{summary.terms} 届,班子职务:{summary.positions} 个",
            f"演示账号:{summary.accounts} 个,密码均为 {plan.DEMO_PASSWORD}"
            "(district、township01–township12、branch0001 起按组织树顺序、liaison01、viewer01)",
            f"典型案例:{plan.SEED_VILLAGE_CODE} 洞村党支部({plan.SEED_VILLAGE_MEMBERS}名党员,可成立党总支);"
            f"{plan.LARGE_VILLAGE_CODE}({plan.LARGE_VILLAGE_MEMBERS}名党员,可成立党委);"
            f"{plan.TWO_FULL_CODE}(正式党员仅2名);{plan.NO_COMMITTEE_CODE}(正式党员10名未设支委会)",
        ]
        for line in lines:
            self.stdout.write("  " + line)
