"""Importing the roster: members matched by 身份证号, created or updated in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from core import audit
from organizations.models import Member, Organization
from organizations.resources.columns import MEMBER_COLUMNS, MEMBER_REQUIRED
from organizations.resources.files import ImportFileError, read_table
from organizations.resources.widgets import TextWidget, show
from organizations.roles import Perm
from organizations.scope import require
from organizations.services.counts import counts_refresh
from organizations.services.imports import (
    ImportReport,
    RowChange,
    chunks,
    column_index,
    in_scope,
    member_rule_problems,
    row_cells,
    sort_errors,
    validation_messages,
)
from organizations.services.members import ID_NUMBER_NOT_AVAILABLE

# --- Members ---------------------------------------------------------------------------------------------

_ORG_CODE = TextWidget("组织代码", max_length=32, required=True)


@dataclass
class _MemberRow:
    number: int
    code: str
    data: dict[str, Any]


@dataclass
class _Plan:
    """What the import will write once every row is good."""

    new: list[Member] = field(default_factory=list)
    updated: list[Member] = field(default_factory=list)
    updated_fields: set[str] = field(default_factory=set)


def import_members(*, actor: Any, under: Organization, file: bytes, filename: str, dry_run: bool) -> ImportReport:
    """Create or update members (matched by 身份证号) in organizations of ``under``'s subtree."""
    require(actor, Perm.IMPORT_ROSTER, under)
    report = ImportReport(kind="members", dry_run=dry_run)
    try:
        header, rows = read_table(file, filename)
        index = column_index(header, [c for c, _ in MEMBER_COLUMNS.values()], MEMBER_REQUIRED)
    except ImportFileError as exc:
        report.errors.append(str(exc))
        return report
    good = _parse(rows, index, report)
    orgs, existing = _lookups(good)
    plan = _Plan()
    seen_ids: dict[str, int] = {}
    for row in good:
        _plan_row(actor, under, row, orgs, existing, seen_ids, plan, report)
    sort_errors(report)
    if report.errors or dry_run or not report.has_changes:
        return report
    return _write(actor, under, filename, plan, report)


def _parse(rows: list[tuple[int, list[Any]]], index: dict[str, int], report: ImportReport) -> list[_MemberRow]:
    """Each row's cells through the columns' widgets and the member rules; a bad row's reasons go to the report."""
    parsed: list[_MemberRow] = []
    for number, values in rows:
        cells = row_cells(values, index)
        data: dict[str, Any] = {}
        problems: list[str] = []
        code = ""
        for attr, (column, widget) in MEMBER_COLUMNS.items():
            if column not in cells:
                continue
            try:
                if attr == "organization":
                    code = _ORG_CODE.clean(cells[column])
                else:
                    data[attr] = widget.clean(cells[column])
            except ValueError as exc:
                problems.append(str(exc))
        if not problems:
            problems.extend(member_rule_problems(data))
        for problem in problems:
            report.row_error(number, problem)
        if not problems:
            parsed.append(_MemberRow(number, code, data))
    return parsed


def _lookups(good: list[_MemberRow]) -> tuple[dict[str, Organization], dict[str, Member]]:
    """The organizations the rows name (by code) and the members they match (by ID number), in chunks."""
    orgs: dict[str, Organization] = {}
    for chunk in chunks(sorted({r.code for r in good})):
        orgs.update((o.code, o) for o in Organization.objects.filter(code__in=chunk))
    existing: dict[str, Member] = {}
    for chunk in chunks(sorted({r.data["id_number"] for r in good})):
        existing.update(
            (m.id_number, m) for m in Member.objects.filter(id_number__in=chunk).select_related("organization")
        )
    return orgs, existing


def _row_problems(
    actor: Any,
    under: Organization,
    row: _MemberRow,
    org: Organization | None,
    member: Member | None,
    seen_ids: dict[str, int],
) -> list[str]:
    """Why a parsed row cannot be imported: its organization, a repeated ID number, a member elsewhere."""
    id_number = row.data["id_number"]
    problems = []
    if org is None:
        problems.append(f"组织代码“{show(row.code)}”不存在")
    elif not in_scope(actor, under, org.path):
        problems.append(f"组织“{show(row.code)}”不在您的管辖范围内")
    elif org.dissolved_on is not None:
        problems.append(f"组织“{show(row.code)}”已撤销,不能导入党员")
    if id_number in seen_ids:
        problems.append(f"身份证号“{id_number}”与第{seen_ids[id_number]}行重复")
    else:
        seen_ids[id_number] = row.number
    if member is not None and not in_scope(actor, under, member.organization.path):
        # Same words whichever organization it is: the roster of another township is not disclosed.
        problems.append(f"身份证号“{id_number}”:{ID_NUMBER_NOT_AVAILABLE}")
    elif member is not None and org is not None and member.organization_id != org.pk and not problems:
        problems.append(f"身份证号“{id_number}”的党员现属“{member.organization.name}”,调整组织关系请使用“党员调整”功能")
    return problems


def _plan_row(
    actor: Any,
    under: Organization,
    row: _MemberRow,
    orgs: dict[str, Organization],
    existing: dict[str, Member],
    seen_ids: dict[str, int],
    plan: _Plan,
    report: ImportReport,
) -> None:
    """A new member, an update or no change, after the row's checks; or the row's errors."""
    org = orgs.get(row.code)
    member = existing.get(row.data["id_number"])
    problems = _row_problems(actor, under, row, org, member, seen_ids)
    if problems:
        for problem in problems:
            report.row_error(row.number, problem)
        return
    assert org is not None
    if member is None:
        candidate = Member(organization=org, **row.data)
        changed = list(row.data)
    else:
        changed = [name for name, value in row.data.items() if getattr(member, name) != value]
        candidate = member
        for name in changed:
            setattr(candidate, name, row.data[name])
    try:
        # The organization was resolved above and uniqueness checked against the file and the database.
        candidate.full_clean(exclude=["organization"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for message in validation_messages(exc, Member):
            report.row_error(row.number, message)
        return
    label = f"{candidate.name}({org.code})"
    if member is None:
        plan.new.append(candidate)
        report.new += 1
        report.add_change(RowChange(row.number, "新增", label))
    elif changed:
        plan.updated.append(candidate)
        plan.updated_fields.update(changed)
        report.updated += 1
        columns = "、".join(MEMBER_COLUMNS[name][0] for name in changed)
        report.add_change(RowChange(row.number, "更新", label, f"修改:{columns}"))
    else:
        report.unchanged += 1


def _write(actor: Any, under: Organization, filename: str, plan: _Plan, report: ImportReport) -> ImportReport:
    """Every good row in one transaction, with one audit event; a clash meanwhile imports nothing."""
    try:
        with transaction.atomic():
            now = timezone.now()
            Member.objects.bulk_create(plan.new, batch_size=500)
            for m in plan.updated:
                m.updated_at = now
            if plan.updated:
                Member.objects.bulk_update(plan.updated, sorted(plan.updated_fields | {"updated_at"}), batch_size=500)
            # Rows may add, move or end members anywhere under ``under``: recount its whole subtree.
            counts_refresh(Organization.objects.filter(path__startswith=under.path).values_list("pk", flat=True))
            audit.record(
                actor=actor,
                verb="import.members",
                summary=f"导入党员名册({filename[:80]}):新增{report.new}名,更新{report.updated}名",
                target=under,
                org_path=under.path,
                after={
                    "new": report.new,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "filename": filename[:200],
                },
            )
    except DatabaseError:
        report.errors.append("保存时数据已被他人修改(例如同一身份证号刚被登记),未导入任何数据,请重新导入")
        return report
    report.committed = True
    return report
