"""Fixtures of the rectification tests: final grades produced through grading's own services (the event fires
after commit, as in production), and a case ready for its ledger."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from grading.models import Assessment, Campaign, Item, RegradeDirection, RegradeRequest
from grading.services import campaigns as grading_services
from grading.services.assessments import self_assessment_save, township_scores_save
from grading.services.notices import notice_publish
from grading.services.workflow import Action, catch_up, transition
from tests.calendar_support import seed_test_calendar

# Share of each item's maximum that gives the wanted grade on the 100-point template (C1).
SHARE_FOR_GRADE = {
    "good": Decimal("0.95"),
    "fairly_good": Decimal("0.85"),
    "average": Decimal("0.7"),
    "poor": Decimal("0.5"),
}


@pytest.fixture
def root_user(db):
    from tests.factories import UserFactory

    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def campaign(users, tree) -> Campaign:
    seed_test_calendar(2026)
    c = grading_services.campaign_create(actor=users.ds, year=2026)
    return grading_services.campaign_open(actor=users.ds, campaign=c)


def _submit(actor, a: Assessment) -> Assessment:
    items = Item.objects.filter(dimension__template=a.template, is_veto=False)
    a = self_assessment_save(
        actor=actor,
        assessment=a,
        expected_version=a.version,
        report={f: "内容" for f in ("basic_situation", "self_building", "role_played", "problems", "measures")},
        meeting={"held_on": date(2026, 3, 20), "place": "村委会"},
        tally={"member": {"attendees": 10, "good": 6, "fairly_good": 3, "average": 1, "poor": 0}},
        item_scores={i.pk: (i.max_points, "") for i in items},
        committee={
            "self_grade": "good",
            "committee_met_on": date(2026, 3, 25),
            "committee_for": 5,
            "committee_against": 0,
            "committee_abstain": 0,
        },
    )
    return transition(actor=actor, assessment=a, action=Action.SUBMIT)


@pytest.fixture
def finalize(campaign, root_user, django_capture_on_commit_callbacks) -> Callable[[dict], dict]:
    """``finalize({org: "poor", ...})``: drive each organization to that final grade; returns their assessments."""

    def run(wanted: dict) -> dict:
        by_township: dict[str, list[Assessment]] = {}
        for org, grade in wanted.items():
            a = Assessment.objects.select_related("organization").get(campaign=campaign, organization=org)
            a = _submit(root_user, a)
            items = Item.objects.filter(dimension__template=a.template, is_veto=False)
            share = SHARE_FOR_GRADE[grade]
            a = township_scores_save(
                actor=root_user,
                assessment=a,
                expected_version=a.version,
                item_scores={i.pk: ((i.max_points * share).quantize(Decimal("0.1")), "") for i in items},
            )
            a = transition(actor=root_user, assessment=a, action=Action.SCORE)
            by_township.setdefault(a.organization.township_path(), []).append(a)
        from organizations.models import Organization

        for township_path, assessments in by_township.items():
            notice_publish(
                actor=root_user,
                campaign=campaign,
                township=Organization.objects.get(path=township_path),
                assessments=assessments,
                published_on=date(2026, 4, 5),
                cap_reason="测试",
            )
        catch_up(today=date(2026, 4, 20))
        for assessments in by_township.values():
            for a in assessments:
                a = transition(
                    actor=root_user, assessment=Assessment.objects.get(pk=a.pk), action=Action.SUBMIT_TO_DISTRICT
                )
                transition(actor=root_user, assessment=a, action=Action.APPROVE, today=date(2026, 4, 21))
        with django_capture_on_commit_callbacks(execute=True):
            catch_up(today=date(2026, 5, 10))
        return {org: Assessment.objects.get(campaign=campaign, organization=org) for org in wanted}

    return run


@pytest.fixture
def regrade(root_user, django_capture_on_commit_callbacks) -> Callable[[Assessment, str], Assessment]:
    """The year-end re-grade of a final assessment to ``grade`` (township asks, district decides)."""

    def run(a: Assessment, grade: str) -> Assessment:
        request = RegradeRequest.objects.create(
            assessment=a, direction=RegradeDirection.UP, reason="整顿验收通过", requested_by=root_user
        )
        a = transition(actor=root_user, assessment=a, action=Action.REQUEST_REGRADE, request=request)
        with django_capture_on_commit_callbacks(execute=True):
            a = transition(
                actor=root_user, assessment=a, action=Action.REGRADE, grade=grade, note="复核定级", request=request
            )
        return a

    return run
