"""Importing the roster and the tree from a spreadsheet: the report every import fills, and its shared checks.

An import reads the whole file, checks every row (values, duplicates within the file and against the database,
scope) and reports every bad row with the row number the user sees in Excel (the header is row 1). Nothing is
written unless every row is good: the writes run in one transaction, and a dry run rolls that transaction back,
so the preview and the real import can never disagree. A successful import records one audit event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from organizations.models import Organization
from organizations.resources.files import ImportFileError
from organizations.roles import Perm
from organizations.rules import member_record_errors, name_error, phone_error
from organizations.scope import can_path

PREVIEW_LIMIT = 500


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


def column_index(header: list[str], known: Iterable[str], required: Iterable[str]) -> dict[str, int]:
    duplicates = sorted({h for h in header if h and header.count(h) > 1})
    if duplicates:
        raise ImportFileError("列名重复:" + "、".join(duplicates))
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFileError("缺少必填列:" + "、".join(missing))
    return {h: i for i, h in enumerate(header) if h in set(known)}


def row_cells(values: list[Any], index: dict[str, int]) -> dict[str, Any]:
    return {column: values[i] if i < len(values) else None for column, i in index.items()}


def validation_messages(exc: ValidationError, model: type) -> list[str]:
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


def in_scope(actor: Any, under: Organization, path: str, perm: Perm = Perm.IMPORT_ROSTER) -> bool:
    return path.startswith(under.path) and can_path(actor, perm, path)


def chunks(items: list[Any], size: int = 900) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


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


def sort_errors(report: ImportReport) -> None:
    """File order: the checks run in two passes, the user reads the list top to bottom."""

    def key(message: str) -> tuple[int, str]:
        if message.startswith("第") and "行" in message:
            head = message[1 : message.index("行")]
            if head.isdigit():
                return int(head), ""
        return 0, message

    report.errors.sort(key=key)


def report_exception(report: ImportReport, number: int, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        for message in validation_messages(exc, Organization):
            report.row_error(number, message)
    elif isinstance(exc, PermissionDenied):
        report.row_error(number, "您没有调整该组织设置的权限")
    else:
        report.row_error(number, "上级组织不存在")
