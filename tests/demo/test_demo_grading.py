"""The grading demo (``load_demo_grading``, run by ``load_demo``): complete, consistent with the rules and the
services, idempotent, and with a notice open on the public page."""

from __future__ import annotations

import io
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from core.models import Event
from grading.demo import plan as demo
from grading.models import (
    Assessment,
    AssessmentStatus,
    Campaign,
    CampaignStatus,
    GradeRecord,
    ItemScore,
    Notice,
    Objection,
    ObjectionOutcome,
)
from grading.rules import counting as counting_rules
from grading.rules import grades as grade_rules
from grading.services.assessments import submission_problems, township_problems
from organizations.models import Organization
from tests.grading.test_documents_summary_fast import shares_by_rules, stored_shares

S = AssessmentStatus


@pytest.fixture(scope="module")
def built(demo_small) -> str:
    return demo_small.output


@pytest.fixture
def demo_output(built, db) -> str:
    return built


def counts() -> dict[str, int]:
    return {
        "assessments": Assessment.objects.count(),
        "scores": ItemScore.objects.count(),
        "records": GradeRecord.objects.count(),
        "notices": Notice.objects.count(),
        "objections": Objection.objects.count(),
        "events": Event.objects.count(),
        "versions": sum(Assessment.objects.values_list("version", flat=True)),
    }


def test_every_graded_organization_has_both_years(demo_output):
    graded = set(Organization.objects.filter(is_graded=True).values_list("pk", flat=True))

    for year in (demo.PREVIOUS_YEAR, demo.CURRENT_YEAR):
        assert set(Assessment.objects.filter(campaign__year=year).values_list("organization_id", flat=True)) == graded
    assert Campaign.objects.get(year=demo.PREVIOUS_YEAR).status == CampaignStatus.CLOSED
    assert Campaign.objects.get(year=demo.CURRENT_YEAR).status == CampaignStatus.OPEN
    assert "分类定级演示数据已载入" in demo_output


def test_finished_townships_are_final_and_live_ones_at_every_stage(demo_output):
    current = Assessment.objects.filter(campaign__year=demo.CURRENT_YEAR)

    assert set(Assessment.objects.filter(campaign__year=demo.PREVIOUS_YEAR).values_list("status", flat=True)) == {
        S.FINAL
    }
    t01 = current.filter(organization__code__startswith="T01-")
    assert t01.exists() and set(t01.values_list("status", flat=True)) == {S.FINAL}
    finished = current.exclude(organization__code__startswith="T11").exclude(organization__code__startswith="T12")
    assert set(finished.values_list("status", flat=True)) == {S.FINAL}
    live = set(current.filter(organization__code__regex=r"^T1[12]-").values_list("status", flat=True))
    assert {S.DRAFT, S.SUBMITTED, S.SCORED, S.IN_NOTICE, S.WITH_DISTRICT} <= live
    # every final grade has its history: the district's approval, then the final line; and the C6 flags
    for a in Assessment.objects.filter(status=S.FINAL).prefetch_related("grade_records"):
        # (a year-end re-grade adds its own line: rectification's demo re-grades one accepted case)
        stages = sorted(r.stage for r in a.grade_records.all() if r.stage != "年底复核定级")
        assert stages in (["区委组织部审定", "异议期满定级"], ["区委组织部审定", "异议复核定级"]), a
        effects = grade_rules.consequences(a.final_grade)
        assert a.nominable_as_advanced == effects.nominable_as_advanced
        assert a.secretary_promotable_next_year == effects.secretary_promotable_next_year
        assert a.committee_appraisal_cap == (effects.committee_appraisal_cap or "")
        assert a.finalized_at is not None and a.objection_due is not None
        assert a.finalized_at.date() > a.approved_at.date()


def test_rows_are_what_the_services_would_have_written(demo_output):
    for a in Assessment.objects.exclude(status__in=[S.DRAFT]).select_related("organization", "campaign"):
        # 附件1–3 complete for everything submitted, 附件4 complete for everything scored
        assert submission_problems(a) == [], a
        if a.status not in (S.SUBMITTED, S.RETURNED):
            assert township_problems(a) == [], a
    sums = {
        (row["assessment"], row["level"]): row["total"]
        for row in ItemScore.objects.values("assessment", "level").annotate(total=Sum("points"))
    }
    for a in Assessment.objects.all():
        assert a.self_score == sums.get((a.pk, "self")), a
        assert a.township_score == sums.get((a.pk, "township")), a
        if a.township_score is not None:
            band = grade_rules.grade_for_score(a.township_score, vetoed=a.township_vetoed)  # C1, C4
            assert a.township_grade == band or a.township_override_reason.strip(), a
        if a.district_grade and a.district_grade != a.township_grade:
            assert a.district_adjust_reason.strip(), a
    # objections raised during a finished notice are answered; a notice that is still open may wait for its answer
    pending = Objection.objects.filter(outcome=ObjectionOutcome.PENDING)
    assert set(pending.values_list("assessment__status", flat=True)) <= {S.IN_NOTICE}


def test_stored_good_shares_are_the_tallies(demo_output):
    expected = shares_by_rules()
    assert len(expected) > 100
    assert stored_shares() == expected


def test_good_share_within_the_cap_per_township(demo_output):
    for campaign in Campaign.objects.all():
        for township in Organization.objects.filter(depth=2):
            under = Assessment.objects.filter(campaign=campaign, organization__path__startswith=township.path)
            good = under.filter(township_grade=grade_rules.Grade.GOOD).exclude(cap_exceed_reason__gt="").count()
            final_good = under.filter(final_grade=grade_rules.Grade.GOOD).count()
            cap = counting_rules.good_cap_check(under.count(), max(good, final_good), campaign.good_cap_percent)
            assert not cap.exceeds, (campaign.year, township.code, cap)


def test_veto_is_rare_and_forces_poor(demo_output):
    vetoed = Assessment.objects.filter(township_vetoed=True)

    assert vetoed.count() <= 2
    assert set(vetoed.values_list("township_grade", flat=True)) <= {grade_rules.Grade.POOR}
    grades = Counter(Assessment.objects.exclude(final_grade="").values_list("final_grade", flat=True))
    assert grades[grade_rules.Grade.FAIRLY_GOOD] and grades[grade_rules.Grade.AVERAGE]


def test_second_run_changes_nothing(demo_output):
    before = counts()
    out = io.StringIO()

    call_command("load_demo_grading", stdout=out)

    assert "已存在,未做更改" in out.getvalue()
    assert counts() == before


def test_the_open_notice_is_public(demo_output, client):
    from django.utils import timezone

    today = timezone.localdate()
    notice = Notice.objects.get(starts_on__lte=today, ends_on__gte=today)
    assert notice.assessments.filter(status=S.IN_NOTICE).exists()

    response = client.get(f"/public/notices/{notice.pk}/")

    assert response.status_code == 200
    assert notice.title in response.content.decode()
    closed = Notice.objects.filter(ends_on__lt=today).first()
    assert client.get(f"/public/notices/{closed.pk}/").status_code == 404


def test_rectification_sees_every_final_grade(demo_output):
    rectification = pytest.importorskip("rectification.models")
    applied = rectification.GradeApplication.objects.values("assessment").annotate(n=Count("pk"))
    finals = Assessment.objects.exclude(final_grade="").count()

    assert applied.count() == finals
    assert Decimal(finals) > 0


def test_each_demo_notice_batch_has_its_own_name(demo_output):
    titles = list(Notice.objects.values_list("title", flat=True))
    assert titles and len(titles) == len(set(titles))
    assert all("批" in t for t in titles)


def test_one_township_review_has_its_evidence(demo_output):
    """第一篇 三(一)3(1): the demo's first township was checked by site visit, forum and the discipline opinion."""
    from grading.models import ReviewEvidence

    methods = set(ReviewEvidence.objects.filter(township__code="T01").values_list("method", flat=True))
    assert methods == {"site_visit", "forum", "discipline"}
