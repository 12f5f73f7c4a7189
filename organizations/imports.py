"""Importing and exporting the roster and the tree: the one door for bulk writes from a spreadsheet.

An import reads the whole file, checks every row (values, duplicates within the file and against the database,
scope) and reports every bad row with the row number the user sees in Excel (the header is row 1). Nothing is
written unless every row is good: the writes run in one transaction, and a dry run rolls that transaction back,
so the preview and the real import can never disagree. A successful import records one audit event.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from organizations.models import Member, Organization
from organizations.resources import (
    MEMBER_COLUMNS,
    MEMBER_REQUIRED,
    ORG_COLUMNS,
    ORG_REQUIRED,
    XLSX_CONTENT_TYPE,
    TextWidget,
    csv_bytes,
    is_blank,
    organizations_table,
    organizations_xlsx,
    show,
)
from organizations.roles import Perm
from organizations.rules import member_record_errors, name_error, phone_error
from organizations.scope import can, can_path, path_q, require, scope_paths
from organizations.services import ID_NUMBER_NOT_AVAILABLE, organization_create, organization_update
from partybuild import audit
from partybuild.documents import WorkbookRefused, read_xlsx_rows

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 60
PREVIEW_LIMIT = 500
ALLOWED_EXTENSIONS = (".xlsx", ".csv")


class ImportFileError(Exception):
    """The file as a whole cannot be read (type, size, encoding, header)."""


@dataclass(frozen=True)
class RowChange:
    row: int
    action: str  # "新增" or "更新"
    label: str
    detail: str = ""


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    changes: list[RowChange] = field(default_factory=list)
    committed: bool = False

    @property
    def error_count(self) -> int:
        return len(self.errors)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def has_changes(self) -> bool:
        return bool(self.new or self.updated)

    @property
    def changes_truncated(self) -> bool:
        return self.new + self.updated > len(self.changes)

    def row_error(self, row: int, message: str) -> None:
        self.errors.append(f"第{row}行:{message}")

    def add_change(self, change: RowChange) -> None:
        if len(self.changes) < PREVIEW_LIMIT:
            self.changes.append(change)


# --- Reading files ---------------------------------------------------------------------------------------


def read_table(content: bytes, filename: str) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """The header and the non-empty data rows, each with its spreadsheet row number (the header is row 1)."""
    name = (filename or "").lower().strip()
    if not name.endswith(ALLOWED_EXTENSIONS):
        raise ImportFileError("文件类型不支持:只能上传 .xlsx 或 .csv 文件(.xls 请先在Excel中另存为 .xlsx)")
    if len(content) > MAX_UPLOAD_BYTES:
        raise ImportFileError(f"文件过大:不能超过{MAX_UPLOAD_BYTES // (1024 * 1024)}MB,请分批导入")
    if not content:
        raise ImportFileError("文件为空")
    raw_rows = _xlsx_rows(content) if name.endswith(".xlsx") else _csv_rows(content)
    header: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    for number, values in enumerate(raw_rows, start=1):
        if header is None:
            if all(is_blank(v) for v in values):
                raise ImportFileError("第1行应为表头(列名),请使用导入模板")
            header = [show(v, 1000).strip() for v in values]
            continue
        if all(is_blank(v) for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(f"数据行过多:一次最多导入{MAX_ROWS}行,请分批导入")
        rows.append((number, list(values)))
    if header is None:
        raise ImportFileError("文件为空")
    if not rows:
        raise ImportFileError("文件中没有数据行(只有表头)")
    return header, rows


def _xlsx_rows(content: bytes) -> Iterable[list[Any]]:
    try:
        rows = read_xlsx_rows(content, max_rows=MAX_ROWS + 1, max_columns=MAX_COLUMNS)
    except WorkbookRefused as exc:
        raise ImportFileError(str(exc)) from exc
    # Excel leaves trailing cells that were once formatted: trim the empty tail of each row.
    return [_trim(row) for row in rows]


def _csv_rows(content: bytes) -> list[list[Any]]:
    text: str | None = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise ImportFileError("无法识别文件编码:请保存为 UTF-8 或 GBK 编码的 CSV 文件")
    if "\x00" in text:
        raise ImportFileError("文件不是文本格式的 CSV 文件")
    try:
        rows = []
        for index, row in enumerate(csv.reader(io.StringIO(text, newline=""))):
            if index > MAX_ROWS + 1:
                break
            rows.append(_trim(row[:MAX_COLUMNS]))
    except csv.Error as exc:
        raise ImportFileError("CSV 文件格式有误,无法读取") from exc
    return rows


def _trim(row: list[Any]) -> list[Any]:
    while row and is_blank(row[-1]):
        row.pop()
    return row


def _column_index(header: list[str], known: Iterable[str], required: Iterable[str]) -> dict[str, int]:
    duplicates = sorted({h for h in header if h and header.count(h) > 1})
    if duplicates:
        raise ImportFileError("列名重复:" + "、".join(duplicates))
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFileError("缺少必填列:" + "、".join(missing))
    return {h: i for i, h in enumerate(header) if h in set(known)}


def _cells(values: list[Any], index: dict[str, int]) -> dict[str, Any]:
    return {column: values[i] if i < len(values) else None for column, i in index.items()}


def _validation_messages(exc: ValidationError, model: type) -> list[str]:
    if hasattr(exc, "error_dict"):
        out = []
        for name, errors in exc.message_dict.items():
            try:
                label = str(model._meta.get_field(name).verbose_name)
            except Exception:
                label = ""
            out.extend(f"{label}:{m}" if label else m for m in errors)
        return out
    return list(exc.messages)


def _in_scope(actor: Any, under: Organization, path: str, perm: Perm = Perm.IMPORT_ROSTER) -> bool:
    return path.startswith(under.path) and can_path(actor, perm, path)


def _chunks(items: list[Any], size: int = 900) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- Members ---------------------------------------------------------------------------------------------

_ORG_CODE = TextWidget("组织代码", max_length=32, required=True)


@dataclass
class _MemberRow:
    number: int
    code: str
    data: dict[str, Any]


def import_members(*, actor: Any, under: Organization, file: bytes, filename: str, dry_run: bool) -> ImportReport:
    """Create or update members (matched by 身份证号) in organizations of ``under``'s subtree."""
    require(actor, Perm.IMPORT_ROSTER, under)
    report = ImportReport(kind="members", dry_run=dry_run)
    try:
        header, rows = read_table(file, filename)
        index = _column_index(header, [c for c, _ in MEMBER_COLUMNS.values()], MEMBER_REQUIRED)
    except ImportFileError as exc:
        report.errors.append(str(exc))
        return report

    parsed: list[_MemberRow] = []
    for number, values in rows:
        cells = _cells(values, index)
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

    good = parsed
    orgs: dict[str, Organization] = {}
    for chunk in _chunks(sorted({r.code for r in good})):
        orgs.update((o.code, o) for o in Organization.objects.filter(code__in=chunk))
    existing: dict[str, Member] = {}
    for chunk in _chunks(sorted({r.data["id_number"] for r in good})):
        existing.update(
            (m.id_number, m) for m in Member.objects.filter(id_number__in=chunk).select_related("organization")
        )

    seen_ids: dict[str, int] = {}
    new_members: list[Member] = []
    updated_members: list[Member] = []
    updated_fields: set[str] = set()
    for row in good:
        id_number = row.data["id_number"]
        problems = []
        org = orgs.get(row.code)
        if org is None:
            problems.append(f"组织代码“{show(row.code)}”不存在")
        elif not _in_scope(actor, under, org.path):
            problems.append(f"组织“{show(row.code)}”不在您的管辖范围内")
        elif org.dissolved_on is not None:
            problems.append(f"组织“{show(row.code)}”已撤销,不能导入党员")
        if id_number in seen_ids:
            problems.append(f"身份证号“{id_number}”与第{seen_ids[id_number]}行重复")
        else:
            seen_ids[id_number] = row.number
        member = existing.get(id_number)
        if member is not None and not _in_scope(actor, under, member.organization.path):
            # Same words whichever organization it is: the roster of another township is not disclosed.
            problems.append(f"身份证号“{id_number}”:{ID_NUMBER_NOT_AVAILABLE}")
        elif member is not None and org is not None and member.organization_id != org.pk and not problems:
            problems.append(
                f"身份证号“{id_number}”的党员现属“{member.organization.name}”,调整组织关系请使用“党员调整”功能"
            )
        if problems:
            for problem in problems:
                report.row_error(row.number, problem)
            continue
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
            for message in _validation_messages(exc, Member):
                report.row_error(row.number, message)
            continue
        label = f"{candidate.name}({org.code})"
        if member is None:
            new_members.append(candidate)
            report.new += 1
            report.add_change(RowChange(row.number, "新增", label))
        elif changed:
            updated_members.append(candidate)
            updated_fields.update(changed)
            report.updated += 1
            columns = "、".join(MEMBER_COLUMNS[name][0] for name in changed)
            report.add_change(RowChange(row.number, "更新", label, f"修改:{columns}"))
        else:
            report.unchanged += 1

    _sort_errors(report)
    if report.errors or dry_run or not report.has_changes:
        return report
    try:
        with transaction.atomic():
            now = timezone.now()
            Member.objects.bulk_create(new_members, batch_size=500)
            for m in updated_members:
                m.updated_at = now
            if updated_members:
                Member.objects.bulk_update(updated_members, sorted(updated_fields | {"updated_at"}), batch_size=500)
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


def member_rule_problems(data: dict[str, Any]) -> list[str]:
    """What the member form would refuse in a row (organizations.rules, the one rule set of both): invisible
    characters in the name, a phone that is not one, dates that cannot be true."""
    problems = []
    for message in (name_error("姓名", data.get("name") or ""), phone_error(data.get("phone") or "")):
        if message:
            problems.append(message)
    problems.extend(
        message
        for _, message in member_record_errors(
            birth_date=data.get("birth_date"),
            joined_on=data.get("joined_on"),
            full_member_on=data.get("full_member_on"),
            today=timezone.localdate(),
        )
    )
    return problems


def _sort_errors(report: ImportReport) -> None:
    """File order: the checks run in two passes, the user reads the list top to bottom."""

    def key(message: str) -> tuple[int, str]:
        if message.startswith("第") and "行" in message:
            head = message[1 : message.index("行")]
            if head.isdigit():
                return int(head), ""
        return 0, message

    report.errors.sort(key=key)


# --- Organizations ---------------------------------------------------------------------------------------


@dataclass
class _OrgRow:
    number: int
    code: str
    parent_code: str
    data: dict[str, Any]  # name, kind and the optional columns present in the file


def import_organizations(*, actor: Any, under: Organization, file: bytes, filename: str, dry_run: bool) -> ImportReport:
    """Create (under a parent in the database or earlier in the same file) or update organizations."""
    require(actor, Perm.IMPORT_ROSTER, under)
    report = ImportReport(kind="organizations", dry_run=dry_run)
    try:
        header, rows = read_table(file, filename)
        index = _column_index(header, [c for c, _ in ORG_COLUMNS.values()], ORG_REQUIRED)
    except ImportFileError as exc:
        report.errors.append(str(exc))
        return report

    parsed: list[_OrgRow] = []
    for number, values in rows:
        cells = _cells(values, index)
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

    codes = {r.code for r in parsed} | {r.parent_code for r in parsed if r.parent_code}
    in_db: dict[str, Organization] = {}
    for chunk in _chunks(sorted(codes)):
        in_db.update((o.code, o) for o in Organization.objects.filter(code__in=chunk))
    parent_paths = {o.path[: -Organization.steplen] for o in in_db.values() if o.depth > 1}
    code_by_path = dict(Organization.objects.filter(path__in=parent_paths).values_list("path", "code"))

    first_row: dict[str, int] = {}
    new_rows: dict[str, _OrgRow] = {}
    updates: list[tuple[_OrgRow, Organization, dict[str, Any]]] = []
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
        if row.parent_code in in_db:
            parent = in_db[row.parent_code]
            if not (_in_scope(actor, under, parent.path) and can(actor, Perm.RESTRUCTURE, parent)):
                report.row_error(row.number, f"上级组织“{show(row.parent_code)}”不在您的管辖范围内")
            elif parent.dissolved_on is not None:
                report.row_error(row.number, f"上级组织“{show(row.parent_code)}”已撤销")
        elif not row.parent_code:
            report.row_error(row.number, "上级组织代码不能为空")
        elif row.parent_code not in {r.code for r in parsed}:
            report.row_error(row.number, f"上级组织代码“{show(row.parent_code)}”不存在")

    order = _creation_order(new_rows, report)
    _sort_errors(report)
    if report.errors:
        return report

    with transaction.atomic():
        for row, org, change in updates:
            try:
                organization_update(actor=actor, organization=org, **change)
            except (ValidationError, PermissionDenied) as exc:
                _report_exception(report, row.number, exc)
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
                _report_exception(report, row.number, exc)
            else:
                report.new += 1
                report.add_change(
                    RowChange(row.number, "新增", f"{row.data['name']}({row.code})", f"上级:{row.parent_code}")
                )
        _sort_errors(report)
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


def _report_exception(report: ImportReport, number: int, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        for message in _validation_messages(exc, Organization):
            report.row_error(number, message)
    elif isinstance(exc, PermissionDenied):
        report.row_error(number, "您没有调整该组织设置的权限")
    else:
        report.row_error(number, "上级组织不存在")


def _org_update(
    actor: Any,
    under: Organization,
    row: _OrgRow,
    org: Organization,
    code_by_path: dict[str, str],
    report: ImportReport,
) -> dict[str, Any] | None:
    """The changes an existing organization's row asks for (None when it has an error or changes nothing)."""
    if not _in_scope(actor, under, org.path):
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


# --- Export ----------------------------------------------------------------------------------------------


def organizations_export(
    *, user: Any, under: Organization, fmt: str = "xlsx", encoding: str = "utf-8"
) -> tuple[bytes, str, str]:
    """The subtree as a file that ``import_organizations`` reads back unchanged: (content, content type, name)."""
    require(user, Perm.EXPORT_ROSTER, under)
    queryset = Organization.objects.filter(path_q(scope_paths(user, Perm.EXPORT_ROSTER))).filter(
        path__startswith=under.path
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    audit.record(
        actor=user,
        verb="organizations.export",
        summary=f"导出党组织({fmt}):{under.name}",
        target=under,
        org_path=under.path,
        after={"format": fmt, "encoding": encoding if fmt == "csv" else "", "organizations": queryset.count()},
    )
    if fmt == "csv":
        headers, rows = organizations_table(queryset)
        charset = "gb18030" if encoding == "gbk" else "utf-8"
        content = csv_bytes(headers, rows, encoding=encoding)
        return content, f"text/csv; charset={charset}", f"{under.code}-党组织-{stamp}.csv"
    return organizations_xlsx(queryset), XLSX_CONTENT_TYPE, f"{under.code}-党组织-{stamp}.xlsx"
