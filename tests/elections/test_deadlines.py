"""A deadline that reaches a year whose holidays are not entered (RULES D3) is a Chinese message naming the year and
the 节假日与调休 page, with what was typed kept: never a 500."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.models import CalendarYear, Holiday
from core.workdays import invalidate_calendar_cache
from elections.models import CandidateNotice, ListStage
from elections.services.candidates import candidates_promote
from tests.elections.test_pages import client_for
from tests.elections.test_services import _nominate

pytestmark = pytest.mark.django_db

DEC_28 = datetime(2026, 12, 28, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def final_list(project, users, members):
    ids = [c.pk for c in _nominate(project, users, members["a1"])]
    for stage in (ListStage.INSPECTION, ListStage.FINAL):
        candidates_promote(actor=users.sec_a1, project=project, stage=stage, candidate_ids=ids)
    return project


def _forget_2027() -> None:
    Holiday.objects.filter(date__year__gte=2027).delete()
    CalendarYear.objects.filter(year__gte=2027).delete()
    invalidate_calendar_cache()


def test_a_notice_crossing_into_an_unentered_year_names_the_year(final_list, users):
    _forget_2027()
    with time_machine.travel(DEC_28, tick=False):
        client = client_for(users.sec_a1)
        response = client.post(
            f"/elections/projects/{final_list.pk}/candidates/", {"action": "notice", "working_days": "7"}
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert "2027年" in page and "节假日与调休" in page
    assert 'name="working_days" value="7"' in page  # what was typed is still there
    assert not CandidateNotice.objects.filter(project=final_list).exists()


def test_the_same_notice_inside_an_entered_year_is_published(final_list, users):
    with time_machine.travel(DEC_28, tick=False):
        client = client_for(users.sec_a1)
        response = client.post(
            f"/elections/projects/{final_list.pk}/candidates/", {"action": "notice", "working_days": "5"}
        )
    assert response.status_code == 302
    assert CandidateNotice.objects.get(project=final_list).ends_on.year == 2027
