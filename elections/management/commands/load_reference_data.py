"""Check the reference data of ``fixtures/`` and put in the database what it holds of it. Idempotent.

    python manage.py load_reference_data                      # check every file; this and next year's step templates
    python manage.py load_reference_data --check              # check every file, write nothing
    python manage.py load_reference_data --years 2026-2027    # step templates of those years
    python manage.py load_reference_data --reset-steps 2027   # also overwrite 2027's edited steps with the file

What each file becomes:

* ``election_steps.json``: a year's 32 step templates (``StepTemplate``). Missing rows are created (copied from the
  latest earlier year the district edited, else from the file, as when a project opens); rows that exist are never
  touched, unless ``--reset-steps YEAR`` is given, which puts that year's rows back to the file while no project uses
  the year (one audit event lists the steps changed).
* ``grading_template.json``: read when the district creates a year's campaign (its default template is copied from
  the file then); a campaign's template is the district's to edit, so nothing is written here.
* ``rectification.json``: the choices of problems, sources, inspections and development targets, read when the code
  loads; nothing is stored.
* ``holiday_names.json``: the holiday names ``seed_holidays`` writes with each year's days.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from core.management.years import parse_year_list
from elections.services.steps import default_steps, step_templates_load
from fixtures import reader

FIRST_YEAR, LAST_YEAR = 2000, 2100


def parse_years(text: str) -> list[int]:
    years = parse_year_list(text, "2026-2027 或 2026,2027")
    outside = sorted(y for y in years if not FIRST_YEAR <= y <= LAST_YEAR)
    if outside or not years:
        raise CommandError(f"年份应在{FIRST_YEAR}–{LAST_YEAR}之间")
    return sorted(years)


class Command(BaseCommand):
    help = "检查 fixtures/ 中的参考数据文件,并补齐数据库中缺少的参考数据(换届环节模板);已有的数据不改动"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="只检查参考数据文件,不写入数据库")
        parser.add_argument("--years", help="生成哪些年度的换届环节模板,如 2026-2027 或 2026,2027(默认今年和明年)")
        parser.add_argument(
            "--reset-steps",
            type=int,
            action="append",
            default=[],
            metavar="YEAR",
            help="把该年度已修改的换届环节模板恢复为文件中的内容(该年度尚无换届项目时才可以)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            checked = reader.check_all()
            reader.load.cache_clear()
            default_steps.cache_clear()
            default_steps()
        except reader.ReferenceDataError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"参考数据文件检查通过:{'、'.join(checked)}")
        if options["check"]:
            return
        this_year = timezone.localdate().year
        years = parse_years(options["years"]) if options["years"] else [this_year, this_year + 1]
        for year in sorted(set(years) | set(options["reset_steps"])):
            self._steps(year, reset=year in options["reset_steps"])

    def _steps(self, year: int, *, reset: bool) -> None:
        try:
            created, changed, differing = step_templates_load(year, reset=reset)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        line = f"{year}年换届环节模板:新建{created}个"
        if reset:
            line += f",按文件重置{len(changed)}个"
        if differing:
            line += f";{len(differing)}个与文件不同(区委组织部已修改,保留不动;--reset-steps {year} 可恢复)"
        self.stdout.write(line)
