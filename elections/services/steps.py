"""The 32 steps of source part 5 §五 as the default template, and the idempotent copy for a year.

The defaults are data: ``fixtures/election_steps.json`` (read and checked by ``fixtures.reader``; the file's
phases, owners and document kinds are checked here against the models' choices). Owners follow the text:
"指导在县、责任在乡镇、工作在村" — a step is the village's when the village organization acts (its committee meets,
it reports), the township's when the township committee acts, the county's when the county organization department
does (analysis, comparison, joint review, training). Due offsets are days relative to the election day; the district
edits a year's copy before the projects of that year use it.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction

from core import audit
from elections.models import DocumentKind, OwnerLevel, Phase, Step, StepTemplate
from fixtures import reader


class StepDefault(NamedTuple):
    number: int
    phase: str
    title: str
    owner: str
    documents: tuple[str, ...]
    offset: int


def _check_vocabulary(what: str, in_file: tuple[str, ...], in_models: list[str]) -> None:
    if list(in_file) != in_models:
        raise reader.ReferenceDataError(
            f"参考数据文件 fixtures/election_steps.json 有误:{what}应为{'、'.join(in_models)}(与系统的选项一致)"
        )


@functools.cache
def default_steps() -> tuple[StepDefault, ...]:
    """The 32 default steps, as the file holds them."""
    data = reader.election_steps()
    _check_vocabulary("phases", data.phases, [p for p in Phase.values if p != Phase.CLOSED])
    _check_vocabulary("owners", data.owners, list(OwnerLevel.values))
    _check_vocabulary("document_kinds", data.document_kinds, list(DocumentKind.values))
    return tuple(StepDefault(s.number, s.phase, s.title, s.owner, s.documents, s.due_offset_days) for s in data.steps)


@transaction.atomic
def ensure_step_templates(year: int) -> list[StepTemplate]:
    """The year's 32 templates: existing rows are kept as the district edited them; missing ones are copied from
    the latest earlier year, else from the defaults. Idempotent."""
    existing = {t.number: t for t in StepTemplate.objects.filter(year=year)}
    defaults = default_steps()
    if len(existing) < len(defaults):
        earlier = StepTemplate.objects.filter(year__lt=year).order_by("-year").values_list("year", flat=True).first()
        source = {t.number: t for t in StepTemplate.objects.filter(year=earlier)} if earlier else {}
        for d in defaults:
            if d.number in existing:
                continue
            prior = source.get(d.number)
            existing[d.number] = StepTemplate.objects.create(
                year=year,
                number=d.number,
                phase=prior.phase if prior else d.phase,
                title=prior.title if prior else d.title,
                description=prior.description if prior else "",
                owner=prior.owner if prior else d.owner,
                required_documents=list(prior.required_documents) if prior else list(d.documents),
                due_offset_days=prior.due_offset_days if prior else d.offset,
            )
    return [existing[n] for n in sorted(existing)]


FIELDS = ("phase", "title", "description", "owner", "required_documents", "due_offset_days")


def _file_values(d: StepDefault) -> dict[str, object]:
    return {
        "phase": d.phase,
        "title": d.title,
        "description": "",
        "owner": d.owner,
        "required_documents": list(d.documents),
        "due_offset_days": d.offset,
    }


def step_templates_differing(year: int) -> list[int]:
    """Numbers of the year's steps whose row differs from the file (edited by the district, or an older file)."""
    rows = {t.number: t for t in StepTemplate.objects.filter(year=year)}
    return [
        d.number
        for d in default_steps()
        if d.number in rows and any(getattr(rows[d.number], k) != v for k, v in _file_values(d).items())
    ]


@transaction.atomic
def step_templates_reset(year: int, *, actor: Any = None) -> list[int]:
    """Put the year's 32 rows back to ``fixtures/election_steps.json``, overwriting the district's edits: only when
    asked (``load_reference_data --reset-steps YEAR``) and only while no project uses the year, since running projects
    advance phase by phase. Returns the numbers of the rows changed; one audit event records them."""
    if Step.objects.filter(template__year=year).exists():
        raise ValidationError(f"{year}年已有换届项目使用环节模板,不能再按参考数据文件重置")
    ensure_step_templates(year)
    rows = {t.number: t for t in StepTemplate.objects.select_for_update().filter(year=year)}
    changed: dict[int, dict[str, object]] = {}
    for d in default_steps():
        row, values = rows[d.number], _file_values(d)
        before = {k: getattr(row, k) for k in FIELDS if getattr(row, k) != values[k]}
        if before:
            for k in before:
                setattr(row, k, values[k])
            row.save(update_fields=list(before))
            changed[d.number] = before
    if changed:
        audit.record(
            actor=actor,
            verb="election.step_templates_reset",
            summary=f"按参考数据文件重置{year}年换届环节模板第{'、'.join(map(str, changed))}步",
            before={str(n): v for n, v in changed.items()},
        )
    return sorted(changed)


@transaction.atomic
def step_templates_load(year: int, *, reset: bool = False, actor: Any = None) -> tuple[int, list[int], list[int]]:
    """What ``load_reference_data`` does for a year: the missing rows created (as ``ensure_step_templates``), and with
    ``reset`` the edited rows put back to the file. Returns (rows created, numbers reset, numbers still differing
    from the file); an audit event records the rows created."""
    existed = StepTemplate.objects.filter(year=year).count()
    created = len(ensure_step_templates(year)) - existed
    if created:
        audit.record(
            actor=actor, verb="election.step_templates", summary=f"按参考数据生成{year}年换届环节模板{created}个"
        )
    changed = step_templates_reset(year, actor=actor) if reset else []
    return created, changed, step_templates_differing(year)
