"""Importing members and organizations: every bad row is reported with its Excel row number, nothing is written
unless every row is good, and an exported file imports back unchanged."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from core.models import Event
from organizations.documents import organizations_export
from organizations.models import Member, Organization, OrgChange
from organizations.resources.files import MAX_UPLOAD_BYTES, member_headers, members_xlsx, organization_headers
from organizations.services.member_import import import_members
from organizations.services.members import ID_NUMBER_NOT_AVAILABLE
from organizations.services.organization_import import import_organizations

HEADERS = member_headers()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The shared users fixture sets passwords: a fast hasher keeps these many small tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def member_row(**overrides: object) -> list[object]:
    values = {
        "组织代码": "T01-001",
        "姓名": "张三",
        "性别": "男",
        "民族": "汉族",
        "出生日期": "1980-01-05",
        "学历": "大学本科",
        "职业": "农民",
        "入党日期": "2005-07-01",
        "党员类别": "正式党员",
        "转正日期": "2006-07-01",
        "流动党员": "否",
        "身份证号": "450101198001050010",
        "联系电话": "13900000000",
    }
    values.update(overrides)
    return [values[h] for h in HEADERS]


def to_csv(headers: list[str], rows: list[list[object]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def to_xlsx(headers: list[str], rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def counts() -> tuple[int, int, int, int]:
    return Member.objects.count(), Organization.objects.count(), Event.objects.count(), OrgChange.objects.count()


def run_members(user, under, content: bytes, filename: str = "名册.csv", dry_run: bool = False):
    return import_members(actor=user, under=under, file=content, filename=filename, dry_run=dry_run)


# --- Members: good files -------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_utf8_bom_and_gbk_is_imported(users, tree, encoding):
    rows = [member_row(), member_row(姓名="李四", 性别="女", 身份证号="45010119800105007X")]
    content = to_csv(HEADERS, rows, encoding)
    report = run_members(users.ts_a, tree.township_a, content)
    assert report.ok, report.errors
    assert (report.new, report.updated, report.unchanged) == (2, 0, 0)
    li = Member.objects.get(id_number="45010119800105007X")
    assert li.name == "李四" and li.gender == "female" and li.organization == tree.village_a1
    assert li.education == "bachelor" and li.birth_date == date(1980, 1, 5)


def test_xlsx_with_real_dates_and_chinese_date_strings(users, tree):
    rows = [
        member_row(出生日期=datetime(1980, 1, 5), 入党日期="2005/7/1", 转正日期="2006年7月1日"),
        member_row(身份证号="450101198001050037", 出生日期="1981.2.3", 流动党员="是", 党员类别="预备党员", 转正日期=""),
    ]
    report = run_members(users.ts_a, tree.township_a, to_xlsx(HEADERS, rows), "名册.xlsx")
    assert report.ok, report.errors
    first = Member.objects.get(id_number="450101198001050010")
    assert (first.birth_date, first.joined_on, first.full_member_on) == (
        date(1980, 1, 5),
        date(2005, 7, 1),
        date(2006, 7, 1),
    )
    second = Member.objects.get(id_number="450101198001050037")
    assert second.is_migrant and second.status == "probationary" and second.full_member_on is None


def test_existing_member_is_updated_by_id_number_and_audited_once(users, tree, members):
    member = members["a1"][0]
    before_events = Event.objects.filter(verb="import.members").count()
    row = member_row(
        身份证号=member.id_number,
        姓名="新名字",
        出生日期=member.birth_date.isoformat(),
        入党日期=member.joined_on.isoformat(),
    )
    report = run_members(users.ts_a, tree.township_a, to_csv(HEADERS, [row, member_row()]))
    assert report.ok, report.errors
    assert (report.new, report.updated) == (1, 1)
    member.refresh_from_db()
    assert member.name == "新名字"
    events = Event.objects.filter(verb="import.members")
    assert events.count() == before_events + 1
    event = events.latest("pk")
    assert event.org_path == tree.township_a.path
    assert event.after["new"] == 1 and event.after["updated"] == 1


def test_dry_run_writes_nothing_but_counts(users, tree):
    before = counts()
    report = run_members(users.ts_a, tree.township_a, to_csv(HEADERS, [member_row()]), dry_run=True)
    assert report.ok and report.new == 1 and not report.committed
    assert counts() == before


# --- Members: bad rows ---------------------------------------------------------------------------------------

BAD_ROWS = [
    ({"出生日期": "2020-13-01"}, "第2行:出生日期“2020-13-01”不是有效日期"),
    ({"入党日期": "昨天"}, "第2行:入党日期“昨天”不是有效日期"),
    ({"性别": "M"}, "第2行:性别“M”无效,应为 男 或 女"),
    ({"学历": "博士"}, "第2行:学历“博士”无效,应为 研究生、大学本科、大学专科、高中/中专、初中及以下 之一"),
    ({"党员类别": "积极分子"}, "第2行:党员类别“积极分子”无效,应为 正式党员 或 预备党员"),
    ({"流动党员": "也许"}, "第2行:流动党员“也许”无效,应为 是 或 否"),
    ({"姓名": '=HYPERLINK("http://x")'}, '第2行:姓名“=HYPERLINK("http://x")”是公式,请直接填写内容'),
    ({"姓名": ""}, "第2行:姓名不能为空"),
    ({"身份证号": "12345"}, "第2行:身份证号“12345”格式不正确,应为18位(最后一位可为X)"),
    ({"组织代码": "X9"}, "第2行:组织代码“X9”不存在"),
    ({"组织代码": "T02-001"}, "第2行:组织“T02-001”不在您的管辖范围内"),
    ({"组织代码": "T02"}, "第2行:组织“T02”不在您的管辖范围内"),
    ({"姓名": "长" * 41}, "第2行:姓名“" + "长" * 40 + "…”过长(最多40个字)"),
]


@pytest.mark.parametrize(("overrides", "message"), BAD_ROWS)
def test_each_bad_value_is_reported_and_nothing_is_written(users, tree, overrides, message):
    rows = [member_row(**overrides), member_row(身份证号="450101198001050037")]
    before = counts()
    report = run_members(users.ts_a, tree.township_a, to_csv(HEADERS, rows))
    assert message in report.errors
    assert report.error_count == 1, report.errors
    assert not report.committed
    assert counts() == before


def test_every_bad_row_is_listed_with_its_excel_row_number(users, tree):
    rows = [
        member_row(身份证号="450101198001050010"),  # row 2
        member_row(身份证号="450101198001050037"),  # row 3
        [""] * len(HEADERS),  # row 4: blank, skipped but counted
        member_row(身份证号="450101198001050045", 出生日期="2020-13-01"),  # row 5
        member_row(身份证号="450101198001050053", 性别="M"),  # row 6
        member_row(身份证号="450101198001050061", 组织代码="T02-001"),  # row 7
        member_row(身份证号="450101198001050037"),  # row 8: duplicate of row 3
    ]
    before = counts()
    report = run_members(users.ts_a, tree.township_a, to_csv(HEADERS, rows), dry_run=True)
    assert report.errors == [
        "第5行:出生日期“2020-13-01”不是有效日期",
        "第6行:性别“M”无效,应为 男 或 女",
        "第7行:组织“T02-001”不在您的管辖范围内",
        "第8行:身份证号“450101198001050037”与第3行重复",
    ]
    assert counts() == before


def test_duplicate_against_member_outside_scope_does_not_reveal_the_organization(users, tree, members):
    outsider = members["b1"][0]
    before = counts()
    report = run_members(users.ts_a, tree.township_a, to_csv(HEADERS, [member_row(身份证号=outsider.id_number)]))
    assert report.errors == [f"第2行:身份证号“{outsider.id_number}”:{ID_NUMBER_NOT_AVAILABLE}"]
    assert tree.community_b1.name not in report.errors[0] and "T02" not in report.errors[0]
    assert counts() == before


def test_member_of_another_org_in_scope_must_be_moved_not_imported(users, tree, members):
    member = members["a21"][0]
    report = run_members(users.ts_a, tree.township_a, to_csv(HEADERS, [member_row(身份证号=member.id_number)]))
    assert report.error_count == 1 and "党员调整" in report.errors[0]
    member.refresh_from_db()
    assert member.organization == tree.branch_a21


def test_rows_outside_the_page_subtree_are_refused_even_for_district_staff(users, tree):
    # District staff may import anywhere, but an import started on township A's page stays in township A.
    report = run_members(users.ds, tree.township_a, to_csv(HEADERS, [member_row(组织代码="T02-001")]))
    assert report.errors == ["第2行:组织“T02-001”不在您的管辖范围内"]


def test_branch_secretary_may_not_import(users, tree):
    with pytest.raises(PermissionDenied):
        run_members(users.sec_a1, tree.village_a1, to_csv(HEADERS, [member_row()]))


# --- Whole-file problems -------------------------------------------------------------------------------------


def test_missing_required_columns_are_named_in_one_error(users, tree):
    headers = [h for h in HEADERS if h not in {"身份证号", "性别"}]
    rows = [[v for h, v in zip(HEADERS, member_row(), strict=True) if h in headers]]
    before = counts()
    report = run_members(users.ts_a, tree.township_a, to_csv(headers, rows))
    assert report.errors == ["缺少必填列:性别、身份证号"]
    assert counts() == before


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "a.csv", "文件为空"),
        ("组织代码,姓名,性别,出生日期,学历,入党日期,身份证号\n".encode(), "a.csv", "文件中没有数据行(只有表头)"),
        (b"hello", "a.xls", "文件类型不支持:只能上传 .xlsx 或 .csv 文件(.xls 请先在Excel中另存为 .xlsx)"),
        (b"hello", "a.pdf", "文件类型不支持:只能上传 .xlsx 或 .csv 文件(.xls 请先在Excel中另存为 .xlsx)"),
        (b"not a zip", "a.xlsx", "文件不是有效的 .xlsx 文件,请在Excel中另存为“Excel 工作簿(*.xlsx)”后重新上传"),
        (b"PK\x03\x04broken", "a.xlsx", "文件无法按 Excel(.xlsx)格式读取,请确认文件未损坏"),
        (b"x" * (MAX_UPLOAD_BYTES + 1), "a.csv", "文件过大:不能超过10MB,请分批导入"),
    ],
)
def test_unreadable_files_give_one_clear_error(users, tree, content, filename, message):
    before = counts()
    report = run_members(users.ts_a, tree.township_a, content, filename)
    assert report.errors == [message]
    assert counts() == before


def test_formula_in_xlsx_is_refused_not_evaluated(users, tree):
    content = to_xlsx(HEADERS, [member_row(姓名="=1+1")])
    before = counts()
    report = run_members(users.ts_a, tree.township_a, content, "a.xlsx")
    assert report.errors == ["第2行:姓名“=1+1”是公式,请直接填写内容"]
    assert counts() == before


# --- Round trip ----------------------------------------------------------------------------------------------


def test_member_export_imports_back_unchanged(users, tree, members):
    content = members_xlsx(Member.objects.filter(organization__path__startswith=tree.township_a.path))
    before = counts()
    report = run_members(users.ts_a, tree.township_a, content, "export.xlsx", dry_run=True)
    assert report.ok, report.errors
    assert (report.new, report.updated, report.unchanged) == (0, 0, 11)
    report = run_members(users.ts_a, tree.township_a, content, "export.xlsx")
    assert report.ok and not report.committed
    assert counts() == before


@pytest.mark.parametrize(("fmt", "encoding"), [("xlsx", ""), ("csv", "utf-8"), ("csv", "gbk")])
def test_organization_export_imports_back_unchanged(users, tree, fmt, encoding):
    content, _, filename = organizations_export(user=users.ts_a, under=tree.township_a, fmt=fmt, encoding=encoding)
    before = counts()
    report = import_organizations(
        actor=users.ts_a, under=tree.township_a, file=content, filename=filename, dry_run=True
    )
    assert report.ok, report.errors
    assert (report.new, report.updated, report.unchanged) == (0, 0, 4)
    report = import_organizations(
        actor=users.ts_a, under=tree.township_a, file=content, filename=filename, dry_run=False
    )
    assert report.ok and not report.committed
    assert counts() == before


def test_district_export_of_the_whole_tree_imports_back_unchanged(users, tree):
    content, _, filename = organizations_export(user=users.ds, under=tree.district)
    report = import_organizations(actor=users.ds, under=tree.district, file=content, filename=filename, dry_run=True)
    assert report.ok, report.errors
    assert report.unchanged == 7


# --- Organizations -------------------------------------------------------------------------------------------

ORG_HEADERS = organization_headers()


def org_row(
    code: str,
    name: str,
    parent: str,
    kind: str = "党支部",
    field: str = "农村",
    units: object = 1,
    established: object = "2024-01-01",
) -> list[object]:
    return [code, name, parent, kind, field, units, established]


def run_orgs(user, under, rows, dry_run=False, headers=ORG_HEADERS):
    return import_organizations(
        actor=user, under=under, file=to_csv(headers, rows), filename="组织.csv", dry_run=dry_run
    )


def test_tree_import_creates_children_after_parents_in_any_order(users, tree):
    rows = [
        org_row("T01-003-01", "新村第一党支部", "T01-003"),  # child listed before its parent
        org_row("T01-003", "新村党总支", "T01", kind="党总支"),
        org_row("T01-001", "东风村党支部(改名)", "T01"),  # existing: renamed
    ]
    report = run_orgs(users.ts_a, tree.township_a, rows)
    assert report.ok, report.errors
    assert (report.new, report.updated, report.unchanged) == (2, 1, 0)
    general = Organization.objects.get(code="T01-003")
    child = Organization.objects.get(code="T01-003-01")
    assert Organization.objects.get_parent(child) == general and Organization.objects.get_parent(general).code == "T01"
    assert child.path.startswith(general.path) and general.numchild == 1
    assert child.established_on == date(2024, 1, 1) and child.field == "rural" and child.is_graded
    assert Organization.objects.get(code="T01-001").name == "东风村党支部(改名)"
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    assert Event.objects.filter(verb="import.organizations", org_path=tree.township_a.path).count() == 1


def test_tree_import_dry_run_writes_nothing(users, tree):
    before = counts()
    report = run_orgs(users.ts_a, tree.township_a, [org_row("T01-003", "新村党支部", "T01")], dry_run=True)
    assert report.ok and report.new == 1
    assert counts() == before


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([org_row("T01-009", "甲", "X9")], "第2行:上级组织代码“X9”不存在"),
        ([org_row("T01-009", "甲", "T02-001")], "第2行:上级组织“T02-001”不在您的管辖范围内"),
        ([org_row("T02-001", "改名", "T02")], "第2行:组织“T02-001”不在您的管辖范围内"),
        (
            [org_row("T01-009", "甲", "T01", kind="小组")],
            "第2行:组织类别“小组”无效,应为 党委、党工委、党总支、党支部、联合党支部、党小组 之一",
        ),
        (
            [org_row("T01-009", "甲", "T01", field="工厂")],
            "第2行:领域“工厂”无效,应为 农村、社区、机关、事业单位、国有企业、非公企业、社会组织、学校 之一",
        ),
        ([org_row("T01-009", "甲", "T01", established="2024-02-30")], "第2行:成立日期“2024-02-30”不是有效日期"),
        ([org_row("T01-009", "甲", "T01", units="两个")], "第2行:覆盖单位数“两个”应为1至999之间的整数"),
        ([org_row("T01-009", "甲", "T01"), org_row("T01-009", "乙", "T01")], "第3行:组织代码“T01-009”与第2行重复"),
        (
            [org_row("T01-009", "甲", "T01-010"), org_row("T01-010", "乙", "T01-009")],
            "第2行:上级组织代码“T01-010”形成循环",
        ),
        (
            [org_row("T01-001", "东风村党支部", "T01-002")],
            "第2行:组织“T01-001”的上级组织代码应为“T01”:调整隶属关系请使用组织设置功能,不能通过导入",
        ),
        ([org_row("T01-009", "甲", "")], "第2行:上级组织代码不能为空"),
        ([org_row("T01-009", "甲", "T01", kind="联合党支部", units=6)], None),  # the joint-branch rule (B1)
    ],
)
def test_bad_organization_rows(users, tree, rows, message):
    before = counts()
    report = run_orgs(users.ts_a, tree.township_a, rows + [org_row("T01-020", "好的一行", "T01")])
    assert not report.ok
    if message is not None:
        assert message in report.errors, report.errors
    else:
        assert report.errors[0].startswith("第2行:")
    assert counts() == before
    assert not Organization.objects.filter(code="T01-020").exists()


def test_organization_import_missing_columns(users, tree):
    report = run_orgs(users.ts_a, tree.township_a, [["T01-009", "甲"]], headers=["组织代码", "组织名称"])
    assert report.errors == ["缺少必填列:上级组织代码、组织类别"]
