"""Scoped reads: visible cases, overdue measures, stalled cases and the board (constant query count)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grading.rules.grades import Category
from organizations.models import OrgField, OrgKind
from organizations.services import tree as org_services
from rectification.models import Case, ProgressNote
from rectification.selectors import boards as board_selectors
from rectification.selectors import cases as case_selectors
from rectification.selectors import management as management_selectors
from rectification.services import cases as case_services
from rectification.services import ledger as ledger_services
from rectification.services import progress as progress_services

pytestmark = pytest.mark.django_db

OPENED = date(2026, 5, 12)


def weak_case_for(users, org) -> Case:
    case_services.category_set_by_hand(
        actor=users.ds, organization=org, year=2026, category=Category.WEAK, reason="测试", since=OPENED
    )
    return Case.objects.get(organization=org)


def add_measures(users, case: Case, deadlines: list[date], budget: str = "5", spent: str = "1"):
    problem = ledger_services.problem_create(
        actor=users.ds, case=case, category="poor_service", source="forum", description="群众意见大"
    )
    return [
        ledger_services.measure_create(
            actor=users.ds,
            problem=problem,
            text=f"措施{i}",
            responsible="张三",
            deadline=d,
            budget=Decimal(budget),
            spent=Decimal(spent),
        )
        for i, d in enumerate(deadlines)
    ]


def test_visible_cases_follow_scope(users, tree):
    a1 = weak_case_for(users, tree.village_a1)
    b1 = weak_case_for(users, tree.community_b1)
    assert set(case_selectors.cases_visible_to(users.ds)) == {a1, b1}
    assert list(case_selectors.cases_visible_to(users.ts_a)) == [a1]
    assert list(case_selectors.cases_visible_to(users.sec_b1)) == [b1]
    assert list(case_selectors.cases_visible_to(users.liaison)) == [b1]
    assert list(case_selectors.cases_visible_to(users.nobody)) == []


def test_overdue_measures(users, tree):
    case = weak_case_for(users, tree.village_a1)
    late, on_time, done = add_measures(users, case, [date(2026, 6, 30), date(2026, 7, 31), date(2026, 6, 1)])
    ledger_services.measure_update(actor=users.ds, measure=done, status="done")
    # the deadline day itself is not overdue; the day after is (calendar dates, no working days)
    assert list(case_selectors.overdue_measures(users.ts_a, date(2026, 6, 30))) == []
    assert list(case_selectors.overdue_measures(users.ts_a, date(2026, 7, 1))) == [late]
    assert list(case_selectors.overdue_measures(users.ts_b, date(2026, 7, 1))) == []
    assert set(case_selectors.overdue_measures(users.ds, date(2026, 8, 1))) == {late, on_time}


def test_stalled_cases(users, tree):
    quiet = weak_case_for(users, tree.village_a1)
    active = weak_case_for(users, tree.community_b1)
    # no note at all: counted from the opening day
    assert set(case_selectors.stalled_cases(users.ds, OPENED + timedelta(days=30))) == set()
    assert set(case_selectors.stalled_cases(users.ds, OPENED + timedelta(days=31))) == {quiet, active}
    note = progress_services.progress_note_add(actor=users.sec_b1, case=active, text="召开民主生活会")
    # the note was written on 1 June (10:00 in Beijing)
    ProgressNote.objects.filter(pk=note.pk).update(at=timezone.make_aware(datetime(2026, 6, 1, 10, 0)))
    noted_on = date(2026, 6, 1)
    assert list(case_selectors.stalled_cases(users.ds, noted_on + timedelta(days=30))) == [quiet]
    assert set(case_selectors.stalled_cases(users.ds, noted_on + timedelta(days=31))) == {quiet, active}
    assert list(case_selectors.stalled_cases(users.ts_b, noted_on + timedelta(days=31))) == [active]


def test_board_rows(users, tree):
    a1 = weak_case_for(users, tree.village_a1)
    b1 = weak_case_for(users, tree.community_b1)
    m1, _ = add_measures(users, a1, [date(2026, 6, 1), date(2026, 12, 1)], budget="10", spent="4")
    ledger_services.measure_update(actor=users.ds, measure=m1, percent=50)
    add_measures(users, b1, [date(2026, 12, 1)], budget="3.5", spent="0")
    rows = board_selectors.board_rows(users.ds, date(2026, 7, 1))
    # overdue first
    assert [r.case for r in rows] == [a1, b1]
    first = rows[0]
    assert (first.overdue, first.measures, first.progress) == (1, 2, 25)
    assert (first.budget_planned, first.budget_spent) == (Decimal("20.00"), Decimal("8.00"))
    assert first.days_open == 50 and first.phase_label == "查摆问题" and first.stalled
    assert rows[1].budget_planned == Decimal("3.50") and rows[1].overdue == 0
    assert [r.case for r in board_selectors.board_rows(users.ts_b, date(2026, 7, 1))] == [b1]
    assert [
        r.case for r in board_selectors.board_rows(users.ds, date(2026, 7, 1), township_path=tree.township_a.path)
    ] == [a1]
    assert case_selectors.case_progress(users.ds, a1) == first.progress


def _make_cases(users, tree, n: int, start: int) -> None:
    for i in range(start, start + n):
        org = org_services.organization_create(
            actor=None,
            parent=tree.township_a,
            code=f"T01-9{i:02d}",
            name=f"测试村{i}党支部",
            kind=OrgKind.BRANCH,
            field=OrgField.RURAL,
            check_permission=False,
        )
        case = weak_case_for(users, org)
        add_measures(users, case, [date(2026, 6, 1), date(2026, 12, 1)])
        progress_services.progress_note_add(actor=users.ds, case=case, text="推进中")


def test_board_query_count_is_constant(users, tree):
    def count() -> int:
        users.ds.__dict__.pop("_partybuild_grants", None)
        with CaptureQueriesContext(connection) as ctx:
            rows = board_selectors.board_rows(users.ds, date(2026, 7, 1))
            [(r.case.organization.name, r.overdue, r.budget_spent, r.progress) for r in rows]
        return len(ctx.captured_queries), len(rows)

    _make_cases(users, tree, 2, 0)
    small, n_small = count()
    _make_cases(users, tree, 8, 10)
    large, n_large = count()
    assert (n_small, n_large) == (2, 10)
    assert small == large <= 3


def test_current_categories_are_the_latest_rows(users, tree):
    case_services.category_set_by_hand(
        actor=users.ds, organization=tree.village_a1, year=2026, category="lagging", reason="x"
    )
    case_services.category_set_by_hand(
        actor=users.ds, organization=tree.village_a1, year=2026, category="catch_up", reason="y"
    )
    case_services.category_set_by_hand(
        actor=users.ds, organization=tree.community_b1, year=2026, category="red_flag", reason="z"
    )
    rows = management_selectors.current_categories(users.ds)
    assert [(r.organization.code, r.category) for r in rows] == [("T01-001", "catch_up"), ("T02-001", "red_flag")]
    assert [r.organization.code for r in management_selectors.current_categories(users.ts_a)] == ["T01-001"]
