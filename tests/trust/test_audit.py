"""The audit trail (issue 7 §2): every create, edit, state change, import and export writes an event with who, from
where and what changed; the assessment page shows its timeline; no URL edits or deletes events.

One test per service family: organizations (tree, members, committee, roles and accounts), imports and exports,
grading (campaign, drafts, scoring, transitions, notices, document downloads). Each asserts the event's actor, verb,
target and, where a value changed, its before and after.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.models import Event
from grading.models import Assessment
from grading.services import campaigns as grading_services
from grading.services.notices import notice_publish
from grading.services.workflow import Action, transition
from organizations.models import Education, MemberStatus, Organization, OrgKind
from organizations.resources.files import csv_bytes, member_headers
from organizations.services.committee import position_assign, position_end, term_create
from organizations.services.grants import account_create, role_grant, role_revoke
from organizations.services.member_import import import_members
from organizations.services.members import member_create, member_update
from organizations.services.tree import (
    organization_create,
    organization_dissolve,
    organization_update,
    organization_upgrade,
    sub_branch_create,
)
from tests.calendar_support import seed_test_calendar
from tests.factories import MemberFactory, UserFactory
from tests.grading.test_workflow import fill_and_submit, score
from tests.trust.test_lost_updates import hidden


def last(verb: str, **filters) -> Event:
    event = Event.objects.filter(verb=verb, **filters).order_by("-pk").first()
    assert event is not None, f"no {verb} event (have: {sorted(set(Event.objects.values_list('verb', flat=True)))})"
    return event


def assert_event(verb: str, actor, target=None, **filters) -> Event:
    event = last(verb, **filters)
    assert event.actor_id == actor.pk and event.actor_name == actor.get_username()
    assert event.summary
    if target is not None:
        assert (event.target_type, event.target_id) == (target._meta.label_lower, str(target.pk))
    return event


# --- Organizations: the tree ------------------------------------------------------------------------------------


def test_organization_family_writes_events_with_before_and_after(users, tree, members):
    ds = users.ds
    new = organization_create(actor=ds, parent=tree.township_a, code="T01-009", name="新村党支部", kind=OrgKind.BRANCH)
    assert assert_event("organization.create", ds, new).after["name"] == "新村党支部"

    organization_update(actor=ds, organization=new, name="新村第一党支部", address="村部")
    event = assert_event("organization.update", ds, new)
    assert event.before == {"name": "新村党支部", "address": ""}
    assert event.after == {"name": "新村第一党支部", "address": "村部"}

    organization_upgrade(
        actor=ds, organization=tree.village_a1, new_kind=OrgKind.GENERAL_BRANCH, new_name="东风村党总支",
        effective_on=date(2026, 5, 1), note="试点",
    )  # fmt: skip
    event = assert_event("organization.upgrade", ds, tree.village_a1)
    assert event.before["kind"] == OrgKind.BRANCH and event.after["kind"] == OrgKind.GENERAL_BRANCH

    general = Organization.objects.get(pk=tree.village_a1.pk)
    child = sub_branch_create(
        actor=ds, parent=general, code="T01-001-01", name="东风村第一党支部", members=members["a1"][:3],
        effective_on=date(2026, 5, 2),
    )  # fmt: skip
    assert_event("organization.create", ds, child)
    moved = assert_event("member.move", ds, members["a1"][0], target_id=str(members["a1"][0].pk))
    assert moved.before == {"organization": "东风村党总支"} and moved.after == {"organization": "东风村第一党支部"}

    organization_dissolve(actor=ds, organization=new, on=date(2026, 6, 1), note="合并")
    assert assert_event("organization.dissolve", ds, new).after["dissolved_on"] == "2026-06-01"


def test_member_committee_and_role_families_write_events(users, tree):
    sec, ts = users.sec_a1, users.ts_a
    member = member_create(
        actor=sec, organization=tree.village_a1, name="李四", gender="male", ethnicity="汉族",
        birth_date=date(1985, 1, 2), education=Education.HIGH_SCHOOL, occupation="农民",
        joined_on=date(2010, 7, 1), status=MemberStatus.FULL, id_number="450000198501020019", phone="13912345678",
    )  # fmt: skip
    created = assert_event("member.create", sec, member)
    assert created.after["name"] == "李四" and created.after["id_number"] == "***" and created.after["phone"] == "***"

    member_update(actor=ts, member=member, occupation="村医", expected_updated_at=member.updated_at)
    updated = assert_event("member.update", ts, member)
    assert updated.before == {"occupation": "农民"} and updated.after == {"occupation": "村医"}

    # one full member: a secretary only (支部条例 Art. 20)
    term = term_create(actor=sec, organization=tree.village_a1, elected_on=date(2024, 3, 1), seats=1)
    assert assert_event("term.create", sec, tree.village_a1).after["seats"] == 1
    position = position_assign(
        actor=sec, organization=tree.village_a1, member=member, post="secretary", started_on=date(2024, 3, 1),
        term=term,
    )  # fmt: skip
    assert assert_event("position.assign", sec, tree.village_a1).after["member"] == "李四"
    position_end(actor=sec, position=position, ended_on=date(2026, 1, 1))
    assert assert_event("position.end", sec, tree.village_a1).after == {"ended_on": "2026-01-01"}

    account = account_create(
        actor=ts, username="new_sec", full_name="王五", password="Strong-pass-2026", organization=tree.village_a1
    )
    assert assert_event("account.create", ts, tree.village_a1).after == {"username": "new_sec"}
    assignment = role_grant(actor=ts, user=account, organization=tree.village_a1, role="branch_secretary")
    assert assert_event("role.grant", ts, tree.village_a1).after == {"user": "new_sec", "role": "branch_secretary"}
    role_revoke(actor=ts, assignment=assignment)
    assert assert_event("role.revoke", ts, tree.village_a1).before == {"user": "new_sec", "role": "branch_secretary"}


def test_events_from_requests_carry_the_client_address(client, users, tree):
    member = MemberFactory(organization=tree.village_a1)
    client.force_login(users.sec_a1)
    url = reverse("organizations:member_edit", args=[member.pk])
    seen = hidden(client.get(url).content.decode(), "record_version")
    data = {
        "name": member.name, "gender": member.gender, "ethnicity": "汉族", "birth_date": "1980-05-01",
        "education": member.education, "occupation": "教师", "joined_on": "2005-07-01", "status": member.status,
        "id_number": member.id_number, "phone": member.phone,
        "record_version": seen,
    }  # fmt: skip
    response = client.post(url, data, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    event = assert_event("member.update", users.sec_a1, member)
    assert event.ip == "10.1.2.3" and event.at is not None


# --- Imports and exports ----------------------------------------------------------------------------------------


def test_import_writes_one_event_and_a_dry_run_none(users, tree):
    row = [
        "T01-001", "赵六", "男", "汉族", "1980-05-01", Education.HIGH_SCHOOL.label, "农民", "2005-07-01",
        MemberStatus.FULL.label, "2006-07-01", "否", "450000198005010014", "13900000000",
    ]  # fmt: skip
    content = csv_bytes(member_headers(), [row])
    dry = import_members(actor=users.ts_a, under=tree.township_a, file=content, filename="m.csv", dry_run=True)
    assert dry.ok, dry.errors
    assert not Event.objects.filter(verb="import.members").exists()
    import_members(actor=users.ts_a, under=tree.township_a, file=content, filename="m.csv", dry_run=False)
    assert_event("import.members", users.ts_a)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize(
    ("name", "query", "verb", "fmt"),
    [
        ("organizations:roster_pdf", {}, "roster.export", "pdf"),
        ("organizations:export_organizations", {}, "organizations.export", "xlsx"),
        ("organizations:export_organizations", {"format": "csv", "encoding": "gbk"}, "organizations.export", "csv"),
    ],
)
def test_each_export_writes_an_event(client, users, tree, members, name, query, verb, fmt):
    client.force_login(users.ts_a)
    response = client.get(reverse(name, args=[tree.township_a.pk]), query)
    assert response.status_code == 200
    event = assert_event(verb, users.ts_a, tree.township_a)
    assert event.after["format"] == fmt and event.ip == "127.0.0.1"


def test_roster_xlsx_job_export_writes_an_event(client, users, tree, members, media):
    client.force_login(users.ts_a)
    assert client.post(reverse("organizations:roster_xlsx", args=[tree.township_a.pk])).status_code == 302
    assert assert_event("roster.export", users.ts_a, tree.township_a).after["format"] == "xlsx"


# --- Grading -----------------------------------------------------------------------------------------------------


@pytest.fixture
def campaign(users, tree):
    seed_test_calendar(2026)
    campaign = grading_services.campaign_create(actor=users.ds, year=2026)
    assert_event("grading.campaign_create", users.ds)
    campaign = grading_services.campaign_open(actor=users.ds, campaign=campaign)
    assert_event("grading.campaign_open", users.ds)
    return campaign


def test_grading_family_writes_events(client, campaign, users, tree, media):
    a = Assessment.objects.select_related("organization", "campaign").get(
        campaign=campaign, organization=tree.village_a1
    )
    a = fill_and_submit(users.sec_a1, a)
    saved = assert_event("grading.self_save", users.sec_a1, a)
    assert saved.after["self_score"] and saved.org_path == tree.village_a1.path
    assert_event("grading.submit", users.sec_a1, a)

    a = score(users.ts_a, a, Decimal("0.9"))
    scored = assert_event("grading.township_save", users.ts_a, a)
    assert scored.before == {"township_score": "None", "township_grade": ""}
    assert scored.after["township_grade"] == "good"
    a = transition(actor=users.ts_a, assessment=a, action=Action.SCORE)
    assert_event("grading.score", users.ts_a, a)

    notice = notice_publish(
        actor=users.ts_a, campaign=campaign, township=tree.township_a, assessments=[a], title="公示",
        body="现予公示。", contact="镇党委", cap_reason="仅一个", published_on=date(2026, 4, 5),
    )  # fmt: skip
    assert_event("grading.notice_publish", users.ts_a, notice)

    client.force_login(users.ts_a)
    response = client.get(reverse("grading:annex4_xlsx", args=[a.pk]))
    assert response.status_code == 200
    assert assert_event("grading.export", users.ts_a).ip == "127.0.0.1"


def test_assessment_events_can_be_shown_as_a_timeline(campaign, users, tree):
    """The timeline include (templates/partybuild/_timeline.html) renders an assessment's events, newest first."""
    from django.template.loader import render_to_string

    from core.audit import events_for

    a = Assessment.objects.get(campaign=campaign, organization=tree.village_a1)
    a = fill_and_submit(users.sec_a1, a)
    html = render_to_string("partybuild/_timeline.html", {"events": events_for(a)[:30]})
    assert "sec_a1" in html and "保存自查自评草稿" in html and "timeline" in html
    assert html.index("提交") < html.index("保存自查自评草稿")  # newest first
    empty = render_to_string("partybuild/_timeline.html", {"events": []})
    assert "暂无记录" in empty


# --- Nobody edits or deletes the log through the app ----------------------------------------------------------------


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def test_no_url_outside_the_admin_writes_events_by_name():
    """Every route is listed; none outside the (read-only) admin names events with an edit/delete verb."""
    suspicious = [
        route
        for route, entry in _patterns(get_resolver())
        if not route.startswith("admin/")
        and ("event" in route.lower() or "audit" in route.lower())
        and any(word in route.lower() for word in ("delete", "edit", "change", "update", "remove", "purge"))
    ]
    assert suspicious == []


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_audit_log_page_accepts_no_writes(client, users, tree, method):
    client.force_login(users.ds)
    before = Event.objects.count()
    response = getattr(client, method)(reverse("core:audit_log"))
    assert response.status_code == 405
    assert Event.objects.count() == before


def test_superuser_cannot_delete_events_in_admin(client, users, tree):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    event = Event.objects.first()
    client.force_login(admin)
    response = client.post(reverse("admin:partybuild_event_delete", args=[event.pk]), {"post": "yes"})
    assert response.status_code in {403, 302}
    assert Event.objects.filter(pk=event.pk).exists()
    assert get_user_model().objects.filter(username="root").exists()
