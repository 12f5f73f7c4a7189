"""No lost updates (issue 7 §3): two sessions load the same form, both submit; the second is refused with a clear
message, the first is kept, and the refused page still holds what its user typed.

The page tests use two test clients (two people, or one person in two tabs) and read the version each page was
loaded with out of its HTML, as a browser would send it back. The thread tests run two saves at the very same time
on PostgreSQL: ``select_for_update`` serializes them and the loser sees the newer version.
"""

from __future__ import annotations

import html
import re
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from grading.models import Assessment, Item
from grading.services import campaigns as grading_services
from grading.services.assessments import township_scores_save
from organizations.models import Member, Organization
from organizations.services import members as org_services
from tests.calendar_support import seed_test_calendar
from tests.factories import MemberFactory
from tests.grading.test_workflow import fill_and_submit

MEMBER_STALE = "已被他人修改"
GRADING_STALE = "为避免覆盖,本次修改未保存"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def hidden(page: str, name: str) -> str:
    """The value of a hidden input as the browser would post it back."""
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert tag, f"no input {name}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""


def member_post(member: Member, expected: str, **changes: str) -> dict[str, str]:
    data = {
        "name": member.name,
        "gender": member.gender,
        "ethnicity": member.ethnicity,
        "birth_date": member.birth_date.isoformat(),
        "education": member.education,
        "occupation": member.occupation,
        "joined_on": member.joined_on.isoformat(),
        "status": member.status,
        "full_member_on": "",
        "id_number": member.id_number,
        "phone": member.phone,
        "left_on": "",
        "left_reason": "",
        "migrant_note": "",
        "record_version": expected,
    }
    data.update(changes)
    return data


# --- Member edit form ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("second_user", ["ts_a", "sec_a1"], ids=["two-people", "two-tabs"])
def test_member_edit_second_save_refused_first_kept(users, tree, second_user):
    member = MemberFactory(organization=tree.village_a1, occupation="农民")
    url = reverse("organizations:member_edit", args=[member.pk])
    first, second = client_for(users.sec_a1), client_for(getattr(users, second_user))
    seen_first = hidden(first.get(url).content.decode(), "record_version")
    seen_second = hidden(second.get(url).content.decode(), "record_version")
    assert seen_first and seen_first == seen_second

    saved = first.post(url, member_post(member, seen_first, occupation="村医"))
    assert saved.status_code == 302

    refused = second.post(url, member_post(member, seen_second, occupation="教师", migrant_note="我刚写的说明"))
    page = refused.content.decode()
    assert refused.status_code == 200 and MEMBER_STALE in page
    assert "教师" in page and "我刚写的说明" in page  # what the second user typed is still on the page
    member.refresh_from_db()
    assert member.occupation == "村医"


def test_member_edit_after_reload_saves(users, tree):
    member = MemberFactory(organization=tree.village_a1)
    url = reverse("organizations:member_edit", args=[member.pk])
    client = client_for(users.sec_a1)
    client.post(url, member_post(member, hidden(client.get(url).content.decode(), "record_version"), occupation="a"))
    fresh = hidden(client.get(url).content.decode(), "record_version")
    assert client.post(url, member_post(member, fresh, occupation="b")).status_code == 302
    assert Member.objects.get(pk=member.pk).occupation == "b"


# --- Grading: the township's scoring page and the secretary's self-assessment --------------------------------


@pytest.fixture
def campaign(users, tree):
    seed_test_calendar(2026)
    return grading_services.campaign_open(
        actor=users.ds, campaign=grading_services.campaign_create(actor=users.ds, year=2026)
    )


def a_of(campaign, org) -> Assessment:
    return Assessment.objects.select_related("organization", "campaign").get(campaign=campaign, organization=org)


def score_post(a: Assessment, version: str, share: str, opinion: str) -> dict[str, str]:
    data = {"version": version, "grade": "", "override_reason": "", "opinion": opinion, "action": "save"}
    for item in Item.objects.filter(dimension__template=a.template):
        if not item.is_veto:
            data[f"points_{item.pk}"] = str((item.max_points * Decimal(share)).quantize(Decimal("0.1")))
        data[f"note_{item.pk}"] = ""
    return data


def test_township_scoring_second_save_refused_first_kept(campaign, users, tree):
    a = fill_and_submit(users.sec_a1, a_of(campaign, tree.village_a1))
    url = reverse("grading:township_score", args=[a.pk])
    tab1, tab2 = client_for(users.ts_a), client_for(users.ts_a)
    v1 = hidden(tab1.get(url).content.decode(), "version")
    v2 = hidden(tab2.get(url).content.decode(), "version")

    assert tab1.post(url, score_post(a, v1, "0.9", "第一次评分")).status_code == 302
    refused = tab2.post(url, score_post(a, v2, "0.5", "第二个页面的意见"))
    page = refused.content.decode()
    assert refused.status_code == 200 and GRADING_STALE in page
    assert "第二个页面的意见" in page
    kept = Assessment.objects.get(pk=a.pk)
    assert kept.township_opinion == "第一次评分" and kept.township_grade == "good"


REPORT = {
    "basic_situation": "支部现有党员32名",
    "self_building": "三会一课按时开展",
    "role_played": "带领群众发展产业",
    "problems": "年轻党员偏少",
    "measures": "加强发展党员工作",
}


def test_self_assessment_two_tabs_second_refused_first_kept(campaign, users, tree):
    a = a_of(campaign, tree.village_a1)
    url = reverse("grading:assessment_report", args=[a.pk])
    tab1, tab2 = client_for(users.sec_a1), client_for(users.sec_a1)
    v1 = hidden(tab1.get(url).content.decode(), "version")
    v2 = hidden(tab2.get(url).content.decode(), "version")

    assert tab1.post(url, {"version": v1, **REPORT, "problems": "第一个页面"}).status_code == 302
    refused = tab2.post(url, {"version": v2, **REPORT, "problems": "第二个页面"})
    page = refused.content.decode()
    # The page shows both versions and offers to keep the typed one (issue 11); nothing is saved until then.
    assert refused.status_code == 200 and "本次修改尚未保存" in page and "第二个页面" in page and "第一个页面" in page
    assert Assessment.objects.get(pk=a.pk).report.problems == "第一个页面"


# --- Forms keep what was typed on a validation error ---------------------------------------------------------


def test_org_edit_keeps_typed_values_on_error(users, tree):
    client = client_for(users.ts_a)
    url = reverse("organizations:org_edit", args=[tree.village_a1.pk])
    response = client.post(
        url, {"name": "新名称党支部", "field": "rural", "units_covered": "-3", "established_on": "2020-13-45",
              "address": "东风村委会二楼"},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200 and "新名称党支部" in page and "东风村委会二楼" in page
    assert Organization.objects.get(pk=tree.village_a1.pk).name == "东风村党支部"


def test_township_scoring_keeps_typed_values_on_a_bad_score(campaign, users, tree):
    a = fill_and_submit(users.sec_a1, a_of(campaign, tree.village_a1))
    url = reverse("grading:township_score", args=[a.pk])
    client = client_for(users.ts_a)
    data = score_post(a, str(a.version), "0.8", "意见要保留")
    first_item = Item.objects.filter(dimension__template=a.template, is_veto=False).order_by("pk").first()
    data[f"points_{first_item.pk}"] = "九十"
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200 and "意见要保留" in page and "九十" in page
    assert "不是数字" in page or "数字" in page
    after = Assessment.objects.get(pk=a.pk)
    assert after.version == a.version and after.township_score is None  # nothing half-written


def test_grant_role_keeps_username_on_weak_password(users, tree):
    client = client_for(users.ts_a)
    url = reverse("organizations:roles", args=[tree.village_a1.pk])
    response = client.post(
        url, {"username": "new_secretary", "full_name": "王五", "password": "123", "role": "branch_secretary"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "new_secretary" in page and "王五" in page
    assert 'value="123"' not in page  # a password is never echoed back


# --- Real concurrency on PostgreSQL ----------------------------------------------------------------------------


def _race(*calls):
    """Run the calls in threads released at the same moment; return (results, errors) in call order."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)
    errors: list[BaseException | None] = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(5)
            results[i] = call()
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            errors[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_member_saves_one_wins_one_is_told(users, tree):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    member = MemberFactory(organization=tree.village_a1)
    seen = member.updated_at

    def save(actor, occupation):
        return lambda: org_services.member_update(
            actor=actor, member=member, expected_updated_at=seen, occupation=occupation
        )

    results, errors = _race(save(users.sec_a1, "甲"), save(users.ts_a, "乙"))
    winners = [r for r in results if r is not None]
    losers = [e for e in errors if e is not None]
    assert len(winners) == 1 and len(losers) == 1, (results, errors)
    assert isinstance(losers[0], ValidationError) and MEMBER_STALE in losers[0].messages[0]
    assert Member.objects.get(pk=member.pk).occupation == winners[0].occupation


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_township_scores_one_wins_one_is_told(campaign, users, tree):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    a = fill_and_submit(users.sec_a1, a_of(campaign, tree.village_a1))
    items = list(Item.objects.filter(dimension__template=a.template, is_veto=False))

    def save(share, opinion):
        scores = {i.pk: ((i.max_points * Decimal(share)).quantize(Decimal("0.1")), "") for i in items}
        return lambda: township_scores_save(
            actor=users.ts_a, assessment=a, expected_version=a.version, item_scores=scores, opinion=opinion
        )

    results, errors = _race(save("0.9", "甲"), save("0.5", "乙"))
    winners = [r for r in results if r is not None]
    losers = [e for e in errors if e is not None]
    assert len(winners) == 1 and len(losers) == 1, (results, errors)
    assert isinstance(losers[0], ValidationError) and GRADING_STALE in losers[0].messages[0]
    kept = Assessment.objects.get(pk=a.pk)
    assert kept.township_opinion == winners[0].township_opinion and kept.version == a.version + 1
