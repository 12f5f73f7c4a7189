"""Concurrent writes never answer 500 (issue 12 §7).

20 member creates and 4 creates of one sub-branch code at the same moment, through the real views, with real
threads: on the default SQLite (a database file, in a fresh process that reads the real settings: WAL, IMMEDIATE
transactions, a busy timeout) and on PostgreSQL. Every member is saved; one sub-branch is created and the other
three get a Chinese form error (the unique code: the form's check passed for all four, the database refused three).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from organizations.models import Member, Organization
from tests.trust.concurrent_writes import MEMBERS, SAME_CODE, SUB_BRANCH_CODE, storm

ROOT = Path(__file__).resolve().parents[2]


def check(result: dict) -> None:
    assert result["members"] == [302] * MEMBERS, result["members"]
    codes = result["codes"]
    statuses = sorted(status for status, _ in codes)
    assert statuses == [200] * (SAME_CODE - 1) + [302], codes
    for status, page in codes:
        if status == 200:
            errors = re.findall(r'<ul class="errorlist[^>]*>(.*?)</ul>', page, re.S)
            # the form's check, the service's unique check or the database's constraint: a Chinese form error
            assert any("组织代码" in e and ("已被使用" in e or "已存在" in e) for e in errors), errors


@pytest.mark.django_db(transaction=True)
def test_sqlite_file_database_takes_simultaneous_writes(tree, users, tmp_path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite configuration is tested on SQLite")
    # given: the test database (tree and users committed) copied to a file, as `make run` serves one
    connection.ensure_connection()
    target = sqlite3.connect(tmp_path / "partybuild.sqlite3")
    connection.connection.backup(target)
    target.close()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(PARTYBUILD_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="partybuild.settings_test")
    # when: the storm runs in a fresh process with the project's SQLite settings
    args = [sys.executable, "-m", "tests.trust.concurrent_writes", str(tree.village_a1.pk), str(tree.general_a2.pk)]
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    # then: no 500, every member saved, one sub-branch
    check(json.loads(done.stdout.strip().splitlines()[-1]))
    saved = sqlite3.connect(tmp_path / "partybuild.sqlite3")
    assert saved.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    table = Member._meta.db_table
    assert saved.execute(f"SELECT count(*) FROM {table} WHERE name LIKE '并发%'").fetchone()[0] == MEMBERS  # noqa: S608


@pytest.mark.django_db(transaction=True)
def test_postgresql_takes_simultaneous_writes(tree, users) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions on PostgreSQL")
    check(storm(tree.village_a1.pk, tree.general_a2.pk))
    assert Member.objects.filter(name__startswith="并发").count() == MEMBERS
    assert Organization.objects.filter(code=SUB_BRANCH_CODE).count() == 1
