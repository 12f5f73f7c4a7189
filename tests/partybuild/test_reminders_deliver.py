"""The one delivery of reminders every app's daily task uses: once per day, or once ever, and mailed (a delivery on
the e-mail channel, sent once the transaction commits: tests/partybuild/test_deliveries.py has the other channels)."""

from django.core import mail

from core.models import Notification
from core.notifications import Reminder, reminders_deliver


def test_once_per_day_and_once_ever(users, django_capture_on_commit_callbacks):
    users.ts_a.email = "ts_a@example.com"
    users.ts_a.save(update_fields=["email"])
    first = [Reminder(users.ts_a, "提醒甲", "内容", "/x/"), Reminder(users.ts_a, "提醒甲", "内容", "/x/")]
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_deliver(first) == 1  # the duplicate in one batch is delivered once
        assert reminders_deliver(first) == 0  # and not again the same day
    assert len(mail.outbox) == 1 and "请登录党建工作管理平台查看" in mail.outbox[0].body
    Notification.objects.update(created_at="2020-01-01T00:00:00+08:00")
    assert reminders_deliver(first) == 1  # a new day: per-day reminders come again
    assert reminders_deliver(first, once="ever") == 0  # once-ever ones never do
    assert reminders_deliver([Reminder(users.sec_a1, "提醒乙", "", "/")], once="ever") == 1
