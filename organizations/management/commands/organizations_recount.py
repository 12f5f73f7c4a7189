"""``manage.py organizations_recount``: check the counts kept on every organization (current members, full members,
committee seats) against the rows, and store the right ones (``--check``: only report; exits with 1 when any
differ). Run it after loading members or positions in bulk past the services (``bench/ensure_db.sh`` does, after
``load_scale``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from organizations.services.counts import counts_repair

SHOWN = 20  # differences listed by name; the rest are counted


class Command(BaseCommand):
    help = "核对并修正各党组织记录的党员数、正式党员数和班子成员数(--check 只核对不修正)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="只核对,不修正;有不一致时以状态 1 退出")

    def handle(self, *args: Any, **options: Any) -> None:
        wrong = counts_repair(fix=not options["check"])
        for org, stored, counted in wrong[:SHOWN]:
            self.stdout.write(f"{org.code} {org.name}:记录 {stored},实有 {counted}")
        if len(wrong) > SHOWN:
            self.stdout.write(f"……另有 {len(wrong) - SHOWN} 个党组织")
        if not wrong:
            self.stdout.write("各党组织的党员数和班子成员数均与名册一致")
        elif options["check"]:
            raise CommandError(f"{len(wrong)} 个党组织的记录数与名册不一致(不带 --check 运行可修正)")
        else:
            self.stdout.write(f"已修正 {len(wrong)} 个党组织的记录数")
