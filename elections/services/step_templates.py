"""The district edits a year's 32-step template (source part 5 §五; issue 5 item 2). Writes here, with an event each.

Who: the district (ELECTION_COUNTY held at the root, or district staff). A year's copy is made from the latest
earlier year (else the defaults) by
``elections.services.steps.ensure_step_templates``. Due offsets apply to projects opened
after the edit (a project's due dates are set when it opens); title, owner and required documents apply to every
project of that year at once. The phase of a step can change only while no project uses the year, since running
projects advance phase by phase.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core import audit
from elections.access import require_district
from elections.models import DocumentKind, OwnerLevel, Phase, Step, StepTemplate
from elections.services.steps import ensure_step_templates
from fixtures import reader

MAX_OFFSET_DAYS = reader.MAX_OFFSET_DAYS  # a step is due at most a year before or after the election day
FIRST_YEAR, LAST_YEAR = 2000, 2100


def year_in_use(year: int) -> bool:
    return Step.objects.filter(template__year=year).exists()


@transaction.atomic
def step_templates_create(*, actor: Any, year: int) -> list[StepTemplate]:
    """Make the year's 32 steps (copied from the latest earlier year, else the defaults). Idempotent."""
    require_district(actor)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError("年度不正确")
    existed = StepTemplate.objects.filter(year=year).count()
    templates = ensure_step_templates(year)
    if existed < len(templates):
        audit.record(actor=actor, verb="election.step_templates", summary=f"生成{year}年换届环节模板")
    return templates


@transaction.atomic
def step_template_update(
    *,
    actor: Any,
    template: StepTemplate,
    title: str,
    owner: str,
    required_documents: list[str],
    due_offset_days: int,
    description: str = "",
    phase: str | None = None,
) -> StepTemplate:
    require_district(actor)
    locked = StepTemplate.objects.select_for_update().get(pk=template.pk)
    title = title.strip()
    errors = []
    if not title:
        errors.append("请填写环节名称")
    if owner not in OwnerLevel.values:
        errors.append("请选择责任层级")
    unknown = [k for k in required_documents if k not in DocumentKind.values]
    if unknown:
        errors.append("请选择必备材料类别")
    if abs(due_offset_days) > MAX_OFFSET_DAYS:
        errors.append(f"期限须在选举日前后{MAX_OFFSET_DAYS}天以内")
    phase = phase or locked.phase
    if phase not in Phase.values or phase == Phase.CLOSED:
        errors.append("请选择阶段")
    elif phase != locked.phase and year_in_use(locked.year):
        errors.append(f"{locked.year}年已有换届项目使用该模板,不能再调整环节所属阶段")
    if errors:
        raise ValidationError(errors)
    fields = {
        "title": title[:60],
        "description": description.strip(),
        "owner": owner,
        "required_documents": [k for k in DocumentKind.values if k in required_documents],
        "due_offset_days": due_offset_days,
        "phase": phase,
    }
    before = {k: getattr(locked, k) for k in fields}
    changed = {k: v for k, v in fields.items() if before[k] != v}
    if not changed:
        return locked
    for k, v in changed.items():
        setattr(locked, k, v)
    locked.save(update_fields=list(changed))
    audit.record(
        actor=actor,
        verb="election.step_template",
        summary=f"修改{locked.year}年换届环节模板第{locked.number}步“{locked.title}”",
        target=locked,
        before={k: before[k] for k in changed},
        after=changed,
    )
    return locked
