"""Importing the tree: organizations created under a parent (in the database or earlier in the file) or updated."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core import audit
from organizations.models import Organization
from organizations.resources.columns import ORG_COLUMNS, ORG_REQUIRED
from organizations.resources.files import ImportFileError, read_table
from organizations.resources.widgets import show
from organizations.roles import Perm
from organizations.rules import name_error
from organizations.scope import can, require
from organizations.services.imports import (
    ImportReport,
    RowChange,
    chunks,
    column_index,
    in_scope,
    report_exception,
    row_cells,
    sort_errors,
)
from organizations.services.tree import organization_create, organization_update


@dataclass
class _OrgRow:
    number: int
    code: str
    parent_code: str
    data: dict[str, Any]  # name, kind and the optional columns present in the file


_Update = tuple[_OrgRow, Organization, dict[str, Any]]


def import_organizations(*, actor: Any, under: Organization, file: bytes, filename: str, dry_run: bool) -> ImportReport:
    """Create (under a parent in the database or earlier in the same file) or update organizations."""
    require(actor, Perm.IMPORT_ROSTER, under)
    report = ImportReport(kind="organizations", dry_run=dry_run)
    try:
        header, rows = read_table(file, filename)
        index = column_index(header, [c for c, _ in ORG_COLUMNS.values()], ORG_REQUIRED)
    except ImportFileError as exc:
        report.errors.append(str(exc))
        return report
    parsed = _parse(rows, index, report)
    updates, new_rows = _sort_rows(actor, under, parsed, report)
    order = _creation_order(new_rows, report)
    sort_errors(report)
    if report.errors:
        return report
    with transaction.atomic():
        _apply(actor, filename, updates, order, report)
        sort_errors(report)
        if report.errors:
            report.new = 0
        if report.errors or dry_run or not report.has_changes:
            transaction.set_rollback(True)
            return report
        audit.record(
            actor=actor,
            verb="import.organizations",
            summary=f"导入党组织({filename[:80]}):新增{report.new}个,更新{report.updated}个",
            target=under,
            org_path=Organization.objects.get(pk=under.pk).path,
            after={
                "new": report.new,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "filename": filename[:200],
            },
        )
    report.committed = True
    return report


def _parse(rows: list[tuple[int, list[Any]]], index: dict[str, int], report: ImportReport) -> list[_OrgRow]:
    """Each row's cells through the columns' widgets and the organization form's name rule."""
    parsed: list[_OrgRow] = []
    for number, values in rows:
        cells = row_cells(values, index)
        data: dict[str, Any] = {}
        problems = []
        for attr, (column, widget) in ORG_COLUMNS.items():
            if column not in cells:
                continue
            try:
                data[attr] = widget.clean(cells[column])
            except ValueError as exc:
                problems.append(str(exc))
        for attr, label in (("name", "组织名称"), ("code", "组织代码"), ("parent_code", "上级组织代码")):
            message = name_error(label, data.get(attr) or "")  # the organization form's rule
            if message:
                problems.append(message)
        for problem in problems:
            report.row_error(number, problem)
        if not problems:
            parsed.append(_OrgRow(number, data.pop("code"), data.pop("parent_code"), data))
    return parsed


def _sort_rows(
    actor: Any, under: Organization, parsed: list[_OrgRow], report: ImportReport
) -> tuple[list[_Update], dict[str, _OrgRow]]:
    """The rows that update an organization in the database (with their changes) and the rows that create one (by
    code), after checking codes repeated in the file and each new row's parent."""
    codes = {r.code for r in parsed} | {r.parent_code for r in parsed if r.parent_code}
    in_db: dict[str, Organization] = {}
    for chunk in chunks(sorted(codes)):
        in_db.update((o.code, o) for o in Organization.objects.filter(code__in=chunk))
    parent_paths = {o.path[: -Organization.steplen] for o in in_db.values() if o.depth > 1}
    code_by_path = dict(Organization.objects.filter(path__in=parent_paths).values_list("path", "code"))
    in_file = {r.code for r in parsed}
    first_row: dict[str, int] = {}
    new_rows: dict[str, _OrgRow] = {}
    updates: list[_Update] = []
    for row in parsed:
        if row.code in first_row:
            report.row_error(row.number, f"组织代码“{show(row.code)}”与第{first_row[row.code]}行重复")
            continue
        first_row[row.code] = row.number
        org = in_db.get(row.code)
        if org is not None:
            change = _org_update(actor, under, row, org, code_by_path, report)
            if change is not None:
                updates.append((row, org, change))
            continue
        new_rows[row.code] = row
        problem = _parent_problem(actor, under, row, in_db.get(row.parent_code), in_file)
        if problem:
            report.row_error(row.number, problem)
    return updates, new_rows


def _parent_problem(
    actor: Any, under: Organization, row: _OrgRow, parent: Organization | None, in_file: set[str]
) -> str:
    """Why a new row's parent will not do ("" when it will): out of scope, dissolved, missing."""
    if parent is not None:
        if not (in_scope(actor, under, parent.path) and can(actor, Perm.RESTRUCTURE, parent)):
            return f"上级组织“{show(row.parent_code)}”不在您的管辖范围内"
        if parent.dissolved_on is not None:
            return f"上级组织“{show(row.parent_code)}”已撤销"
        return ""
    if not row.parent_code:
        return "上级组织代码不能为空"
    if row.parent_code not in in_file:
        return f"上级组织代码“{show(row.parent_code)}”不存在"
    return ""


def _apply(actor: Any, filename: str, updates: list[_Update], order: list[_OrgRow], report: ImportReport) -> None:
    """The updates, then the new organizations parents first, through the tree's services; a refusal becomes the
    row's error (the caller rolls everything back)."""
    for row, org, change in updates:
        try:
            organization_update(actor=actor, organization=org, **change)
        except (ValidationError, PermissionDenied) as exc:
            report_exception(report, row.number, exc)
    for row in order:
        try:
            organization_create(
                actor=actor,
                parent=Organization.objects.get(code=row.parent_code),
                code=row.code,
                name=row.data["name"],
                kind=row.data["kind"],
                field=row.data.get("field") or "",
                units_covered=row.data.get("units_covered") or 1,
                established_on=row.data.get("established_on"),
                note=f"由文件{filename[:80]}导入",
            )
        except (ValidationError, PermissionDenied, Organization.DoesNotExist) as exc:
            report_exception(report, row.number, exc)
        else:
            report.new += 1
            report.add_change(
                RowChange(row.number, "新增", f"{row.data['name']}({row.code})", f"上级:{row.parent_code}")
            )


def _org_update(
    actor: Any,
    under: Organization,
    row: _OrgRow,
    org: Organization,
    code_by_path: dict[str, str],
    report: ImportReport,
) -> dict[str, Any] | None:
    """The changes an existing organization's row asks for (None when it has an error or changes nothing)."""
    if not in_scope(actor, under, org.path):
        report.row_error(row.number, f"组织“{show(row.code)}”不在您的管辖范围内")
        return None
    current_parent = code_by_path.get(org.path[: -Organization.steplen], "") if org.depth > 1 else ""
    if row.parent_code != current_parent:
        report.row_error(
            row.number,
            f"组织“{show(row.code)}”的上级组织代码应为“{current_parent}”:调整隶属关系请使用组织设置功能,不能通过导入",
        )
        return None
    change: dict[str, Any] = {}
    for name, value in row.data.items():
        if name in {"units_covered", "established_on"} and value is None:
            continue  # an empty optional cell keeps what is recorded
        if getattr(org, name) != value:
            change[name] = value
    if not change:
        report.unchanged += 1
        return None
    if not can(actor, Perm.RESTRUCTURE, org):
        report.row_error(row.number, f"您没有调整组织“{show(row.code)}”设置的权限")
        return None
    report.updated += 1
    labels = "、".join(ORG_COLUMNS[name][0] for name in change)
    report.add_change(RowChange(row.number, "更新", f"{row.data.get('name', org.name)}({row.code})", f"修改:{labels}"))
    return change


def _creation_order(new_rows: dict[str, _OrgRow], report: ImportReport) -> list[_OrgRow]:
    """Parents before children; a loop of parent codes within the file is an error on each of its rows."""
    depth: dict[str, int] = {}  # 1 = parent in the database, 2 = its child in the file, ...; -1 = in a loop
    for code in new_rows:
        chain: list[str] = []
        current = code
        while current in new_rows and current not in depth and current not in chain:
            chain.append(current)
            current = new_rows[current].parent_code
        if current in chain:
            for looped in chain[chain.index(current) :]:
                depth[looped] = -1
                report.row_error(new_rows[looped].number, f"上级组织代码“{show(new_rows[looped].parent_code)}”形成循环")
        base = depth.get(current, 0)
        for item in reversed(chain):
            if item in depth:
                base = depth[item]
                continue
            base = -1 if base < 0 else base + 1
            depth[item] = base
    return sorted((r for c, r in new_rows.items() if depth[c] > 0), key=lambda r: (depth[r.code], r.number))
