"""Re-grade requests filed because a rectification was accepted
(grading.services.yearend.regrade_request_from_rectification): through the workflow, past the 10 Dec deadline,
idempotent, never widening the actor's own rights."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import Event
from grading.models import Assessment, AssessmentStatus, RegradeRequest
from grading.services import yearend
from organizations.roles import Perm
from organizations.scope import can
from tests.grading import test_district_pages as pages
from tests.grading.test_yearend import final

campaign = pages.campaign
sec_all = pages.sec_all

S = AssessmentStatus


def test_district_files_past_the_deadline_through_the_workflow(campaign, users, tree, sec_all, monkeypatch) -> None:
    from django.utils import timezone

    # given: a final 较好 and a date after the township's deadline (10 Dec)
    a = final(campaign, users, sec_all, tree.village_a1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 12, 15))
    # when
    req = yearend.regrade_request_from_rectification(assessment=a, reason="验收意见:整改到位", actor=users.ds)
    # then
    a.refresh_from_db()
    assert a.status == S.REGRADE_REQUESTED
    assert req.direction == "up" and req.reason == "整顿验收通过:验收意见:整改到位" and req.requested_by == users.ds
    assert yearend.is_from_rectification(req) and not yearend.written_report_missing(req)
    event = Event.objects.get(verb="grading.request_regrade", target_id=str(a.pk))
    assert event.actor == users.ds and "整顿验收通过" in event.summary
    # the district's own rights are not widened
    assert not can(users.ds, Perm.REQUEST_REGRADE, tree.village_a1)


def test_filing_twice_returns_the_pending_request(campaign, users, tree, sec_all) -> None:
    a = final(campaign, users, sec_all, tree.village_a1)
    first = yearend.regrade_request_from_rectification(assessment=a, reason="整顿验收通过", actor=users.ds)
    again = yearend.regrade_request_from_rectification(assessment=a, reason="整顿验收通过", actor=users.ds)
    assert first == again and RegradeRequest.objects.filter(assessment=a).count() == 1


def test_nothing_to_file_for_good_or_unfinished(campaign, users, tree, sec_all) -> None:
    good = final(campaign, users, sec_all, tree.village_a1, "0.95")
    with pytest.raises(ValidationError, match="不能再申请提档升级"):
        yearend.regrade_request_from_rectification(assessment=good, reason="x", actor=users.ds)
    draft = Assessment.objects.get(campaign=campaign, organization=tree.community_b1)
    with pytest.raises(ValidationError, match="等次确定后"):
        yearend.regrade_request_from_rectification(assessment=draft, reason="x", actor=users.ds)
    with pytest.raises(ValidationError, match="0至100分"):
        a = final(campaign, users, sec_all, tree.branch_a21)
        yearend.regrade_request_from_rectification(
            assessment=a, reason="x", actor=users.ds, proposed_score=Decimal("101")
        )
    assert not RegradeRequest.objects.exists()


@pytest.mark.parametrize("who", ["sec_a1", "ts_b", "liaison", "viewer_a", "nobody"])
def test_only_the_accepting_officers_may_file(campaign, users, tree, sec_all, who) -> None:
    a = final(campaign, users, sec_all, tree.village_a1)
    with pytest.raises(PermissionDenied):
        yearend.regrade_request_from_rectification(assessment=a, reason="x", actor=getattr(users, who))
    assert Assessment.objects.get(pk=a.pk).status == S.FINAL and not RegradeRequest.objects.exists()


def test_township_may_file_for_its_own(campaign, users, tree, sec_all) -> None:
    a = final(campaign, users, sec_all, tree.village_a1)
    req = yearend.regrade_request_from_rectification(assessment=a, reason="x", actor=users.ts_a)
    assert req.assessment.pk == a.pk and Assessment.objects.get(pk=a.pk).status == S.REGRADE_REQUESTED
