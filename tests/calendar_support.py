"""The holiday calendar tests need, whatever the day they run on.

Many tests count working days from today (notices, objection windows, election steps), so the calendar must cover
last year, this year and next year, not only the year the test was written in (2026): a test run in late December
crosses into a year ``chinesecalendar`` may not know yet (1.11.0 stops at 2026). Years the package knows are seeded
from it exactly as ``seed_holidays`` does; a later year is stored as Monday–Friday working weeks without holidays,
under a source name that says so — a test assumption, never shipped data (the district enters real years in the app).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from core.calendar_services import calendar_years_ensure

WEEKENDS_ONLY = "tests:weekends-only"


def seed_test_calendar(*years: int) -> None:
    """Seed ``years`` and the years around today (last, this and next)."""
    today = timezone.localdate()
    calendar_years_ensure({*years, today.year - 1, today.year, today.year + 1}, provisional_source=WEEKENDS_ONLY)


# The day the tests about the 2026 campaign's own calendar (objection windows, the 10 December year-end) were written
# and pass on: pinned with time-machine so that they keep describing that day after it has passed.
WRITTEN_ON = datetime(2026, 11, 28, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def written_on() -> Iterator[datetime]:
    """Run the test on ``WRITTEN_ON`` (the clock still ticks from there)."""
    import time_machine

    with time_machine.travel(WRITTEN_ON, tick=True):
        yield WRITTEN_ON
