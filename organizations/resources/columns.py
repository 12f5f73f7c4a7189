"""The columns of the roster and of the tree (import-export resources with Chinese headers), and the formats of
the admin's import.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from import_export import fields, resources
from import_export.formats.base_formats import CSV, XLSX

from core.documents import read_xlsx_rows
from organizations.models import Education, Gender, Member, MemberStatus, Organization, OrgField, OrgKind
from organizations.resources.widgets import (
    ChoiceLabelWidget,
    FlexibleDateWidget,
    IdNumberWidget,
    LabelledWidget,
    OrganizationCodeWidget,
    PositiveIntWidget,
    TextWidget,
    YesNoWidget,
)
from organizations.rules import MAX_UNITS_COVERED

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
            from core import audit

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
    tree is imported by ``organizations.services.organization_import.import_organizations``.
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
