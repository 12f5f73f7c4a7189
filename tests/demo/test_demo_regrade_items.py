"""The rectification demo's accepted case is re-graded at year end item by item (``ScoreLevel.REGRADE``): the
township's item scores with a few raised, the total in the next band up and equal to the final score; 附件4 shows
the 复核评分 beside the township's scores and the organization page links to the re-score page."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal

from django.urls import reverse

from core.models import Event
from grading.models import Assessment, GradeRecord, Item, ItemScore, ScoreLevel
from grading.rules import grades as grading_rules
from rectification.demo.finish import RAISED_NOTE
from rectification.models import Case
from rectification.rules.cases import Phase
from tests.demo import test_demo_finished as finished

built = finished.built
demo = finished.demo
district_client = finished.district_client


def regraded() -> Assessment:
    case = Case.objects.select_related("regrade_request").get(phase=Phase.ACCEPTED)
    return Assessment.objects.select_related("organization").get(pk=case.regrade_request.assessment_id)


def test_the_accepted_case_is_rescored_item_by_item(demo):
    a = regraded()
    items = list(Item.objects.filter(dimension__template_id=a.template_id))
    regrade = {s.item_id: s for s in ItemScore.objects.filter(assessment=a, level=ScoreLevel.REGRADE)}
    township = {s.item_id: s for s in ItemScore.objects.filter(assessment=a, level=ScoreLevel.TOWNSHIP)}
    assert set(regrade) == {i.pk for i in items}  # every item of the template, veto items not triggered
    assert not any(s.vetoed for s in regrade.values())
    total = sum((s.points for s in regrade.values() if s.points is not None), Decimal("0"))
    assert total == a.final_score
    # the final grade is the band of the re-scored total, one up from the grade before
    assert grading_rules.grade_for_score(total).value == a.final_grade
    before, after = list(GradeRecord.objects.filter(assessment=a).order_by("pk"))[-2:]
    assert after.stage == "年底复核定级" and after.score == total
    assert grading_rules.grade_order(a.final_grade) == grading_rules.grade_order(before.grade) - 1
    # a few items raised from the township's scores (never lowered), marked in their note
    raised = [pk for pk, s in regrade.items() if s.points is not None and s.points != township[pk].points]
    assert 1 <= len(raised) <= 5
    assert all(regrade[pk].points > township[pk].points and regrade[pk].note == RAISED_NOTE for pk in raised)
    event = Event.objects.get(verb="grading.regrade_score", target_id=str(a.pk))
    assert event.after["final_score"] == str(total) and len(event.after["changed"]) == len(raised)


def test_the_demo_annex4_and_org_page_show_the_regrade(demo):
    a = regraded()
    c = district_client()
    pdf = c.get(reverse("grading:annex4_pdf", args=[a.pk])).content
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True).stdout.decode())
    assert "复核评分" in text and f"复核评分总分{grading_rules.fmt(a.final_score)}分" in text
    page = c.get(reverse("organizations:org_detail", args=[a.organization_id])).content.decode()
    assert reverse("grading:regrade_score", args=[a.pk]) in page
