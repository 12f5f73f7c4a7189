"""Every URL of the project × every role × an object inside and outside the role's scope (issue 7 item 1).

Out of scope answers 404 (GET and POST), anonymous visitors are sent to the login page, nothing answers 500, and an
object inside the scope is not hidden. A self-check proves that the test catches a view that skips its selector.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from django.utils import timezone

from core.jobs import job_start
from core.models import Notification
from grading.models import Assessment, Notice, Objection, ObjectionStage, RegradeRequest
from grading.services import campaigns as grading_services
from organizations.models import RoleAssignment
from organizations.roles import Perm
from organizations.scope import can
from tests import scope_enumeration as se
from tests.calendar_support import seed_test_calendar


@pytest.fixture
def scenario(tree, users, members, django_capture_on_commit_callbacks, settings, tmp_path) -> se.Scenario:
    from organizations.services.committee import position_assign

    settings.MEDIA_ROOT = tmp_path / "media"
    seed_test_calendar(2026)
    campaign = grading_services.campaign_create(actor=users.ds, year=2026)
    campaign = grading_services.campaign_open(actor=users.ds, campaign=campaign)
    template = campaign.templates.get(field="")
    dimension = template.dimensions.first()
    item = dimension.items.first()

    def side(org, township, secretary, staff, member) -> se.Side:
        position = position_assign(
            actor=users.ds, organization=org, member=member, post="committee_member", started_on=member.joined_on
        )
        assessment = Assessment.objects.get(campaign=campaign, organization=org)
        notice = Notice.objects.create(
            campaign=campaign,
            township=township,
            title=f"{township.name}公示",
            published_on=date(2026, 4, 5),
            starts_on=date(2026, 4, 6),
            ends_on=date(2026, 4, 8),
        )
        objection = Objection.objects.create(
            assessment=assessment,
            stage=ObjectionStage.NOTICE,
            raised_by_name="甲",
            content="异议",
            raised_on=date(2026, 4, 7),
        )
        objection.evidence.save("材料.pdf", ContentFile(b"%PDF-1.4 test"))
        regrade = RegradeRequest.objects.create(assessment=assessment, direction="up", reason="提档")
        notification = Notification.objects.create(recipient=staff, title="提醒")
        election = _election_objects(org, township, member)
        meeting = _meeting_objects(org, staff)
        with django_capture_on_commit_callbacks(execute=True):
            job = job_start(
                actor=staff, kind="roster_xlsx", title="名册", org_path=org.path, params={"organization_id": org.pk}
            )
        objects = {
            **_rectification_objects(org, staff),
            "org": org.pk,
            "township": township.pk,
            "member": member.pk,
            "position": position.pk,
            "role": RoleAssignment.objects.get(user=secretary, organization=org).pk,
            "job": job.pk,
            "assessment": assessment.pk,
            "notice": notice.pk,
            "objection": objection.pk,
            "regrade_request": regrade.pk,
            "notification": notification.pk,
            "reorganization": _reorganization(org),
            **election,
            **meeting,
            "dues_payment": _dues_payment(member),
            **_circular_objects(org, township),
            "dev_applicant": _development_applicant(org),
            "transfer": _transfer(member, staff),
        }
        for kind in list(objects):
            objects.setdefault(f"{kind}__org", township if kind in {"township", "notice"} else org)
        objects["notification__user"] = staff.pk
        return se.Side(objects)

    return se.Scenario(
        sides={
            "A": side(tree.village_a1, tree.township_a, users.sec_a1, users.ts_a, members["a1"][0]),
            "B": side(tree.community_b1, tree.township_b, users.sec_b1, users.ts_b, members["b1"][0]),
        },
        globals={
            "campaign": campaign.pk,
            "template": template.pk,
            "dimension": dimension.pk,
            "item": item.pk,
            "year": 2026,
            "import_kind": "members",
            "file_kind": "objection",
            "election_step_template": _step_template_2026(),
            "election_paper": "convene-request",
            "reorg_paper": "request",
            "reorg_action": "request",
            "delivery": _delivery(users.sec_a1),
            "transfer_action": "receipt",
        },
        roles={
            "ds": (users.ds, "A", None),
            "ts_a": (users.ts_a, "A", "B"),
            "viewer_a": (users.viewer_a, "A", "B"),
            "sec_a1": (users.sec_a1, "A", "B"),
            "ts_b": (users.ts_b, "B", "A"),
            "liaison": (users.liaison, "B", "A"),
            # a member's own account (党员账号): no grant, so every scoped page is 404; their circulars open read-only
            "member_a": (_member_account(users.sec_a1, members["a1"][0]), "A", "B"),
        },
    )


def _member_account(secretary, member):
    from organizations.services.member_accounts import member_account_create

    return member_account_create(actor=secretary, member=member)[0]


def _transfer(member, staff) -> int:
    """A transfer of ``member`` out of the district with its letter issued (its PDF prints)."""
    from transfers.models import TransferRequest
    from transfers.services.letters import issuing_committee

    org = member.organization
    return TransferRequest.objects.create(
        kind="out",
        state="letter_out",
        member=member,
        from_org=org,
        from_name=org.name,
        to_name="外区某党支部",
        reason="迁居",
        person_name=member.name,
        gender=member.gender,
        birth_date=member.birth_date,
        education=member.education,
        joined_on=member.joined_on,
        status=member.status,
        id_number=member.id_number,
        letter_number="〔2026〕第001号",
        issuing_committee=issuing_committee(org),
        letter_year=2026,
        letter_seq=1,
        letter_issued_on=date(2026, 5, 6),
        valid_days=30,
        dues_paid_to="2026年4月",
        started_on=date(2026, 5, 1),
        created_by=staff,
    ).pk


def _dues_payment(member) -> int:
    """A payment of ``member``'s May 2026 dues (the dues app's only object reached by its own id)."""
    from dues.models import DuesMonth, Payment

    month = DuesMonth.objects.create(
        organization=member.organization, member=member, year=2026, month=5, due=Decimal("30"), paid=Decimal("30")
    )
    return Payment.objects.create(dues_month=month, amount=Decimal("30"), paid_on=date(2026, 5, 20)).pk


def _circular_objects(org, township) -> dict[str, int]:
    """A circular ``township`` sent to ``org``, its receipt and a file of its reply."""
    from circulars.models import Circular, CircularFile, Receipt

    circular = Circular.objects.create(sender=township, title="通知", body="正文", state="sent", sent_at=timezone.now())
    receipt = Receipt.objects.create(circular=circular, organization=org)
    row = CircularFile(circular=circular, receipt=receipt, original_name="回复.pdf", content_type="application/pdf")
    row.file.save("reply.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    row.size = 13
    row.save()
    return {"circular": circular.pk, "circular_receipt": receipt.pk, "circular_file": row.pk}


def _development_applicant(org) -> int:
    """A person in the development pipeline of ``org`` (the development app's one object reached by its own id)."""
    from development.models import Applicant

    return Applicant.objects.create(
        organization=org,
        name="申请人",
        gender="male",
        birth_date=date(2000, 1, 1),
        education="high_school",
        id_number=f"11010120000101{org.pk:04d}",
        applied_on=date(2026, 3, 1),
    ).pk


def _rectification_objects(org, staff) -> dict:
    """A case of ``org`` with one of each ledger object, an acceptance, an evidence file and a liaison."""
    from rectification.models import (
        Acceptance,
        Case,
        DevelopmentTarget,
        Evidence,
        Liaison,
        Measure,
        Problem,
        ProgressNote,
        Project,
        WorkGroupMember,
    )

    case = Case.objects.create(
        organization=org, year=2026, category="weak", source="hand", opened_on=date(2026, 5, 1), reason="测试"
    )
    problem = Problem.objects.create(case=case, category="no_venue", source="self_check", description="无活动场所")
    measure = Measure.objects.create(problem=problem, text="建活动室", responsible="张三", deadline=date(2026, 6, 1))
    evidence = Evidence(case=case, measure=measure, original_name="照片.pdf", content_type="application/pdf", size=13)
    evidence.file.save("a.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    evidence.save()
    ProgressNote.objects.create(case=case, measure=measure, text="已选址", author=staff, at=timezone.now())
    acceptance = Acceptance.objects.create(
        case=case,
        held_on=date(2026, 7, 1),
        self_check="自查",
        representatives_total=10,
        satisfied=5,
        basically_satisfied=1,
        unsatisfied=4,
        passed=False,
    )
    return {
        "case": case.pk,
        "problem": problem.pk,
        "measure": measure.pk,
        "evidence": evidence.pk,
        "acceptance": acceptance.pk,
        "project": Project.objects.create(case=case, name="修路").pk,
        "target": DevelopmentTarget.objects.create(
            case=case,
            kind="activist",
            person_name="李四",
            birth_date=date(2000, 1, 1),
            education="high_school",
            since=date(2026, 5, 2),
        ).pk,
        "workgroup_member": WorkGroupMember.objects.create(case=case, person_name="王五").pk,
        "liaison": Liaison.objects.create(
            organization=org, person_name="赵六", kind="organ_cadre", duties="包干", since=date(2026, 5, 1)
        ).pk,
    }


def _election_objects(org, township, member) -> dict[str, int]:
    """An election project of the organization with a step, a document, a candidate, a ballot round, an incident and
    a sanction with its document (第五篇 六)."""
    from elections.models import (
        BallotRound,
        Candidate,
        ElectionProject,
        Incident,
        Meeting,
        Sanction,
        Step,
        StepDocument,
    )
    from elections.services.steps import ensure_step_templates

    project = ElectionProject.objects.create(
        organization=org, township=township, year=2026, seats=3, election_date=date(2026, 11, 20)
    )
    step = Step.objects.create(project=project, template=ensure_step_templates(2026)[7], due_on=date(2026, 10, 15))
    document = StepDocument(step=step, kind="request", original_name="请示.pdf", size=13)
    document.file.save("请示.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    document.save()
    candidate = Candidate.objects.create(project=project, member=member)
    meeting = Meeting.objects.create(project=project, held_on=date(2026, 11, 20))
    ballot_round = BallotRound.objects.create(
        meeting=meeting, number=1, purpose="committee", seats=3, names=["王一", "李二", "张三", "赵四"], due=8
    )
    incident = Incident.objects.create(
        project=project, kind="petition", occurred_on=date(2026, 11, 1), summary="来信反映拉票", reporter="村民"
    )
    sanction = Sanction(
        project=project,
        kind="disqualify",
        candidate=candidate,
        name=member.name,
        post="committee",
        ground="bribery",
        reason="查实贿选",
        body="township",
        decided_by_name="王某",
        document_number="镇党委〔2026〕1号",
        decided_on=date(2026, 11, 2),
        original_name="决定.pdf",
    )
    sanction.file.save("决定.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    sanction.save()
    return {
        "election_project": project.pk,
        "election_step": step.pk,
        "election_document": document.pk,
        "election_candidate": candidate.pk,
        "election_round": ballot_round.pk,
        "election_incident": incident.pk,
        "election_sanction": sanction.pk,
    }


def _meeting_objects(org, staff) -> dict[str, int]:
    from meetings.models import Meeting, MeetingFile

    meeting = Meeting.objects.create(
        organization=org, kind="committee", held_on=date(2026, 3, 5), topic="支委会", entered_on=timezone.localdate()
    )
    row = MeetingFile(meeting=meeting, original_name="照片.jpg", content_type="image/jpeg", size=4)
    row.file.save("照片.jpg", ContentFile(b"\xff\xd8\xff\xe0"))
    return {"meeting": meeting.pk, "meeting_file": row.pk}


def _reorganization(org) -> int:
    """A reorganization of ``org`` out for comments, its 请示 numbered (so that its paper exists)."""
    from organizations.models.reorganization import Reorganization, ReorgKind, ReorgState

    return Reorganization.objects.create(
        organization=org,
        kind=ReorgKind.SUB_UNITS,
        units_planned="协会党小组",
        plan="设立党小组",
        state=ReorgState.CONSULTING,
        consult_started_on=date(2026, 3, 20),
        request_number="1号",
        request_date=date(2026, 4, 1),
    ).pk


def _delivery(user) -> int:
    from core.models import Delivery

    note = Notification.objects.create(recipient=user, title="提醒")
    return Delivery.objects.create(notification=note, channel="sms", address="13812345678", status="failed").pk


def _step_template_2026() -> int:
    """A row of the district's step template (no organization: the same for every role)."""
    from elections.services.steps import ensure_step_templates

    return ensure_step_templates(2026)[0].pk


def make_client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# What a role needs, besides scope, to open an object of a kind (a job is its export: the export permission).
KIND_PERMS = {"job": Perm.EXPORT_ROSTER}


def can_view(user, side: se.Side, kind: str) -> bool:
    if kind == "notification":  # a notification is its recipient's alone
        return side.objects["notification__user"] == user.pk
    org = side.org_of(kind)
    return org is not None and can(type(user).objects.get(pk=user.pk), KIND_PERMS.get(kind, Perm.VIEW_RECORDS), org)


@pytest.fixture
def no_pdf_layout(monkeypatch) -> None:
    """The PDF routes run their selectors, scope checks and templates, but WeasyPrint's layout of the page is left
    out: it is two thirds of this test's time (13 PDF routes × 17 requests) and says nothing about scope. The
    documents' own tests render and read every PDF."""
    from weasyprint import HTML

    monkeypatch.setattr(HTML, "write_pdf", lambda self, *args, **kwargs: b"%PDF-1.7\n% layout left out\n")


def test_every_url_every_role_inside_and_outside_scope(scenario, no_pdf_layout):
    failures = se.check(scenario, make_client, can_view)
    assert not failures, "\n".join(failures)


def test_every_parameter_kind_is_known():
    unknown = [f"{r.route}: {k}" for r in se.routes() for _, k in r.params if k.startswith("unknown:")]
    assert not unknown, "add a resolver in tests/scope_enumeration.py for:\n" + "\n".join(unknown)


@override_settings(ROOT_URLCONF="tests.leaky_urls")
def test_self_check_reports_a_view_that_skips_its_selector(scenario):
    failures = se.check(
        scenario, make_client, can_view, urlconf="tests.leaky_urls", only=lambda r: r.route.endswith("leak/")
    )
    assert any(f.startswith("LEAK") and "/leak/" in f for f in failures), failures


def test_routes_are_enumerated_from_the_urlconf():
    names = {r.name for r in se.routes()}
    assert {"organizations:org_detail", "core:job_download", "organizations:import_members"} <= names


def test_the_no_write_guard_catches_a_write_and_a_row_lock_and_lets_the_export_record_through(users):
    from django.db import connection

    from core import audit
    from core.models import Event

    found: list[str] = []
    with se.no_writes("/x/", found):
        Event.objects.filter(pk=0).update(summary="x")
        list(Event.objects.select_for_update().filter(pk=0))
        audit.record(actor=users.ds, verb="roster.export", summary="导出党员名册")
    # SQLite has no row locks (Django leaves FOR UPDATE out there): the lock is seen on PostgreSQL
    locks = ["row lock"] if connection.features.has_select_for_update else []
    assert [f.split(": ")[1] for f in found] == ["write", *locks]
    assert se.forbidden_statement('INSERT INTO "partybuild_event" ("verb") VALUES (%s)', ["grading.submit"]) == "write"
    assert se.forbidden_statement('SELECT 1 FROM "a" FOR NO KEY UPDATE', []) == "row lock"
    assert se.forbidden_statement('SELECT "a"."update" FROM "a"', []) is None
