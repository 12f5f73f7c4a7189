"""A weak organization's rectification (issue 16 deliver 6): its case page shows the same compliance matrix, and a
measure tied to a kind's compliance ("每月按时召开支委会") shows its progress from the records; rectification imports
nothing of meetings (rectification.events)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from meetings.services.meetings import meeting_record
from organizations.models import Organization
from rectification.models import Case, Measure, Problem
from rectification.services.ledger import measure_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("written_on")]


def test_the_case_page_shows_the_matrix_and_a_tied_measures_progress(tree, users, members) -> None:
    Organization.objects.filter(pk=tree.village_a1.pk).update(established_on=date(2010, 1, 1))
    case = Case.objects.create(
        organization=tree.village_a1,
        year=2026,
        category="weak",
        source="hand",
        opened_on=date(2026, 5, 1),
        reason="测试",
    )
    problem = Problem.objects.create(
        case=case, category="system_nominal", source="self_check", description="三会一课不落实"
    )
    measure = measure_create(
        actor=users.ts_a,
        problem=problem,
        text="每月按时召开支委会",
        responsible="书记",
        deadline=date(2026, 12, 31),
        tracks="meetings:committee",
    )
    with pytest.raises(ValidationError):
        measure_create(
            actor=users.ts_a, problem=problem, text="x", responsible="y", deadline=date(2026, 12, 31), tracks="nope"
        )
    for month in (9, 10):
        meeting_record(
            actor=users.sec_a1,
            organization=tree.village_a1,
            values={"kind": "committee", "held_on": date(2026, month, 6), "topic": "支委会"},
            marks={},
        )
    c = Client()
    c.force_login(users.ts_a)
    page = c.get(reverse("rectification:case_detail", args=[case.pk])).content.decode()
    assert "组织生活落实情况" in page and "mt-matrix" in page
    assert "系统记录:2026年支部委员会已召开2次,已到期10期中达标2期" in page
    form = c.get(reverse("rectification:measure_edit", args=[measure.pk])).content.decode()
    assert "按要求召开支部委员会(每月1次)" in form
    assert Measure.objects.get(pk=measure.pk).tracks == "meetings:committee"
