"""The beat schedule in the database is the one the code declares, right after deploying (manage.py sync_schedule)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("sync_schedule", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_after_migrate_the_schedule_is_written_and_then_checks_clean():
    PeriodicTask.objects.all().delete()
    with pytest.raises(CommandError):
        _run("--check")
    _run()
    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert {"grading-reminders", "elections-reminders", "ops.heartbeat"} <= names
    assert "与代码一致" in _run("--check")


@pytest.mark.django_db
def test_an_entry_changed_by_hand_is_found_and_put_back():
    _run()
    entry = PeriodicTask.objects.get(name="grading-reminders")
    entry.crontab = CrontabSchedule.objects.create(minute="0", hour="9", timezone="Asia/Shanghai")
    entry.save()
    with pytest.raises(CommandError):
        _run("--check")
    _run()
    assert PeriodicTask.objects.get(name="grading-reminders").crontab.hour == "8"
