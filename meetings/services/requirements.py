"""The district adjusts a year's requirements (M1–M8 defaults from fixtures/meeting_types.json): one row per kind
it changes; a row equal to the default is kept too, so the page shows who set the year and why."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core import audit
from meetings.models import Requirement
from meetings.rules.frequency import MeetingKind, Rhythm, default_requirements
from organizations.access import is_district_staff

MAX_TIMES = 31
YEARS = (2000, 2100)


@transaction.atomic
def requirements_set(
    *, actor: Any, year: int, values: Mapping[str, tuple[str, int, bool]], note: str
) -> list[Requirement]:
    """Set ``year``'s requirement of each kind in ``values`` (kind → (rhythm, times, active)) with the reason."""
    if not is_district_staff(actor):
        raise PermissionDenied("只有区委组织部可以调整年度组织生活要求")
    problems = []
    if not YEARS[0] <= year <= YEARS[1]:
        problems.append(f"年度应在{YEARS[0]}–{YEARS[1]}之间")
    if not note.strip():
        problems.append("请填写调整说明(依据的文件或理由)")
    for kind, (rhythm, times, _) in values.items():
        if kind not in MeetingKind.values or rhythm not in Rhythm.values:
            problems.append("会议类型或频次不正确")
        elif not 1 <= times <= MAX_TIMES:
            problems.append(f"{MeetingKind(kind).label}:每个周期的次数应在1–{MAX_TIMES}之间")
    if problems:
        raise ValidationError(problems)
    saved, before, after = [], {}, {}
    defaults = default_requirements()
    existing = {r.kind: r for r in Requirement.objects.select_for_update().filter(year=year)}
    for kind, (rhythm, times, active) in values.items():
        row = existing.get(kind) or Requirement(year=year, kind=kind)
        default = defaults[kind]
        old = (row.rhythm, row.times, row.active) if row.pk else (default.rhythm, default.times, default.active)
        if old == (rhythm, times, active):
            continue
        row.rhythm, row.times, row.active, row.note, row.updated_by = rhythm, times, active, note.strip()[:200], actor
        row.save()
        saved.append(row)
        label = MeetingKind(kind).label
        before[label] = f"{Rhythm(old[0]).label}{old[1]}次{'' if old[2] else '(不要求)'}"
        after[label] = f"{Rhythm(rhythm).label}{times}次{'' if active else '(不要求)'}"
    if saved:
        audit.record(
            actor=actor,
            verb="meetings.requirements_set",
            summary=f"调整{year}年度组织生活要求({len(saved)}项):{note.strip()[:80]}",
            before=before,
            after=after,
        )
    return saved
