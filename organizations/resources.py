"""django-import-export resources for organizations and members, with Chinese column headers.

The widgets here are shared by the admin (import-export's own import) and by ``organizations.imports`` (the scoped
two-step import of the app): each raises ``ValueError`` with a Chinese message naming the column and the value, so
both report the same reasons. Exports render labels (男, 大学本科, 是) so that an exported file imports unchanged.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import models
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV, XLSX
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from organizations.models import Education, Gender, Member, MemberStatus, Organization, OrgField, OrgKind
from organizations.rules import MAX_UNITS_COVERED, id_number_error
from partybuild.documents import document_text, is_formula_like, read_xlsx_rows

# --- Cell values -----------------------------------------------------------------------------------------


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_formula(value: Any) -> bool:
    """A spreadsheet formula is refused rather than evaluated (and a cached result is never trusted)."""
    return isinstance(value, str) and value.strip().startswith("=")


def as_text(value: Any) -> str:
    """A cell as text: integral numbers lose their ``.0`` (an ID or phone typed as a number in Excel)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    text = str(value).strip()
    if text.startswith("'") and is_formula_like(text[1:]):
        return text[1:]  # the apostrophe our CSV export puts before formula-like text (see _csv_cell)
    return text


def show(value: Any, limit: int = 40) -> str:
    """The value as quoted in an error message, shortened so that a pasted paragraph stays readable."""
    text = as_text(value)
    return text if len(text) <= limit else text[:limit] + "…"


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(value: Any) -> date | None:
    """Real spreadsheet dates, Excel serial numbers and the usual Chinese ways of writing a date; ``None`` if none."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A date column formatted as "General" arrives as its serial number (days since 1899-12-30).
        if float(value).is_integer() and 1 <= value <= 2958465:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        return None
    text = as_text(value).replace(" ", "")
    if text.endswith(" 00:00:00"):
        text = text[:-9]
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None


# --- Widgets ---------------------------------------------------------------------------------------------


class LabelledWidget(widgets.Widget):
    """A widget that knows its column's Chinese name, for messages such as 出生日期“2020-13-01”不是有效日期."""

    def __init__(self, label: str, *, required: bool = False, coerce_to_string: bool = True) -> None:
        super().__init__(coerce_to_string=coerce_to_string)
        self.label = label
        self.required = required

    def check_common(self, value: Any) -> bool:
        """Refuse formulas and missing required values; True when the value is blank (and allowed to be)."""
        if is_formula(value):
            raise ValueError(f"{self.label}“{show(value)}”是公式,请直接填写内容")
        if is_blank(value):
            if self.required:
                raise ValueError(f"{self.label}不能为空")
            return True
        return False


class TextWidget(LabelledWidget):
    def __init__(self, label: str, *, max_length: int, required: bool = False) -> None:
        super().__init__(label, required=required)
        self.max_length = max_length

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        if self.check_common(value):
            return ""
        text = as_text(value)
        if len(text) > self.max_length:
            raise ValueError(f"{self.label}“{show(text)}”过长(最多{self.max_length}个字)")
        return text

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


ID_NUMBER_RE = re.compile(r"^(\d{17}[\dX]|\d{15})$")


class IdNumberWidget(LabelledWidget):
    """身份证号: 18 characters (the last may be X, also typed lower case) with a correct check digit, as the member
    form requires (an old 15-digit number is refused by both)."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        if self.check_common(value):
            return ""
        text = as_text(value).upper()
        if isinstance(value, float) and abs(value) >= 1e15 or "E+" in text:
            raise ValueError(f"{self.label}“{show(value)}”被Excel当作数字保存,末几位已丢失,请把该列设为文本后重新填写")
        if not ID_NUMBER_RE.match(text):
            raise ValueError(f"{self.label}“{show(text)}”格式不正确,应为18位(最后一位可为X)")
        error = id_number_error(text)  # the member form's rule: 18 characters with a correct check digit
        if error:
            raise ValueError(f"{self.label}“{show(text)}”:{error}")
        return text

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value or ""


class ChoiceLabelWidget(LabelledWidget):
    """A choice written by its Chinese label (男, 大学本科, 正式党员); the stored value is also accepted."""

    def __init__(
        self, label: str, choices: type[models.TextChoices], *, required: bool = False, default: str = ""
    ) -> None:
        super().__init__(label, required=required)
        self.by_label = {str(c.label): str(c.value) for c in choices}
        self.by_value = {str(c.value): str(c.label) for c in choices}
        self.default = default

    def expected(self) -> str:
        labels = list(self.by_label)
        if len(labels) == 2:
            return f"{labels[0]} 或 {labels[1]}"
        return "、".join(labels) + " 之一"

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        if self.check_common(value):
            return self.default
        text = as_text(value)
        if text in self.by_label:
            return self.by_label[text]
        if text in self.by_value:
            return text
        raise ValueError(f"{self.label}“{show(text)}”无效,应为 {self.expected()}")

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return self.by_value.get(value or "", "")


class YesNoWidget(LabelledWidget):
    TRUE = frozenset({"是", "Y", "YES", "TRUE", "1"})
    FALSE = frozenset({"否", "N", "NO", "FALSE", "0"})

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool:
        if self.check_common(value):
            return False
        if isinstance(value, bool):
            return value
        text = as_text(value).upper()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(f"{self.label}“{show(value)}”无效,应为 是 或 否")

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "是" if value else "否"


class FlexibleDateWidget(LabelledWidget):
    """Dates as real spreadsheet dates or as text: 2020-01-05, 2020/1/5, 2020.1.5, 2020年1月5日, 20200105."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> date | None:
        if self.check_common(value):
            return None
        parsed = parse_date(value)
        if parsed is None:
            raise ValueError(f"{self.label}“{show(value)}”不是有效日期")
        if not date(1900, 1, 1) <= parsed <= date(2100, 12, 31):
            raise ValueError(f"{self.label}“{show(value)}”不是有效日期")
        return parsed

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        if kwargs.get("force_native_type"):
            return value
        return value.isoformat() if isinstance(value, date) else ""


class PositiveIntWidget(LabelledWidget):
    def __init__(self, label: str, *, default: int | None = None, maximum: int = 32767) -> None:
        super().__init__(label)
        self.default = default
        self.maximum = maximum

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        if self.check_common(value):
            return self.default
        text = as_text(value)
        if not text.isdigit() or len(text) > 9 or not 1 <= int(text) <= self.maximum:
            raise ValueError(f"{self.label}“{show(value)}”应为1至{self.maximum}之间的整数")
        return int(text)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        if kwargs.get("force_native_type"):
            return value
        return "" if value is None else str(value)


class OrganizationCodeWidget(LabelledWidget):
    """组织代码 → the organization (the admin's import; the app's import resolves codes in one query itself)."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Organization | None:
        if self.check_common(value):
            return None
        code = as_text(value)
        org = Organization.objects.filter(code=code).first()
        if org is None:
            raise ValueError(f"{self.label}“{show(code)}”不存在")
        return org

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.code if isinstance(value, Organization) else ""


# --- Formats of the admin's import ----------------------------------------------------------------------------

ADMIN_MAX_ROWS = 50_000
ADMIN_MAX_COLUMNS = 60


class BoundedXLSX(XLSX):
    """The admin's xlsx import through the one bounded reader of uploaded workbooks (a zip bomb is refused before
    openpyxl inflates it); formulas arrive as their text and the widgets refuse them."""

    def create_dataset(self, in_stream: bytes) -> Any:
        import tablib

        rows = read_xlsx_rows(in_stream, max_rows=ADMIN_MAX_ROWS + 1, max_columns=ADMIN_MAX_COLUMNS)
        dataset = tablib.Dataset()
        if rows:
            dataset.headers = [("" if v is None else str(v)) for v in rows[0]]
            width = len(dataset.headers)
            for row in rows[1:]:
                dataset.append((list(row) + [None] * width)[:width])
        return dataset


# CSV and the bounded xlsx only: the other formats import-export offers (xls, ods, json, yaml...) have readers of
# their own that nothing bounds.
ADMIN_IMPORT_FORMATS = [CSV, BoundedXLSX]


# --- Members ---------------------------------------------------------------------------------------------


def _max_length(name: str, model: type[models.Model] = Member) -> int:
    return model._meta.get_field(name).max_length  # type: ignore[return-value]


MEMBER_COLUMNS: dict[str, tuple[str, LabelledWidget]] = {
    # attribute: (column, widget). The order is the order of the columns in exports and in the blank template.
    "organization": ("组织代码", OrganizationCodeWidget("组织代码", required=True)),
    "name": ("姓名", TextWidget("姓名", max_length=_max_length("name"), required=True)),
    "gender": ("性别", ChoiceLabelWidget("性别", Gender, required=True)),
    "ethnicity": ("民族", TextWidget("民族", max_length=_max_length("ethnicity"))),
    "birth_date": ("出生日期", FlexibleDateWidget("出生日期", required=True)),
    "education": ("学历", ChoiceLabelWidget("学历", Education, required=True)),
    "occupation": ("职业", TextWidget("职业", max_length=_max_length("occupation"))),
    "joined_on": ("入党日期", FlexibleDateWidget("入党日期", required=True)),
    "status": ("党员类别", ChoiceLabelWidget("党员类别", MemberStatus, default=MemberStatus.FULL)),
    "full_member_on": ("转正日期", FlexibleDateWidget("转正日期")),
    "is_migrant": ("流动党员", YesNoWidget("流动党员")),
    "id_number": ("身份证号", IdNumberWidget("身份证号", required=True)),
    "phone": ("联系电话", TextWidget("联系电话", max_length=_max_length("phone"))),
}
MEMBER_REQUIRED = ("组织代码", "姓名", "性别", "出生日期", "学历", "入党日期", "身份证号")
MEMBER_TEXT_COLUMNS = frozenset({"组织代码", "身份证号", "联系电话"})
MEMBER_DATE_COLUMNS = frozenset({"出生日期", "入党日期", "转正日期"})


class MemberResource(resources.ModelResource):
    """党员名册: one row per member, matched by 身份证号 on import (an existing member is updated)."""

    organization = fields.Field(
        attribute="organization", column_name="组织代码", widget=MEMBER_COLUMNS["organization"][1]
    )
    name = fields.Field(attribute="name", column_name="姓名", widget=MEMBER_COLUMNS["name"][1])
    gender = fields.Field(attribute="gender", column_name="性别", widget=MEMBER_COLUMNS["gender"][1])
    ethnicity = fields.Field(attribute="ethnicity", column_name="民族", widget=MEMBER_COLUMNS["ethnicity"][1])
    birth_date = fields.Field(attribute="birth_date", column_name="出生日期", widget=MEMBER_COLUMNS["birth_date"][1])
    education = fields.Field(attribute="education", column_name="学历", widget=MEMBER_COLUMNS["education"][1])
    occupation = fields.Field(attribute="occupation", column_name="职业", widget=MEMBER_COLUMNS["occupation"][1])
    joined_on = fields.Field(attribute="joined_on", column_name="入党日期", widget=MEMBER_COLUMNS["joined_on"][1])
    status = fields.Field(attribute="status", column_name="党员类别", widget=MEMBER_COLUMNS["status"][1])
    full_member_on = fields.Field(
        attribute="full_member_on", column_name="转正日期", widget=MEMBER_COLUMNS["full_member_on"][1]
    )
    is_migrant = fields.Field(attribute="is_migrant", column_name="流动党员", widget=MEMBER_COLUMNS["is_migrant"][1])
    id_number = fields.Field(attribute="id_number", column_name="身份证号", widget=MEMBER_COLUMNS["id_number"][1])
    phone = fields.Field(attribute="phone", column_name="联系电话", widget=MEMBER_COLUMNS["phone"][1])

    class Meta:
        model = Member
        fields = tuple(MEMBER_COLUMNS)
        export_order = tuple(MEMBER_COLUMNS)
        import_id_fields = ("id_number",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self) -> models.QuerySet[Member]:
        return Member.objects.select_related("organization")

    def filter_export(self, queryset: Any, **kwargs: Any) -> Any:
        if isinstance(queryset, models.QuerySet):
            return queryset.select_related("organization")
        return queryset

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        """The admin's import leaves the same one audit event as the app's (the district-wide log sees it)."""
        super().after_import(dataset, result, **kwargs)
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        new = result.totals.get("new", 0)
        updated = result.totals.get("update", 0)
        if new or updated:
            from partybuild import audit

            audit.record(
                actor=kwargs.get("user"),
                verb="import.members",
                summary=f"后台导入党员名册:新增{new}名,更新{updated}名",
                after={"new": new, "updated": updated, "unchanged": result.totals.get("skip", 0), "via": "admin"},
            )


# --- Organizations ---------------------------------------------------------------------------------------

ORG_COLUMNS: dict[str, tuple[str, LabelledWidget]] = {
    "code": ("组织代码", TextWidget("组织代码", max_length=_max_length("code", Organization), required=True)),
    "name": ("组织名称", TextWidget("组织名称", max_length=_max_length("name", Organization), required=True)),
    "parent_code": ("上级组织代码", TextWidget("上级组织代码", max_length=_max_length("code", Organization))),
    "kind": ("组织类别", ChoiceLabelWidget("组织类别", OrgKind, required=True)),
    "field": ("领域", ChoiceLabelWidget("领域", OrgField)),
    "units_covered": ("覆盖单位数", PositiveIntWidget("覆盖单位数", maximum=MAX_UNITS_COVERED)),
    "established_on": ("成立日期", FlexibleDateWidget("成立日期")),
}
ORG_REQUIRED = ("组织代码", "组织名称", "上级组织代码", "组织类别")
ORG_TEXT_COLUMNS = frozenset({"组织代码", "上级组织代码"})
ORG_DATE_COLUMNS = frozenset({"成立日期"})


class OrganizationResource(resources.ModelResource):
    """The tree as a flat table: each row names its parent by code.

    Export only: import-export cannot create treebeard nodes (they need ``add_child`` for a correct path), so the
    tree is imported by ``organizations.imports.import_organizations``.
    """

    code = fields.Field(attribute="code", column_name="组织代码", widget=ORG_COLUMNS["code"][1])
    name = fields.Field(attribute="name", column_name="组织名称", widget=ORG_COLUMNS["name"][1])
    parent_code = fields.Field(column_name="上级组织代码", readonly=True, widget=ORG_COLUMNS["parent_code"][1])
    kind = fields.Field(attribute="kind", column_name="组织类别", widget=ORG_COLUMNS["kind"][1])
    field = fields.Field(attribute="field", column_name="领域", widget=ORG_COLUMNS["field"][1])
    units_covered = fields.Field(
        attribute="units_covered", column_name="覆盖单位数", widget=ORG_COLUMNS["units_covered"][1]
    )
    established_on = fields.Field(
        attribute="established_on", column_name="成立日期", widget=ORG_COLUMNS["established_on"][1]
    )

    class Meta:
        model = Organization
        fields = tuple(ORG_COLUMNS)
        export_order = tuple(ORG_COLUMNS)
        import_id_fields = ("code",)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._code_by_path: dict[str, str] = {}

    def filter_export(self, queryset: Any, **kwargs: Any) -> Any:
        """Look every parent's code up in one query (the parent may lie outside the exported subtree)."""
        rows = list(queryset.order_by("path")) if isinstance(queryset, models.QuerySet) else list(queryset)
        steplen = Organization.steplen
        parent_paths = {o.path[:-steplen] for o in rows if o.depth > 1}
        self._code_by_path = {o.path: o.code for o in rows}
        missing = parent_paths - set(self._code_by_path)
        if missing:
            self._code_by_path.update(Organization.objects.filter(path__in=missing).values_list("path", "code"))
        return rows

    def dehydrate_parent_code(self, org: Organization) -> str:
        if org.depth <= 1:
            return ""
        return self._code_by_path.get(org.path[: -Organization.steplen], "")


# --- Writing files ---------------------------------------------------------------------------------------

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(
    headers: list[str],
    rows: Iterable[list[Any]],
    *,
    text_columns: Iterable[str] = (),
    date_columns: Iterable[str] = (),
    title: str = "Sheet1",
) -> bytes:
    """A plain xlsx: text columns formatted as text (so Excel keeps an 18-digit ID), dates as real dates."""
    text_columns, date_columns = set(text_columns), set(date_columns)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=document_text(title)[:31])
    for index, header in enumerate(headers):
        letter = _column_letter(index)
        ws.column_dimensions[letter].width = 22 if header in text_columns else 14
    ws.append([document_text(h) for h in headers])
    kinds = ["text" if h in text_columns else "date" if h in date_columns else "" for h in headers]
    for row in rows:
        cells = []
        for kind, value in zip(kinds, row, strict=False):
            if isinstance(value, str):
                value = document_text(value)  # a control character in a name is dropped, not a 500
            cell = WriteOnlyCell(ws, value=value if value != "" else None)
            if isinstance(value, str) and is_formula_like(value):
                # A name like "=HYPERLINK(...)" stays literal text (formula injection): a string cell with the quote
                # prefix flag, which the importer reads back unchanged.
                cell.data_type = "s"
                cell.quotePrefix = True
            if kind == "text":
                cell.number_format = "@"
            elif kind == "date":
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        ws.append(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _csv_cell(value: Any) -> Any:
    """A CSV cell; text a spreadsheet would evaluate (= + - @ …) gets a leading apostrophe, which Excel and WPS show
    as literal text and ``as_text`` removes again on import (formula injection, OWASP)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        value = document_text(value)
        if is_formula_like(value):
            return "'" + value
    return value


def csv_bytes(headers: list[str], rows: Iterable[list[Any]], *, encoding: str = "utf-8") -> bytes:
    """CSV for Excel: UTF-8 with a BOM (Excel needs it to read Chinese), or GB18030 (a superset of GBK)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    text = out.getvalue()
    if encoding == "gbk":
        return text.encode("gb18030", errors="replace")
    return text.encode("utf-8-sig")


def member_headers() -> list[str]:
    return [column for column, _ in MEMBER_COLUMNS.values()]


def organization_headers() -> list[str]:
    return [column for column, _ in ORG_COLUMNS.values()]


def members_xlsx(queryset: Any) -> bytes:
    """The roster as an xlsx that ``import_members`` reads back unchanged."""
    dataset = MemberResource().export(queryset, force_native_type=True)
    return xlsx_bytes(
        list(dataset.headers),
        (list(r) for r in dataset),
        text_columns=MEMBER_TEXT_COLUMNS,
        date_columns=MEMBER_DATE_COLUMNS,
        title="党员名册",
    )


def organizations_table(queryset: Any) -> tuple[list[str], list[list[Any]]]:
    dataset = OrganizationResource().export(queryset, force_native_type=True)
    return list(dataset.headers), [list(r) for r in dataset]


def organizations_xlsx(queryset: Any) -> bytes:
    headers, rows = organizations_table(queryset)
    return xlsx_bytes(headers, rows, text_columns=ORG_TEXT_COLUMNS, date_columns=ORG_DATE_COLUMNS, title="党组织")


def blank_template(kind: str) -> bytes:
    """Headers only, with the right cell formats, plus a second sheet listing the accepted values."""
    if kind == "members":
        headers, text, dates = member_headers(), MEMBER_TEXT_COLUMNS, MEMBER_DATE_COLUMNS
        notes = [
            ["必填列", "、".join(MEMBER_REQUIRED)],
            ["性别", "男 或 女"],
            ["学历", "、".join(Education.labels)],
            ["党员类别", "、".join(MemberStatus.labels) + "(空白为正式党员)"],
            ["流动党员", "是 或 否(空白为否)"],
            ["日期", "2020-01-05、2020/1/5、2020年1月5日 或 Excel日期"],
            ["身份证号", "已有同一身份证号的党员将被更新,否则新增"],
        ]
    elif kind == "organizations":
        headers, text, dates = organization_headers(), ORG_TEXT_COLUMNS, ORG_DATE_COLUMNS
        notes = [
            ["必填列", "、".join(ORG_REQUIRED)],
            ["组织类别", "、".join(OrgKind.labels)],
            ["领域", "、".join(OrgField.labels) + "(可空白)"],
            ["上级组织代码", "系统中已有的组织代码,或本文件中另一行的组织代码"],
            ["日期", "2020-01-05、2020/1/5、2020年1月5日 或 Excel日期"],
        ]
    else:
        raise ValueError(kind)
    wb = Workbook()
    ws = wb.active
    ws.title = "填写"
    ws.append(headers)
    for index, header in enumerate(headers):
        letter = _column_letter(index)
        ws.column_dimensions[letter].width = 22 if header in text else 14
        style = "@" if header in text else "yyyy-mm-dd" if header in dates else None
        if style:
            for row in range(2, 1002):
                ws[f"{letter}{row}"].number_format = style
    help_sheet = wb.create_sheet("说明")
    for line in notes:
        help_sheet.append(line)
    help_sheet.column_dimensions["A"].width = 14
    help_sheet.column_dimensions["B"].width = 80
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
