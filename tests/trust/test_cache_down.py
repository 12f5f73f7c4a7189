"""A missing cache is a slower page, never an error (issue 12 §3).

The cache is pointed at a Redis address where nothing listens (a port bound and released): every cache call raises
``redis.ConnectionError`` there. The district review page, the district's approval (a working-day objection window),
a calendar edit (which forgets the cached calendar) and the working-day arithmetic still answer; and no module of the
project talks to ``django.core.cache`` except ``core.safe_cache``, so a new cache call cannot skip the guard.
"""

from __future__ import annotations

import ast
import socket
from datetime import date
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from core import workdays
from core.calendar_services import calendar_year_enter
from grading.models import Assessment, AssessmentStatus
from grading.services import campaigns as grading_services
from organizations.roles import Role
from tests.calendar_support import seed_test_calendar
from tests.grading.test_district_pages import to_district

pytestmark = pytest.mark.usefixtures("written_on")

ROOT = Path(__file__).resolve().parents[2]
APPS = ("partybuild", "organizations", "grading", "rectification", "elections")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    # given: the cache really is unreachable
    with pytest.raises(Exception, match="(?i)connect"):
        cache.get("anything")


def test_district_review_and_approval_without_cache(redis_down, users, tree) -> None:
    from organizations.services.grants import role_grant
    from tests.factories import UserFactory

    seed_test_calendar(2026)
    campaign = grading_services.campaign_open(
        actor=users.ds, campaign=grading_services.campaign_create(actor=users.ds, year=2026)
    )
    sec = UserFactory(username="sec_all")
    role_grant(actor=None, user=sec, organization=tree.district, role=Role.BRANCH_SECRETARY)
    (a,) = to_district(campaign, users, sec, [tree.village_a1], ["0.85"])
    client = Client()
    client.force_login(users.ds)
    url = reverse("grading:district_review", args=[campaign.pk])
    # when: the page is read and the approval (which counts the objection window in working days) is posted
    page = client.get(url)
    assert page.status_code == 200 and "东风村党支部" in page.content.decode()
    response = client.post(url, {"township": tree.township_a.pk}, follow=True)
    # then: both answer, the approval is saved with its working-day deadline
    assert response.status_code == 200
    a = Assessment.objects.get(pk=a.pk)
    assert a.status == AssessmentStatus.APPROVED and a.objection_due is not None


def test_calendar_edit_and_working_days_without_cache(redis_down, users) -> None:
    seed_test_calendar(2026)
    # the National Day holiday: 5 working days from 28 September 2026 end after 8 October
    assert workdays.window_end(date(2026, 9, 28), 5, working_days=True) > date(2026, 10, 8)
    calendar_year_enter(actor=users.ds, year=2031, days=[(date(2031, 1, 1), False, "元旦")])
    assert not workdays.is_workday(date(2031, 1, 1)) and workdays.is_workday(date(2031, 1, 2))


def test_only_safe_cache_talks_to_the_cache() -> None:
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if path.name == "safe_cache.py" or "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.core.cache"):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
                elif isinstance(node, ast.ImportFrom) and node.module == "django.core":
                    if any(alias.name == "cache" for alias in node.names):
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
                elif isinstance(node, ast.Import) and any(a.name.startswith("django.core.cache") for a in node.names):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, "use core.safe_cache: " + ", ".join(offenders)
