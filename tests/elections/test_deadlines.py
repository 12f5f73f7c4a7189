"""A candidate notice whose window reaches a year whose holidays are not entered (RULES D3): published with a
Monday–Friday end marked 暂定 wherever it is shown, never a 500, and computed again (one audit event each) when the
district enters the year (``elections.services.notices.recompute_provisional`` through ``core.provisional``)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from core.calendar_services import calendar_year_enter, holiday_set
from core.models import CalendarYear, Event, Holiday
from core.workdays import invalidate_calendar_cache
from elections.models import CandidateNotice, ListStage
from elections.services.candidates import candidates_promote
from elections.services.notices import notice_publish
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


def test_a_notice_crossing_into_an_unentered_year_gets_a_provisional_end(final_list, users):
    """D3: 2026-12-28 + 7 working days with 2027 unentered → Monday–Friday: 12-29, 12-30, 12-31, 01-01, 01-04, 01-05,
    01-06 → ends 2027-01-06 (暂定); before, the notice was refused."""
    _forget_2027()
    with time_machine.travel(DEC_28, tick=False):
        client = client_for(users.sec_a1)
        response = client.post(
            f"/elections/projects/{final_list.pk}/candidates/", {"action": "notice", "working_days": "7"}
        )
        assert response.status_code == 302
        notice = CandidateNotice.objects.get(project=final_list)
        assert (notice.ends_on, notice.ends_on_provisional) == (date(2027, 1, 6), True)
        page = client.get(f"/elections/projects/{final_list.pk}/candidates/").content.decode()
        assert "暂定" in page and "2027年的法定节假日和调休安排尚未录入" in page
        public = Client().get(f"/public/elections/notices/{notice.pk}/").content.decode()
        assert "暂定" in public
        assert Event.objects.filter(verb="election.notice", summary__contains="2027-01-06(暂定)").exists()


def test_entering_the_year_recomputes_the_provisional_end_with_one_event(final_list, users):
    """D3: once 2027 is entered with 01-01 off, the 暂定 end moves to 2027-01-07 and is no longer 暂定."""
    _forget_2027()
    with time_machine.travel(DEC_28, tick=False):
        notice_publish(actor=users.sec_a1, project=final_list, starts_on=date(2026, 12, 28), working_days=7)
        calendar_year_enter(actor=users.ds, year=2027, days=[(date(2027, 1, 1), False, "元旦")])
    notice = CandidateNotice.objects.get(project=final_list)
    assert (notice.ends_on, notice.ends_on_provisional) == (date(2027, 1, 7), False)
    events = Event.objects.filter(verb="election.notice_recompute")
    assert events.count() == 1 and "2027-01-06(暂定)" in events.get().summary
    assert "2027-01-07" in events.get().summary and events.get().org_path == final_list.organization.path
    holiday_set(actor=users.ds, day=date(2027, 2, 1), is_workday=False, name="测试")  # nothing 暂定 is left
    assert Event.objects.filter(verb="election.notice_recompute").count() == 1


def test_a_provisional_end_that_stays_provisional_is_not_rewritten(final_list, users):
    """D3: entering 2027 does not touch a notice reaching 2028 whose end stays the same Monday–Friday estimate."""
    Holiday.objects.filter(date__year__gte=2028).delete()
    CalendarYear.objects.filter(year__gte=2028).delete()
    invalidate_calendar_cache()
    with time_machine.travel(datetime(2027, 12, 28, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        notice_publish(actor=users.sec_a1, project=final_list, starts_on=date(2027, 12, 28), working_days=5)
    notice = CandidateNotice.objects.get(project=final_list)
    assert notice.ends_on_provisional
    calendar_year_enter(actor=users.ds, year=2029, days=[(date(2029, 1, 1), False, "元旦")])
    assert not Event.objects.filter(verb="election.notice_recompute").exists()


def test_the_same_notice_inside_an_entered_year_is_published(final_list, users):
    with time_machine.travel(DEC_28, tick=False):
        client = client_for(users.sec_a1)
        response = client.post(
            f"/elections/projects/{final_list.pk}/candidates/", {"action": "notice", "working_days": "5"}
        )
    assert response.status_code == 302
    assert CandidateNotice.objects.get(project=final_list).ends_on.year == 2027
