"""The daily reminder of a missing year-end written report (source part 1 §三(三)1): the rule at its edges (nothing
up to the cut-off day, every day after it until the report is filed, overdue past the district's re-grade date), and
its delivery (who hears of it and where the link goes, once a day, nothing once filed or for a case accepted in time).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from rectification.models import Case
from rectification.rules import yearend as yearend_rules
from rectification.services import cases as case_services
from rectification.services.reminders import reminders_due, reminders_send
from rectification.services.yearend import yearend_report_submit
from tests.rectification.test_pages import open_weak_case
from tests.rectification.test_regrade_link import close

pytestmark = pytest.mark.django_db

CUTOFF = date(2026, 12, 10)  # the 2026 campaign's regrade_request_due: 12月10日前 申请复核 (part 1 §三(三)1)
DEADLINE = date(2026, 12, 20)  # its regrade_due: 12月20日前 区委组织部重新评级 (§三(三)2)
FIRST_DAY = CUTOFF + timedelta(days=1)
TITLE = "【整顿不力书面报告】东风村党支部2026年底未报送"
DISTRICT_TITLE = "【整顿提醒】全区年底整顿不力书面报告未报送情况"


# --- The rule -------------------------------------------------------------------------------------------------


def remind(today: date, *, filed: bool = False) -> yearend_rules.YearEndReportReminder | None:
    return yearend_rules.yearend_report_reminder(year=2026, cutoff=CUTOFF, deadline=DEADLINE, filed=filed, today=today)


@pytest.mark.parametrize(
    ("today", "days_left"),
    [
        (date(2026, 11, 30), None),  # long before
        (CUTOFF - timedelta(days=1), None),  # the day before the cut-off
        (CUTOFF, None),  # the cut-off day itself: the case may still be accepted today
        (FIRST_DAY, 9),  # day 1 of the window (D1): the first reminder
        (DEADLINE - timedelta(days=1), 1),
        (DEADLINE, 0),  # the deadline day: still on time
        (DEADLINE + timedelta(days=1), -1),  # overdue from the next day, and reminded on
        (date(2027, 3, 1), -71),
    ],
)
def test_rule_window_and_deadline(today, days_left):
    found = remind(today)
    assert (found.days_left if found else None) == days_left
    if found is not None:
        assert found.year == 2026 and found.deadline == DEADLINE and found.overdue == (days_left < 0)


@pytest.mark.parametrize("today", [FIRST_DAY, DEADLINE, DEADLINE + timedelta(days=30)])
def test_rule_nothing_once_filed(today):
    assert remind(today, filed=True) is None


# --- Delivery -------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def owing(users, tree, campaign) -> Case:
    """Village A1's 软弱涣散 case, open since May: still not accepted on the 2026 cut-off."""
    case = open_weak_case(users.ds, tree.village_a1)
    Case.objects.filter(pk=case.pk).update(opened_on=date(2026, 5, 1))
    return Case.objects.get(pk=case.pk)


def report_reminders(user=None):
    rows = Notification.objects.filter(title__in=[TITLE, DISTRICT_TITLE])
    return rows.filter(recipient=user) if user is not None else rows


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("书面报告.pdf", b"%PDF-1.4 report", content_type="application/pdf")


def test_nothing_up_to_the_cut_off(users, owing):
    reminders_send(today=CUTOFF)
    assert not report_reminders().exists()


def test_who_hears_of_it_and_where_the_link_goes(users, owing, mailoutbox, django_capture_on_commit_callbacks):
    users.ts_a.email = "ts@example.com"
    users.ts_a.save()

    with django_capture_on_commit_callbacks(execute=True):  # the mail is a delivery, sent once the reminders commit
        reminders_send(today=FIRST_DAY)

    upload = reverse("rectification:yearend_report", args=[owing.pk])
    detail = reverse("rectification:case_detail", args=[owing.pk])
    # the township, who files it, goes to the upload page; the branch secretary to the case
    (to_township,) = report_reminders(users.ts_a)
    assert to_township.title == TITLE and to_township.url == upload
    assert (
        "2026年12月10日" in to_township.body and "2026年12月20日" in to_township.body and "还有9天" in to_township.body
    )
    (to_secretary,) = report_reminders(users.sec_a1)
    assert to_secretary.title == TITLE and to_secretary.url == detail
    # the district: one line for the whole district, to its board
    (to_district,) = report_reminders(users.ds)
    assert to_district.title == DISTRICT_TITLE and to_district.url == reverse("rectification:district_board")
    assert "东风村党支部(2026年底)" in to_district.body
    # nobody outside the organization's line
    for outsider in (users.ts_b, users.sec_b1, users.liaison, users.viewer_a, users.nobody):
        assert not report_reminders(outsider).exists()
    assert any(m.to == ["ts@example.com"] and m.subject == TITLE for m in mailoutbox)


def test_once_a_day_then_again_the_next_day(users, owing):
    reminders_send(today=FIRST_DAY)
    first = report_reminders().count()
    assert first == 3  # secretary, township, district

    reminders_send(today=FIRST_DAY)  # the task runs again the same day
    assert report_reminders().count() == first

    # the next day (the notifications were created yesterday): reminded again, once
    Notification.objects.update(created_at=timezone.now() - timedelta(days=1))
    reminders_send(today=FIRST_DAY + timedelta(days=1))
    assert report_reminders().count() == 2 * first


def test_overdue_past_the_districts_regrade_date(users, owing):
    (reminder,) = [
        r for r in reminders_due(DEADLINE + timedelta(days=3)) if r.recipient == users.ts_a and r.title == TITLE
    ]
    assert "已过3天" in reminder.body
    (on_the_day,) = [r for r in reminders_due(DEADLINE) if r.recipient == users.ts_a and r.title == TITLE]
    assert "今天" in on_the_day.body


def test_nothing_once_the_report_is_filed(users, owing):
    yearend_report_submit(actor=users.ts_a, case=owing, upload=pdf(), today=FIRST_DAY)

    for day in (FIRST_DAY, DEADLINE, DEADLINE + timedelta(days=10)):
        titles = {r.title for r in reminders_due(day)}
        assert TITLE not in titles and DISTRICT_TITLE not in titles


def test_nothing_for_a_case_accepted_before_the_cut_off(users, owing):
    close(users.ts_a, owing, users.ds, held_on=date(2026, 12, 1))
    assert not [r for r in reminders_due(FIRST_DAY) if r.title in (TITLE, DISTRICT_TITLE)]


def test_a_case_accepted_after_the_cut_off_still_owes_it(users, owing):
    close(users.ts_a, owing, users.ds, held_on=date(2026, 12, 15))
    titles = {r.title for r in reminders_due(date(2026, 12, 16))}
    assert TITLE in titles and DISTRICT_TITLE in titles


def test_nothing_for_a_lagging_case(users, tree, campaign):
    case_services.category_set_by_hand(
        actor=users.ds, organization=tree.branch_a21, year=2026, category="lagging", reason="测试"
    )
    case_services.case_open_by_hand(
        actor=users.ts_a, organization=tree.branch_a21, year=2026, reason="后进支部整顿", opened_on=date(2026, 5, 1)
    )
    assert not [r for r in reminders_due(FIRST_DAY) if "整顿不力书面报告" in r.title]
