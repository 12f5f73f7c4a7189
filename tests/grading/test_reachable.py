"""The annexes and the objection are reached by links from the pages where a user looks for them, and only by those
who may open them: every download link a page shows answers 200 for that user, and the 提出异议 control appears only
to the organization's secretary and its township while the objection window is open."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grading.models import Assessment, AssessmentStatus
from tests.grading.test_township_pages import a_of, campaign, scored, submitted  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

DOWNLOAD = re.compile(r'href="(/[^"]*?(?:\.pdf|\.xlsx)[^"]*|/[^"]*annex5-district\.xlsx/)"')


def downloads(html: str) -> set[str]:
    return {h.replace("&amp;", "&") for h in DOWNLOAD.findall(html)}


def page_of(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def opens(client, user, links: set[str]) -> None:
    client.force_login(user)
    for link in links:
        assert client.get(link).status_code == 200, link


def published(campaign, users, tree) -> Assessment:  # noqa: F811
    from grading.services.notices import notice_publish

    a = scored(users.ts_a, submitted(campaign, users, tree), "0.85")
    notice_publish(actor=users.ts_a, campaign=campaign, township=tree.township_a, assessments=[a])
    return a_of(campaign, tree.village_a1)


def test_the_secretary_finds_annexes_1_to_4_on_the_assessment_page_and_the_org_page(client, campaign, users, tree):  # noqa: F811
    a = published(campaign, users, tree)
    detail = page_of(client, users.sec_a1, reverse("grading:assessment_detail", args=[a.pk]))
    links = downloads(detail)
    for name in ("annex1_pdf", "annex2_blank_pdf_org", "annex2_tally_pdf", "annex3_pdf", "annex4_pdf"):
        assert reverse(f"grading:{name}", args=[a.pk]) in links, name
    assert not any("notice" in link for link in links)  # the notice is the township's: the secretary cannot open it
    opens(client, users.sec_a1, links)
    panel = page_of(client, users.sec_a1, reverse("organizations:org_detail", args=[tree.village_a1.pk]))
    assert reverse("grading:annex1_pdf", args=[a.pk]) in downloads(panel)


def test_the_township_finds_annex4_notice_annex5_and_the_ballot(client, campaign, users, tree):  # noqa: F811
    a = published(campaign, users, tree)
    score = page_of(client, users.ts_a, reverse("grading:township_score", args=[a.pk]))
    assert reverse("grading:annex4_pdf", args=[a.pk]) in downloads(score)
    assert reverse("grading:notice_pdf", args=[a.notice_id]) in downloads(score)
    board = page_of(client, users.ts_a, reverse("grading:township_board", args=[campaign.pk, tree.township_a.pk]))
    board_links = downloads(board)
    assert reverse("grading:annex5_pdf", args=[campaign.pk, tree.township_a.pk]) in board_links
    assert reverse("grading:annex5_xlsx", args=[campaign.pk, tree.township_a.pk]) in board_links
    assert reverse("grading:annex2_blank_pdf", args=[campaign.pk]) in board_links
    assert reverse("grading:notice_pdf", args=[a.notice_id]) in board_links
    notice = page_of(client, users.ts_a, reverse("grading:notice_detail", args=[a.notice_id]))
    assert reverse("grading:notice_pdf", args=[a.notice_id]) in downloads(notice)
    summary = page_of(client, users.ts_a, reverse("grading:township_summary", args=[campaign.pk, tree.township_a.pk]))
    assert reverse("grading:annex5_pdf", args=[campaign.pk, tree.township_a.pk]) in downloads(summary)
    opens(client, users.ts_a, board_links | downloads(score))
    # the township's viewer reads the same pages and may open the same files
    opens(
        client,
        users.viewer_a,
        downloads(page_of(client, users.viewer_a, reverse("grading:township_score", args=[a.pk]))),
    )


def test_the_district_finds_the_workbook_the_circular_and_each_annex4(client, campaign, users, tree):  # noqa: F811
    a = published(campaign, users, tree)
    Assessment.objects.filter(pk=a.pk).update(status=AssessmentStatus.WITH_DISTRICT)
    overview = downloads(page_of(client, users.ds, reverse("grading:district_overview", args=[campaign.pk])))
    assert reverse("grading:circular_pdf", args=[campaign.pk]) in overview
    assert reverse("grading:annex5_district_xlsx", args=[campaign.pk]) in overview
    assert reverse("grading:annex5_pdf", args=[campaign.pk, tree.township_a.pk]) in overview
    review = downloads(page_of(client, users.ds, reverse("grading:district_review", args=[campaign.pk])))
    assert reverse("grading:annex4_pdf", args=[a.pk]) in review
    opens(client, users.ds, overview | review)


# --- 提出异议 --------------------------------------------------------------------------------------------------


def approved(campaign, users, tree, *, due_in_days: int) -> Assessment:  # noqa: F811
    a = published(campaign, users, tree)
    Assessment.objects.filter(pk=a.pk).update(
        status=AssessmentStatus.APPROVED,
        district_grade="good",
        objection_due=timezone.localdate() + timedelta(days=due_in_days),
        township_score=Decimal("85"),
    )
    return a_of(campaign, tree.village_a1)


OBJECT_PAGES = [
    ("grading:assessment_detail", "pk"),
    ("grading:township_score", "pk"),
    ("organizations:org_detail", "org"),
]


@pytest.mark.parametrize(("who", "sees"), [("sec_a1", True), ("ts_a", True), ("viewer_a", False), ("ds", False)])
def test_the_objection_control_is_shown_to_those_who_may_raise_one(client, campaign, users, tree, who, sees):  # noqa: F811
    a = approved(campaign, users, tree, due_in_days=3)
    target = reverse("grading:assessment_object", args=[a.pk])
    user = getattr(users, who)
    client.force_login(user)
    seen = []
    for name, arg in OBJECT_PAGES:
        url = reverse(name, args=[a.organization_id if arg == "org" else a.pk])
        response = client.get(url)
        if response.status_code == 200:
            seen.append(f'href="{target}"' in response.content.decode())
    assert seen and all(s == sees for s in seen)
    if sees:
        assert client.get(target).status_code == 200


def test_no_objection_control_once_the_window_has_closed(client, campaign, users, tree):  # noqa: F811
    a = approved(campaign, users, tree, due_in_days=-1)
    target = reverse("grading:assessment_object", args=[a.pk])
    client.force_login(users.sec_a1)
    html = client.get(reverse("grading:assessment_detail", args=[a.pk])).content.decode()
    assert f'href="{target}"' not in html
