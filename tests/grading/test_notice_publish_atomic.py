"""Publishing a notice is one transaction: if one organization of the batch cannot be moved (another tab changed it a
moment earlier), no notice is left behind and no other organization of the batch is published."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from grading.models import Assessment, AssessmentStatus, Notice
from grading.services import notices
from grading.services.workflow import Action, transition
from tests.grading.test_district_pages import campaign, sec_all  # noqa: F401  (fixtures)
from tests.grading.test_township_pages import a_of
from tests.grading.test_workflow import fill_and_submit, score


def test_a_refused_organization_leaves_no_notice_and_publishes_nobody(campaign, users, tree, sec_all, monkeypatch):  # noqa: F811
    batch = []
    for org in (tree.village_a1, tree.branch_a21):
        a = fill_and_submit(sec_all, a_of(campaign, org))
        batch.append(
            transition(actor=users.ts_a, assessment=score(users.ts_a, a, Decimal("0.85")), action=Action.SCORE)
        )

    moved = []

    def second_refused(*, actor, assessment, action, **kwargs):
        if moved:
            raise ValidationError("该材料已被他人修改")
        moved.append(assessment.pk)
        return transition(actor=actor, assessment=assessment, action=action, **kwargs)

    monkeypatch.setattr(notices, "transition", second_refused)
    with pytest.raises(ValidationError):
        notices.notice_publish(
            actor=users.ts_a, campaign=campaign, township=tree.township_a, assessments=batch, cap_reason="测试"
        )
    assert not Notice.objects.exists()
    assert set(Assessment.objects.filter(pk__in=[a.pk for a in batch]).values_list("status", flat=True)) == {
        AssessmentStatus.SCORED
    }
