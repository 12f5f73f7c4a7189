"""Organizational life as the evidence of a grade (issue 16 deliver 5): beside the 附件4 items whose guidance names
the records, on the district's review, prefilled in 附件1's 自身建设情况, and in 附件4's PDF appendix."""

# ruff: noqa: F811  (the `campaign` fixture is imported from test_workflow and requested by name)
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from grading.services.workflow import Action, transition
from meetings.evidence import meetings_evidence
from meetings.services.meetings import meeting_record
from organizations.models import Organization
from tests.grading.test_documents import pdf_text
from tests.grading.test_workflow import assessment_of, campaign, fill_and_submit, score  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("written_on")]


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def records(tree, users, members):
    """Village A1 (8 members, no committee of 7? it has 8 full members): 支委会 Jan–Oct except March, one 党员大会."""
    Organization.objects.filter(pk=tree.village_a1.pk).update(established_on=date(2010, 1, 1))
    for month in (1, 2, 4, 5, 6, 7, 8, 9, 10):
        meeting_record(
            actor=users.sec_a1,
            organization=tree.village_a1,
            values={"kind": "committee", "held_on": date(2026, month, 8), "topic": f"{month}月支委会"},
            marks={},
        )
    meeting_record(
        actor=users.sec_a1,
        organization=tree.village_a1,
        values={"kind": "general_assembly", "held_on": date(2026, 2, 8), "topic": "党员大会"},
        marks={},
    )


def test_the_provider_gives_held_against_required_and_the_months_missed(tree, records) -> None:
    items = {e.label: e for e in meetings_evidence([tree.village_a1.pk], 2026)[tree.village_a1.pk]}
    committee = items["支部委员会"]
    assert committee.value == "9次(已到期应开10次)" and committee.detail == "缺3月" and committee.shortfall
    assert "支委会" in committee.keywords
    assert items["支部党员大会"].detail == "缺第二季度、第三季度"
    assert items["党员出席率"].value == "100%"
    assert committee.url.startswith(reverse("meetings:org_meetings", args=[tree.village_a1.pk]))


def test_the_township_sees_it_beside_the_three_meetings_item_and_in_the_pdf(campaign, tree, users, records) -> None:
    a = assessment_of(campaign, tree.village_a1)
    a = fill_and_submit(users.sec_a1, a)
    page = client_for(users.ts_a).get(reverse("grading:township_score", args=[a.pk])).content.decode()
    row = page[page.index("“三会一课”制度落实") :]
    row = row[: row.index("</tr>")]
    assert "支部委员会" in row and "缺3月" in row and "查看记录" in row
    party_fee = page[page.index("按时足额交纳党费") :]
    assert "支部委员会" not in party_fee[: party_fee.index("</tr>")]
    a = score(users.ts_a, a, Decimal("0.9"))
    a = transition(actor=users.ts_a, assessment=a, action=Action.SCORE)
    pdf = client_for(users.ts_a).get(reverse("grading:annex4_pdf", args=[a.pk]))
    text = pdf_text(pdf.content)
    assert "系统记录佐证" in text and "缺3月" in text


def test_the_self_report_starts_from_the_counts(campaign, tree, users, records) -> None:
    a = assessment_of(campaign, tree.village_a1)
    response = client_for(users.sec_a1).get(reverse("grading:assessment_report", args=[a.pk]))
    form = response.context["form"]
    text = form.initial["self_building"]
    assert "召开支部委员会9次(缺3月)。" in text and "未召开主题党日(缺10个月(1月起))。" in text
    assert "党员参加组织生活出席率100%。" in text


def test_the_district_review_shows_the_records(campaign, tree, users, records) -> None:
    from tests.grading.test_district_pages import to_district

    to_district(campaign, users, users.sec_a1, [tree.village_a1], ["0.85"])
    page = client_for(users.ds).get(reverse("grading:district_review", args=[campaign.pk])).content.decode()
    row = page[page.index(tree.village_a1.name) :]
    row = row[: row.index("</tr>")]
    assert "系统记录(有缺项)</summary>" in row and "支部委员会:<strong>9次(已到期应开10次)</strong>" in row
