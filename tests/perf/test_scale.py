"""The scale dataset at a small size: exact counts, every graded organization finished, 较差 → open cases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from elections.models import ElectionProject, Step, Voter
from grading.models import Assessment, AssessmentStatus, Campaign, CampaignStatus, ItemScore
from organizations.demo.plan import REFERENCE_DATE
from organizations.models import CommitteeTerm, Organization
from rectification.models import Case, GradeApplication
from scale.builder import ELECTION_WINDOW_DAYS, FINISHED_YEAR, OPEN_YEAR, ScaleError, build_scale, township_count
from tests.grading.test_documents_summary_fast import shares_by_rules, stored_shares


@pytest.mark.django_db
def test_build_scale_small():
    s = build_scale(orgs=40)
    assert s.created and s.orgs == 40 and s.townships == township_count(40) == 3
    assert Organization.objects.filter(is_graded=True).count() == 40
    assert 40 * 15 <= s.members <= 40 * 45
    finished = Campaign.objects.get(year=FINISHED_YEAR)
    assert finished.status == CampaignStatus.CLOSED
    assert Assessment.objects.filter(campaign=finished, status=AssessmentStatus.FINAL).count() == 40
    assert ItemScore.objects.filter(assessment__campaign=finished).count() == s.item_scores > 0
    assert stored_shares(finished) == shares_by_rules(finished) and len(stored_shares(finished)) == 40
    assert GradeApplication.objects.count() == 40
    poor = Assessment.objects.filter(campaign=finished, final_grade="poor").count()
    assert Case.objects.count() == poor
    opened = Campaign.objects.get(year=OPEN_YEAR)
    assert opened.status == CampaignStatus.OPEN
    assert Assessment.objects.filter(campaign=opened, status=AssessmentStatus.DRAFT).count() == 40
    # elections: a project for every term ending within half a year (or ended), 32 steps each, rolls from 部署启动 on
    soon = REFERENCE_DATE + timedelta(days=ELECTION_WINDOW_DAYS)
    expiring = CommitteeTerm.objects.filter(ends_on__lte=soon).count()
    assert ElectionProject.objects.count() == expiring > 0
    assert Step.objects.count() == 32 * expiring
    for p in ElectionProject.objects.select_related("organization"):
        assert p.term.organization_id == p.organization_id and p.township.depth == 2
        if p.status != "preparing":
            assert Voter.objects.filter(project=p).count() > 0
    assert "election projects" in s.elections
    # the same size again changes nothing; another size refuses
    assert build_scale(orgs=40).created is False
    with pytest.raises(ScaleError):
        build_scale(orgs=41)


@pytest.mark.django_db
def test_load_scale_refuses_a_database_with_other_data(tree):
    with pytest.raises(CommandError, match="DATABASE_URL"):
        call_command("load_scale", "--orgs", "10")
