"""``manage.py load_scale --orgs N``: the city-sized dataset of ``scale.builder`` (issue 6).

Write it into a database of its own, never the working one::

    createdb -h 127.0.0.1 -U postgres partybuild_scale
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/partybuild_scale
    python manage.py migrate && python manage.py load_scale --orgs 5000
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from scale.builder import SCALE_PASSWORD, SEED, ScaleError, build_scale


class Command(BaseCommand):
    help = "Build a deterministic city-sized dataset (N graded organizations, 30 members each) in an empty database."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--orgs", type=int, default=5000, help="graded organizations (default 5000)")
        parser.add_argument("--seed", type=int, default=SEED)

    def handle(self, *args: Any, orgs: int, seed: int, **options: Any) -> None:
        if orgs < 4:
            raise CommandError("--orgs must be at least 4")
        try:
            s = build_scale(orgs=orgs, seed=seed, log=self.stdout.write)
        except ScaleError as exc:
            raise CommandError(str(exc)) from exc
        verb = "built" if s.created else "already present, unchanged"
        self.stdout.write(self.style.SUCCESS(f"Scale dataset {verb} in {s.seconds:.1f} s"))
        grades = ", ".join(f"{k or '—'} {v}" for k, v in sorted(s.grades.items()))
        self.stdout.write(
            f"  {s.orgs} graded organizations ({s.organizations} in the tree, {s.townships} townships), "
            f"{s.members} members, {s.accounts} accounts (password {SCALE_PASSWORD})\n"
            f"  finished campaign: {s.assessments} assessments, {s.item_scores} item scores; grades: {grades}\n"
            f"  open rectification cases: {s.open_cases}\n"
            f"  elections: {s.elections}"
        )
