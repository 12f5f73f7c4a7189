"""Property: whatever junk the cells hold, an import answers with a report (never an exception) and, when any row
is bad, writes nothing at all."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from organizations.resources.files import member_headers, organization_headers
from organizations.services.member_import import import_members
from organizations.services.organization_import import import_organizations
from tests.organizations.test_imports import counts, member_row, to_csv, to_xlsx

PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc"))
TRICKY = st.sampled_from(
    [
        "",
        " ",
        "=1+1",
        '=HYPERLINK("x")',
        "男",
        "女",
        "M",
        "是",
        "否",
        "2020-13-01",
        "2020-02-29",
        "2020年1月5日",
        "0",
        "-1",
        "1e400",
        "NaN",
        "T01",
        "T01-001",
        "T02-001",
        "X9",
        "450101198001050010",
        "45010119800105007x",
        "党支部",
        "农村",
        "正式党员",
        "大学本科",
        "\ufeff组织代码",
        "../../etc/passwd",
        "'; DROP TABLE x;--",
    ]
)
CELL = st.one_of(
    TRICKY,
    st.text(PRINTABLE, max_size=30),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=date(1, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
    st.booleans(),
    st.none(),
)


def _rows(width: int):
    return st.lists(st.lists(CELL, min_size=0, max_size=width + 2), min_size=0, max_size=6)


def _file(headers: list[str], junk: list[list[object]], bad: list[object], fmt: str) -> tuple[bytes, str]:
    rows = [bad] + junk  # the first data row is always bad: nothing may be written
    if fmt == "csv":
        text_rows = [["" if v is None else str(v) for v in row] for row in rows]
        return to_csv(headers, text_rows, "utf-8-sig"), "junk.csv"
    return to_xlsx(headers, rows), "junk.xlsx"


SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@SETTINGS
@given(
    headers=st.permutations(member_headers()),
    junk=_rows(len(member_headers())),
    fmt=st.sampled_from(["csv", "xlsx"]),
    dry_run=st.booleans(),
)
def test_member_import_survives_junk_and_writes_nothing(users, tree, headers, junk, fmt, dry_run):
    bad = dict(zip(member_headers(), member_row(性别="M"), strict=True))
    content, name = _file(list(headers), junk, [bad[h] for h in headers], fmt)
    before = counts()
    report = import_members(actor=users.ts_a, under=tree.township_a, file=content, filename=name, dry_run=dry_run)
    assert report.errors and not report.committed
    assert all(isinstance(e, str) and e for e in report.errors)
    assert counts() == before


@SETTINGS
@given(
    headers=st.permutations(organization_headers()),
    junk=_rows(len(organization_headers())),
    fmt=st.sampled_from(["csv", "xlsx"]),
    dry_run=st.booleans(),
)
def test_organization_import_survives_junk_and_writes_nothing(users, tree, headers, junk, fmt, dry_run):
    bad = dict(zip(organization_headers(), ["T01-099", "坏的一行", "T01", "小组", "", 1, ""], strict=True))
    content, name = _file(list(headers), junk, [bad[h] for h in headers], fmt)
    before = counts()
    report = import_organizations(actor=users.ts_a, under=tree.township_a, file=content, filename=name, dry_run=dry_run)
    assert report.errors and not report.committed
    assert counts() == before


@SETTINGS
@given(content=st.binary(max_size=400), name=st.sampled_from(["a.csv", "a.xlsx", "a.txt", "", "a.CSV"]))
def test_random_bytes_never_raise(users, tree, content, name):
    before = counts()
    report = import_members(actor=users.ts_a, under=tree.township_a, file=content, filename=name, dry_run=False)
    assert not report.committed
    assert counts() == before
