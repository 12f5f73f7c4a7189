"""The development pipeline (issue 17 deliver 2): services (who may, the event, the Chinese refusals), the roster
following admission and 转正, reminders and the home's to-do before a probation ends, the rectification targets read
from the records, the statistics' counts, and the pages' query counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Event, Notification
from development.models import Applicant
from development.rules.pipeline import latest_admission_ending_by
from development.selectors.counts import pipeline_counts
from development.services.pipeline import applicant_create, applicant_move, applicant_update
from development.services.reminders import reminders_send
from development.tasks import REMINDERS_AT
from development.todo import development_todo
from organizations.models import Member, MemberStatus
from partybuild.celery import app
from rectification.models import Case, DevelopmentTarget
from rectification.selectors import cases as case_selectors
from tests.factories import MemberFactory, fake_id_number

pytestmark = pytest.mark.django_db


def _person(n: int = 0, **over) -> dict:
    fields = {
        "name": f"申请人{n}",
        "gender": "male",
        "birth_date": date(2000, 1, 1),
        "education": "high_school",
        "occupation": "农民",
        "id_number": fake_id_number(date(2000, 1, 1)),
        "phone": "",
        "applied_on": date(2022, 1, 10),
    }
    return {**fields, **over}


def _through_to(stage: str, actor, org, contact, n: int = 0, **over) -> Applicant:
    """A person recorded and moved up to ``stage`` on the standard dates (activist 2022-03-01, target 2023-03-01,
    admitted 2023-09-01, full 2024-09-01)."""
    record = applicant_create(actor=actor, organization=org, **_person(n, **over))
    steps = [("activist", date(2022, 3, 1)), ("target", date(2023, 3, 1)), ("probationary", date(2023, 9, 1))]
    steps.append(("full", date(2024, 9, 1)))
    for to, on in steps:
        if record.stage == stage:
            break
        record = applicant_move(actor=actor, applicant=record, to=to, on=on, contacts=[contact])
    return record


def test_a_secretary_takes_a_person_from_application_to_full_membership(users, tree, members):
    contact = members["a1"][0]
    record = _through_to("full", users.sec_a1, tree.village_a1, contact)
    member = Member.objects.get(pk=record.member_id)
    assert (member.status, member.joined_on, member.full_member_on) == ("full", date(2023, 9, 1), date(2024, 9, 1))
    assert member.organization_id == tree.village_a1.pk and member.id_number == record.id_number
    assert list(record.contacts.all()) == [contact]
    assert (record.activist_on, record.target_on, record.admitted_on, record.full_on) == (
        date(2022, 3, 1),
        date(2023, 3, 1),
        date(2023, 9, 1),
        date(2024, 9, 1),
    )
    verbs = list(Event.objects.filter(actor=users.sec_a1).order_by("pk").values_list("verb", flat=True))
    assert verbs.count("development.move") == 4 and "development.applicant_create" in verbs
    assert "member.create" in verbs and "member.update" in verbs  # the roster's own service wrote the member
    tree.village_a1.refresh_from_db()
    assert tree.village_a1.member_count == 9  # the maintained counts followed


@pytest.mark.parametrize("name", ["sec_b1", "viewer_a", "liaison", "ts_b"])
def test_only_those_who_keep_the_roster_there_may_record(users, tree, name):
    with pytest.raises(PermissionDenied):
        applicant_create(actor=getattr(users, name), organization=tree.village_a1, **_person())


def test_moving_someone_out_of_ones_scope_is_refused(users, tree, members):
    record = applicant_create(actor=users.ts_a, organization=tree.village_a1, **_person())
    with pytest.raises(PermissionDenied):
        applicant_move(actor=users.sec_b1, applicant=record, to="activist", on=date(2022, 3, 1), contacts=[])


def test_bad_applications_are_refused_in_chinese(users, tree, members):
    with pytest.raises(ValidationError, match="须年满18周岁"):
        applicant_create(actor=users.sec_a1, organization=tree.village_a1, **_person(birth_date=date(2004, 6, 1)))
    with pytest.raises(ValidationError, match="该身份证号已在发展党员记录或党员名册中登记"):
        applicant_create(
            actor=users.sec_a1, organization=tree.village_a1, **_person(id_number=members["b1"][0].id_number)
        )
    with pytest.raises(ValidationError, match="身份证号应为18位"):
        applicant_create(actor=users.sec_a1, organization=tree.village_a1, **_person(id_number="12345"))
    with pytest.raises(ValidationError, match="基层党组织"):
        applicant_create(actor=users.ts_a, organization=tree.township_a, **_person())
    first = applicant_create(actor=users.sec_a1, organization=tree.village_a1, **_person())
    with pytest.raises(ValidationError, match="已登记为.*入党申请人申请人0"):
        applicant_create(actor=users.sec_a1, organization=tree.village_a1, **_person(id_number=first.id_number))


def test_bad_moves_are_refused_and_nothing_changes(users, tree, members):
    record = applicant_create(actor=users.sec_a1, organization=tree.village_a1, **_person())
    a1, b1 = members["a1"], members["b1"]
    cases = [
        ({"to": "target", "on": date(2023, 3, 1)}, "不能从"),
        ({"to": "activist", "on": date(2022, 3, 1), "contacts": []}, "培养联系人"),
        ({"to": "activist", "on": date(2022, 3, 1), "contacts": a1[:3]}, "1至2名"),
        ({"to": "activist", "on": date(2022, 3, 1), "contacts": [b1[0]]}, "不是本组织的现有党员"),
        ({"to": "activist", "on": date(2021, 3, 1), "contacts": [a1[0]]}, "不能早于上一阶段"),
    ]
    for kwargs, words in cases:
        with pytest.raises(ValidationError, match=words):
            applicant_move(actor=users.sec_a1, applicant=record, **kwargs)
    probationary = MemberFactory(organization=tree.village_a1, status=MemberStatus.PROBATIONARY)
    with pytest.raises(ValidationError, match="应为正式党员"):
        applicant_move(
            actor=users.sec_a1, applicant=record, to="activist", on=date(2022, 3, 1), contacts=[probationary]
        )
    record.refresh_from_db()
    assert record.stage == "applicant" and record.activist_on is None
    activist = applicant_move(actor=users.sec_a1, applicant=record, to="activist", on=date(2022, 3, 1), contacts=a1[:2])
    with pytest.raises(ValidationError, match="1年以上培养考察"):
        applicant_move(actor=users.sec_a1, applicant=activist, to="target", on=date(2023, 2, 28))


def test_details_are_corrected_before_admission_only(users, tree, members):
    record = _through_to("activist", users.sec_a1, tree.village_a1, members["a1"][0])
    fixed = applicant_update(actor=users.sec_a1, applicant=record, name="韩梅梅", applied_on=date(2022, 2, 1))
    assert (fixed.name, fixed.applied_on, fixed.stage) == ("韩梅梅", date(2022, 2, 1), "activist")
    event = Event.objects.filter(verb="development.applicant_update").get()
    assert event.after == {"name": "韩梅梅", "applied_on": "2022-02-01"}
    with pytest.raises(PermissionDenied):
        applicant_update(actor=users.sec_b1, applicant=record, name="李雷")
    with pytest.raises(ValidationError, match="不能晚于确定为积极分子的日期"):
        applicant_update(actor=users.sec_a1, applicant=record, applied_on=date(2022, 3, 2))
    admitted = _through_to("probationary", users.sec_a1, tree.village_a1, members["a1"][0], 1)
    with pytest.raises(ValidationError, match="请在党员名册中修改"):
        applicant_update(actor=users.sec_a1, applicant=admitted, name="李雷")


def test_reminders_and_the_to_do_before_a_probation_ends(users, tree, members):
    today = timezone.localdate()
    soon = MemberFactory(
        organization=tree.village_a1,
        status=MemberStatus.PROBATIONARY,
        joined_on=latest_admission_ending_by(today + timedelta(days=10)),
    )
    MemberFactory(organization=tree.village_a1, status=MemberStatus.PROBATIONARY, joined_on=today - timedelta(days=400))
    MemberFactory(organization=tree.village_a1, status=MemberStatus.PROBATIONARY, joined_on=today - timedelta(days=100))
    section = development_todo(users.sec_a1)
    assert [(i.label, i.count, i.overdue) for i in section.items] == [
        ("30日内预备期满的预备党员", 1, False),
        ("预备期已满尚未转正的预备党员", 1, True),
    ]
    assert development_todo(users.sec_b1) is None and development_todo(users.liaison) is None
    assert reminders_send(today=today) == 4  # two members × (the secretary, the township's staff)
    titles = set(Notification.objects.filter(recipient=users.ts_a).values_list("title", flat=True))
    assert any(f"预备党员{soon.name}的预备期于" in t for t in titles)
    assert Notification.objects.filter(recipient=users.sec_a1).count() == 2
    assert reminders_send(today=today + timedelta(days=1)) == 0  # each once
    entry = app.conf.beat_schedule["development-reminders"]
    assert entry["task"] == "development.send_reminders" and entry["schedule"] == REMINDERS_AT


def test_the_rectification_targets_are_read_from_the_pipeline_when_it_has_records(users, tree, members):
    case = Case.objects.create(
        organization=tree.village_a1,
        year=2023,
        category="weak",
        source="hand",
        opened_on=date(2023, 1, 5),
        reason="测试",
    )
    DevelopmentTarget.objects.create(
        case=case,
        kind="activist",
        person_name="手工",
        birth_date=date(2000, 1, 1),
        education="bachelor",
        since=date(2023, 2, 1),
    )
    haves = lambda: [t.have for t in case_selectors.development_check(users.ds, case)]  # noqa: E731
    assert haves() == [1, 0, 0]  # no records: the ledger's own entries
    contact = members["a1"][0]
    _through_to("probationary", users.sec_a1, tree.village_a1, contact, 1)  # target and admitted in 2023
    _through_to("target", users.sec_a1, tree.village_a1, contact, 2)  # target in 2023
    over_35 = {"birth_date": date(1980, 1, 1)}  # not counted toward the targets
    _through_to("target", users.sec_a1, tree.village_a1, contact, 3, **over_35)
    assert haves() == [0, 2, 1]  # from the pipeline: the manual entry no longer counts
    case.year = 2025  # the same organization in a year without records: the ledger's own entries again
    assert haves() == [1, 0, 0]


def test_the_statistics_count_the_pipeline_in_one_query(users, tree, members):
    contact = members["a1"][0]
    _through_to("applicant", users.sec_a1, tree.village_a1, contact, 1)
    _through_to("activist", users.sec_a1, tree.village_a1, contact, 2)
    _through_to("probationary", users.sec_a1, tree.village_a1, contact, 3)
    pipeline_counts(users.ds, tree.district, day=date(2023, 12, 31))  # the user's grants, read once per request
    with CaptureQueriesContext(connection) as ctx:
        figures = pipeline_counts(users.ds, tree.district, day=date(2023, 12, 31))
    assert len(ctx.captured_queries) == 1
    assert figures.total == [1, 1, 0, 1, 1]
    assert figures.by_path == {tree.township_a.path: [1, 1, 0, 1, 1]}
    assert pipeline_counts(users.ts_b, tree.township_b, day=date(2023, 12, 31)).total == [0, 0, 0, 0, 0]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_pages_query_counts_do_not_grow_with_the_people(client, users, tree, members):
    contact = members["a1"][0]
    _through_to("activist", users.sec_a1, tree.village_a1, contact, 1)
    _through_to("probationary", users.sec_a1, tree.village_a1, contact, 2)
    client.force_login(users.ts_a)
    pages = [
        reverse("development:org", args=[tree.village_a1.pk]),
        reverse("development:board", args=[tree.township_a.pk]),
    ]
    small = [_queries(client, url) for url in pages]
    for n in range(3, 9):
        _through_to(
            ["applicant", "activist", "target", "probationary"][n % 4], users.sec_a1, tree.village_a1, contact, n
        )
        _through_to("activist", users.ts_a, tree.branch_a21, MemberFactory(organization=tree.branch_a21), n + 10)
    assert [_queries(client, url) for url in pages] == small
    page = client.get(pages[1]).content.decode()
    assert tree.village_a1.name in page and tree.branch_a21.name in page


def test_the_pages_answer_404_out_of_scope_and_403_to_readers(client, users, tree, members):
    record = applicant_create(actor=users.sec_a1, organization=tree.village_a1, **_person())
    client.force_login(users.sec_b1)
    assert client.get(reverse("development:applicant", args=[record.pk])).status_code == 404
    assert client.get(reverse("development:org", args=[tree.village_a1.pk])).status_code == 404
    client.force_login(users.viewer_a)
    assert client.get(reverse("development:applicant", args=[record.pk])).status_code == 200
    activist = _through_to("target", users.sec_a1, tree.village_a1, members["a1"][0], 1)
    page = client.get(reverse("development:applicant", args=[activist.pk])).content.decode()
    assert "最早可于" not in page  # nothing to wait for before admission
    probationary = applicant_move(actor=users.sec_a1, applicant=activist, to="probationary", on=date(2023, 9, 1))
    page = client.get(reverse("development:applicant", args=[probationary.pk])).content.decode()
    assert "最早可于2024年9月1日按期转为正式党员" in page and "预备期至2024年9月1日" in page
    assert client.get(reverse("development:move", args=[record.pk])).status_code == 403
    assert client.get(reverse("development:board", args=[tree.township_a.pk])).status_code == 403
