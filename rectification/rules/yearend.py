"""Rules of the year-end written report (part 1 §三(三)1–2), as pure functions (no ORM, no settings): which
year-end a case owes the report for, and when to remind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# --- The year-end written report (part 1 §三(三)1–2) -------------------------------------------------------------

# Part 1 §三(三)1 puts the report in the step due "12月10日前" (the campaign's ``regrade_request_due``): a 软弱涣散
# case not accepted by that day owes it from the next day (``due_for`` below; day 1 is the day
# after, D1). The plan gives the report no date of its own after that, and 10 Dec itself cannot be it (the report is
# owed only once that day has passed). It is wanted for the district's re-grading, §三(三)2 "12月20日前" (the
# campaign's ``regrade_due``): that is the deadline the reminder names. Past it the reminder goes on, marked overdue,
# until the report is filed (the district board lists the case as missing for as long).


@dataclass(frozen=True)
class YearEndReportReminder:
    year: int  # the year-end the report is for
    cutoff: date  # the day that decided it is owed (10 Dec)
    deadline: date  # the district's re-grade (20 Dec)
    days_left: int  # 0 on the deadline, negative once it has passed

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def yearend_report_reminder(
    *, year: int, cutoff: date, deadline: date, filed: bool, today: date
) -> YearEndReportReminder | None:
    """Whether to remind today of the written report a case owes for ``year``'s year-end (the caller has found it
    owed: a 软弱涣散 case not accepted by ``cutoff``). None before the window (up to and including the cut-off day
    itself) and once the report is filed; otherwise every day, with the days left to ``deadline``."""
    if filed or today <= cutoff:
        return None
    return YearEndReportReminder(year=year, cutoff=cutoff, deadline=deadline, days_left=(deadline - today).days)


@dataclass(frozen=True)
class YearEndDue:
    year: int
    due: date


def due_for(opened_on: date, closed_on: date | None, dues: Iterable[YearEndDue], today: date) -> YearEndDue | None:
    """The latest year-end that has passed (due < today) while the case was open (opened on or before the due date,
    not closed by it). None: no report is owed."""
    for d in sorted(dues, key=lambda d: d.due, reverse=True):
        if d.due < today and opened_on <= d.due and (closed_on is None or closed_on > d.due):
            return d
    return None
