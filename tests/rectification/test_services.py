"""Services of rectification: permissions on the organization, the case's phases, acceptance, uploads."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from core.models import Event
from grading.rules.grades import Category
from organizations.roles import Perm
from organizations.scope import can, forget_grants
from rectification import access
from rectification.models import (
    AcceptanceIssue,
    Case,
    Evidence,
    Measure,
    ProgressNote,
    SupervisionLevel,
)
from rectification.rules.cases import Phase
from rectification.selectors import cases as case_selectors
from rectification.services import acceptance as acceptance_services
from rectification.services import cases as case_services
from rectification.services import categories as category_services
from rectification.services import ledger as ledger_services
from rectification.services import progress as progress_services

pytestmark = pytest.mark.django_db

DAY = date(2026, 5, 12)
ALL_PASSED = {k: acceptance_services.Inspection(True, "情况属实") for k in ("report", "records", "site", "masses")}


@pytest.fixture
def weak_case(users, tree) -> Case:
    """Village A1 set 软弱涣散 by the district (no grade yet): its case opens with the category."""
    case_services.category_set_by_hand(
        actor=users.ds,
        organization=tree.village_a1,
        year=2026,
        category=Category.WEAK,
        reason="信访矛盾集中",
        since=DAY,
    )
    return Case.objects.get(organization=tree.village_a1)


@pytest.fixture
def lagging_a21(users, tree):
    case_services.category_set_by_hand(
        actor=users.ds, organization=tree.branch_a21, year=2026, category=Category.LAGGING, reason="测试"
    )
    return tree.branch_a21


def ledger(actor, case: Case, *, measures: int = 2) -> list[Measure]:
    problem = ledger_services.problem_create(
        actor=actor, case=case, category="no_venue", source="visits", description="无村级组织活动场所"
    )
    return [
        ledger_services.measure_create(
            actor=actor,
            problem=problem,
            text=f"修建活动阵地{i}",
            responsible="张三",
            deadline=date(2026, 6, 30),
            budget=Decimal("10"),
        )
        for i in range(measures)
    ]


def accept(actor, case: Case, *, satisfied: int = 25, items=(), inspections=None, held_on=date(2026, 9, 25)):
    return acceptance_services.acceptance_record(
        actor=actor,
        case=case,
        held_on=held_on,
        self_check="对照方案逐项自查,整改措施全部完成",
        representatives_total=30,
        satisfied=satisfied,
        basically_satisfied=0,
        unsatisfied=30 - satisfied,
        inspections=inspections or ALL_PASSED,
        items=items,
    )


# --- Categories, showcases, liaisons, pairings ---------------------------------------------------------


def test_category_by_hand_is_the_districts_with_a_reason(users, tree):
    with pytest.raises(PermissionDenied):
        case_services.category_set_by_hand(
            actor=users.ts_a, organization=tree.village_a1, year=2026, category="lagging", reason="x"
        )
    with pytest.raises(ValidationError, match="理由"):
        case_services.category_set_by_hand(
            actor=users.ds, organization=tree.village_a1, year=2026, category="lagging", reason=" "
        )
    row = case_services.category_set_by_hand(
        actor=users.ds, organization=tree.village_a1, year=2026, category="lagging", reason="班子不团结"
    )
    assert row.source == "hand" and row.set_by == users.ds
    assert Event.objects.filter(verb="rectification.category_set", org_path=tree.village_a1.path).exists()
    assert not Case.objects.exists()  # a 后进 case is opened by hand, not automatically


def test_category_by_hand_refused_once_a_final_grade_exists(finalize, users, tree):
    finalize({tree.village_a1: "average"})
    with pytest.raises(ValidationError, match="已有最终等次"):
        case_services.category_set_by_hand(
            actor=users.ds, organization=tree.village_a1, year=2026, category="weak", reason="x"
        )


def test_weak_by_hand_opens_the_case(weak_case, tree):
    assert weak_case.source == "auto" and weak_case.phase == Phase.FINDING_PROBLEMS and weak_case.opened_on == DAY


def test_showcase_only_for_red_flag_by_district(users, tree):
    with pytest.raises(ValidationError, match="红旗支部"):
        category_services.showcase_designate(actor=users.ds, organization=tree.village_a1, year=2026)
    case_services.category_set_by_hand(
        actor=users.ds, organization=tree.village_a1, year=2026, category="red_flag", reason="x"
    )
    with pytest.raises(PermissionDenied):
        category_services.showcase_designate(actor=users.ts_a, organization=tree.village_a1, year=2026)
    showcase = category_services.showcase_designate(
        actor=users.ds, organization=tree.village_a1, year=2026, note="经验突出"
    )
    assert showcase.designated_by == users.ds
    with pytest.raises(ValidationError, match="已是"):
        category_services.showcase_designate(actor=users.ds, organization=tree.village_a1, year=2026)


def test_liaison_gets_the_role_and_loses_it_with_the_duty(users, tree, lagging_a21):
    from tests.factories import UserFactory

    cadre = UserFactory(username="cadre")
    with pytest.raises(PermissionDenied):
        category_services.liaison_assign(
            actor=users.ts_b, organization=lagging_a21, person_name="李四", kind="leading_cadre", duties="x", since=DAY
        )
    liaison = category_services.liaison_assign(
        actor=users.ts_a,
        organization=lagging_a21,
        person_name="李四",
        kind="leading_cadre",
        duties="每月到村指导一次",
        since=DAY,
        user=cadre,
    )
    forget_grants(cadre)
    assert can(cadre, Perm.REPORT_PROGRESS, lagging_a21) and not can(cadre, Perm.MANAGE_CASES, lagging_a21)
    category_services.liaison_end(actor=users.ts_a, liaison=liaison, until=date(2026, 12, 31))
    forget_grants(cadre)
    assert not can(cadre, Perm.VIEW_RECORDS, lagging_a21)


def test_liaison_only_for_lagging_or_weak(users, tree):
    case_services.category_set_by_hand(
        actor=users.ds, organization=tree.village_a1, year=2026, category="catch_up", reason="x"
    )
    with pytest.raises(ValidationError, match="后进支部"):
        category_services.liaison_assign(
            actor=users.ts_a,
            organization=tree.village_a1,
            person_name="李四",
            kind="organ_cadre",
            duties="x",
            since=DAY,
        )
    helper = category_services.helper_assign(
        actor=users.ts_a, organization=tree.village_a1, person_name="王五", since=DAY
    )
    assert helper.person_name == "王五"


def test_pairing_partner_must_be_red_flag(users, tree, lagging_a21):
    case_services.category_set_by_hand(
        actor=users.ds, organization=tree.community_b1, year=2026, category="catch_up", reason="x"
    )
    with pytest.raises(ValidationError, match="不是红旗支部"):
        category_services.pairing_create(actor=users.ts_a, lagging=lagging_a21, red_flag=tree.community_b1, since=DAY)
    case_services.category_set_by_hand(
        actor=users.ds, organization=tree.community_b1, year=2026, category="red_flag", reason="x"
    )
    pairing = category_services.pairing_create(
        actor=users.ts_a, lagging=lagging_a21, red_flag=tree.community_b1, since=DAY
    )
    assert pairing.red_flag == tree.community_b1


# --- Opening a case ------------------------------------------------------------------------------------


def test_case_by_hand_for_a_lagging_org(users, tree, lagging_a21):
    with pytest.raises(PermissionDenied):
        case_services.case_open_by_hand(actor=users.sec_a1, organization=lagging_a21, year=2026, reason="x")
    with pytest.raises(PermissionDenied):
        case_services.case_open_by_hand(actor=users.ts_b, organization=lagging_a21, year=2026, reason="x")
    case = case_services.case_open_by_hand(
        actor=users.ts_a, organization=lagging_a21, year=2026, reason="三年未发展党员"
    )
    assert case.source == "hand" and case.category == Category.LAGGING
    with pytest.raises(ValidationError, match="未结案"):
        case_services.case_open_by_hand(actor=users.ts_a, organization=lagging_a21, year=2026, reason="x")


def test_case_by_hand_refused_for_other_categories(users, tree):
    with pytest.raises(ValidationError, match="尚未分类"):
        case_services.case_open_by_hand(actor=users.ts_a, organization=tree.general_a2, year=2026, reason="x")


# --- Phases and acceptance -----------------------------------------------------------------------------


def test_case_from_problems_to_accepted(users, weak_case):
    # given: finding problems
    with pytest.raises(ValidationError, match="尚未查摆出任何问题"):
        case_services.case_transition(actor=users.ts_a, case=weak_case, to=Phase.RECTIFYING)
    measures = ledger(users.ts_a, weak_case)
    case = case_services.case_transition(actor=users.ts_a, case=weak_case, to=Phase.RECTIFYING, today=DAY)
    assert case.phase == Phase.RECTIFYING and case.rectifying_started_on == DAY
    # acceptance cannot be asked for while measures are open
    with pytest.raises(ValidationError, match="2项整改措施未完成"):
        case_services.case_transition(actor=users.ts_a, case=case, to=Phase.ACCEPTING)
    for m in measures:
        ledger_services.measure_update(actor=users.ts_a, measure=m, status="done", spent=Decimal("9.5"))
    case = case_services.case_transition(actor=users.ts_a, case=case, to=Phase.ACCEPTING)
    # no hand move closes a case: only a passed acceptance does (不达标不收队)
    with pytest.raises(ValidationError, match="只有验收通过才能结案"):
        case_services.case_transition(actor=users.ds, case=case, to=Phase.ACCEPTED)
    with pytest.raises(PermissionDenied):
        accept(users.ts_a, case)  # a 软弱涣散 case is accepted by the district
    # when
    acceptance = accept(users.ds, case)
    # then
    case.refresh_from_db()
    assert acceptance.passed and case.phase == Phase.ACCEPTED and case.closed_on == date(2026, 9, 25)
    assert case.regrade_requested_at is not None
    assert Event.objects.filter(verb="rectification.regrade_requested", target_id=str(case.pk)).exists()
    with pytest.raises(ValidationError, match="已验收结案"):
        ledger_services.problem_create(
            actor=users.ts_a, case=case, category="other", source="self_check", description="x"
        )


def test_failed_acceptance_returns_to_rectifying_with_deadlines(users, weak_case):
    for m in ledger(users.ts_a, weak_case, measures=1):
        ledger_services.measure_update(actor=users.ts_a, measure=m, percent=100)
    case_services.case_transition(actor=users.ts_a, case=weak_case, to=Phase.RECTIFYING)
    case_services.case_transition(actor=users.ts_a, case=weak_case, to=Phase.ACCEPTING)
    # a failed acceptance must say what to rectify by when
    with pytest.raises(ValidationError, match="限期整改"):
        accept(users.ds, weak_case, satisfied=15)
    items = [acceptance_services.UnsatisfiedItem("便民服务站值班不落实", date(2026, 10, 31), "李四")]
    with pytest.raises(ValidationError, match="须晚于验收日期"):
        accept(users.ds, weak_case, satisfied=15, items=[acceptance_services.UnsatisfiedItem("x", date(2026, 9, 1))])
    # when
    acceptance = accept(users.ds, weak_case, satisfied=15, items=items)
    # then
    case = Case.objects.get(pk=weak_case.pk)
    assert not acceptance.passed and "满意率50.0%" in acceptance.reasons
    assert case.phase == Phase.RECTIFYING and case.closed_on is None and case.regrade_requested_at is None
    issue = AcceptanceIssue.objects.get(acceptance=acceptance)
    assert issue.deadline == date(2026, 10, 31)
    assert issue.measure.deadline == date(2026, 10, 31) and issue.measure.responsible == "李四"
    assert issue.measure.problem.source == "acceptance"
    # the item is now a measure of the ledger: acceptance again only once it is done
    with pytest.raises(ValidationError, match="1项整改措施未完成"):
        case_services.case_transition(actor=users.ts_a, case=case, to=Phase.ACCEPTING)
    assert [m.pk for m in case_selectors.overdue_measures(users.ds, date(2026, 11, 1))] == [issue.measure.pk]


def test_inspection_failure_fails_even_when_representatives_are_satisfied(users, weak_case):
    for m in ledger(users.ts_a, weak_case, measures=1):
        ledger_services.measure_update(actor=users.ts_a, measure=m, status="done")
    case_services.case_transition(actor=users.ts_a, case=weak_case, to=Phase.RECTIFYING)
    case_services.case_transition(actor=users.ts_a, case=weak_case, to=Phase.ACCEPTING)
    site_failed = ALL_PASSED | {"site": acceptance_services.Inspection(False, "活动场所未竣工")}
    acceptance = accept(
        users.ds,
        weak_case,
        satisfied=30,
        inspections=site_failed,
        items=[acceptance_services.UnsatisfiedItem("竣工", DAY.replace(month=12))],
    )
    assert not acceptance.passed and "看现场" in acceptance.reasons and not acceptance.site_passed


def test_acceptance_only_in_the_acceptance_phase(users, weak_case):
    with pytest.raises(ValidationError, match="申请检查验收后才能验收"):
        accept(users.ds, weak_case)


def test_lagging_case_accepted_by_the_township(users, lagging_a21):
    # part 2 §六(二): 基层党组织自评、党员群众测评、乡党委评定
    case = case_services.case_open_by_hand(actor=users.ts_a, organization=lagging_a21, year=2026, reason="x")
    for m in ledger(users.ts_a, case, measures=1):
        ledger_services.measure_update(actor=users.ts_a, measure=m, status="done")
    case_services.case_transition(actor=users.ts_a, case=case, to=Phase.RECTIFYING)
    case_services.case_transition(actor=users.ts_a, case=case, to=Phase.ACCEPTING)
    with pytest.raises(PermissionDenied):
        accept(users.ts_b, case)
    assert accept(users.ts_a, case).passed


def test_acceptance_threshold_from_settings(users, weak_case, settings):
    settings.RECTIFICATION_ACCEPTANCE_POLICY = {"min_satisfied_share": "9/10"}
    for m in ledger(users.ts_a, weak_case, measures=1):
        ledger_services.measure_update(actor=users.ts_a, measure=m, status="done")
    case_services.case_transition(actor=users.ts_a, case=weak_case, to=Phase.RECTIFYING)
    case_services.case_transition(actor=users.ts_a, case=weak_case, to=Phase.ACCEPTING)
    items = [acceptance_services.UnsatisfiedItem("x", date(2026, 12, 1))]
    assert not accept(users.ds, weak_case, satisfied=25, items=items).passed  # 25/30 < 9/10


def test_stale_header_save_refused(users, weak_case):
    seen = weak_case.version
    case_services.case_update(actor=users.ts_a, case=weak_case, expected_version=seen, first_secretary="王书记")
    with pytest.raises(ValidationError, match="已被他人修改"):
        case_services.case_update(actor=users.ts_a, case=weak_case, expected_version=seen, work_group_leader="赵组长")
    assert Case.objects.get(pk=weak_case.pk).first_secretary == "王书记"


# --- Permissions: who reports progress -----------------------------------------------------------------


def test_secretary_reports_progress_on_own_case_but_does_not_manage_it(users, weak_case):
    measure = ledger(users.ts_a, weak_case, measures=1)[0]
    note = progress_services.progress_note_add(
        actor=users.sec_a1, case=weak_case, text="阵地主体完工", measure=measure, percent=60
    )
    assert note.author == users.sec_a1
    measure.refresh_from_db()
    assert (measure.status, measure.percent) == ("in_progress", 60)
    with pytest.raises(PermissionDenied):
        ledger_services.problem_create(
            actor=users.sec_a1, case=weak_case, category="other", source="self_check", description="x"
        )
    with pytest.raises(PermissionDenied):
        case_services.case_transition(actor=users.sec_a1, case=weak_case, to=Phase.RECTIFYING)


def test_liaison_reports_progress_on_assigned_org(users, tree):
    case_services.category_set_by_hand(
        actor=users.ds, organization=tree.community_b1, year=2026, category="weak", reason="x"
    )
    case = Case.objects.get(organization=tree.community_b1)
    assert (
        progress_services.progress_note_add(actor=users.liaison, case=case, text="走访群众10户").author == users.liaison
    )


def test_buttons_show_only_allowed_moves(users, weak_case):
    from rectification.access import allowed_moves

    assert allowed_moves(users.ts_a, weak_case) == [Phase.RECTIFYING]
    assert allowed_moves(users.sec_a1, weak_case) == []
    assert allowed_moves(users.ts_b, weak_case) == []


@pytest.mark.parametrize("who", ["ts_b", "sec_b1", "viewer_a", "nobody", "liaison"])
def test_outsiders_cannot_report_progress(users, weak_case, who):
    with pytest.raises(PermissionDenied):
        progress_services.progress_note_add(actor=getattr(users, who), case=weak_case, text="x")


def test_out_of_scope_case_is_404(users, weak_case):
    with pytest.raises(Http404):
        access.case_for(users.ts_b, weak_case.pk)
    assert access.case_for(users.viewer_a, weak_case.pk) == weak_case


def test_development_target_rules(users, weak_case):
    with pytest.raises(ValidationError, match="超过35岁"):
        ledger_services.target_create(
            actor=users.ts_a,
            case=weak_case,
            kind="activist",
            person_name="甲",
            birth_date=date(1980, 1, 1),
            education="high_school",
            since=DAY,
        )
    with pytest.raises(ValidationError, match="高中以上"):
        ledger_services.target_create(
            actor=users.ts_a,
            case=weak_case,
            kind="activist",
            person_name="乙",
            birth_date=date(2000, 1, 1),
            education="junior",
            since=DAY,
        )
    ledger_services.target_create(
        actor=users.ts_a,
        case=weak_case,
        kind="new_member",
        person_name="丙",
        birth_date=date(1991, 1, 1),
        education="bachelor",
        since=DAY,
    )
    check = case_selectors.development_check(users.ds, weak_case)
    assert [(t.kind, t.have) for t in check] == [("activist", 0), ("development_target", 0), ("new_member", 1)]


def test_supervision_levels(users, weak_case, tree):
    assert (
        acceptance_services.supervision_visit_record(
            actor=users.ds, organization=tree.village_a1, case=weak_case, visited_on=DAY, findings="台账不全"
        ).level
        == SupervisionLevel.DISTRICT
    )
    assert (
        acceptance_services.supervision_visit_record(
            actor=users.ts_a, organization=tree.township_a, visited_on=DAY, findings="整体推进较慢"
        ).level
        == SupervisionLevel.TOWNSHIP
    )
    with pytest.raises(PermissionDenied):
        acceptance_services.supervision_visit_record(
            actor=users.sec_a1, organization=tree.village_a1, visited_on=DAY, findings="x"
        )


# --- Evidence uploads ----------------------------------------------------------------------------------

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("病毒.exe", b"MZ\x90\x00" + b"\x00" * 100, "格式不支持"),
        ("假照片.jpg", b"MZ\x90\x00" + b"\x00" * 100, "内容与扩展名.jpg不符"),
        ("改名的压缩包.docx", b"PK\x03\x04" + b"\x00" * 100, "内容与扩展名.docx不符"),
        ("空.pdf", b"", "空文件"),
    ],
)
def test_bad_uploads_refused_and_nothing_stored(users, weak_case, media, name, content, message):
    with pytest.raises(ValidationError, match=message):
        progress_services.evidence_upload(actor=users.sec_a1, case=weak_case, upload=SimpleUploadedFile(name, content))
    assert stored_files(media) == [] and not Evidence.objects.exists()


def test_too_large_upload_refused_and_nothing_stored(users, weak_case, media):
    big = SimpleUploadedFile("扫描件.pdf", b"%PDF-1.7\n" + b"0" * (20 * 1024 * 1024))
    with pytest.raises(ValidationError, match="超过20MB上限"):
        progress_services.evidence_upload(actor=users.sec_a1, case=weak_case, upload=big)
    assert stored_files(media) == [] and not Evidence.objects.exists()


def test_a_report_with_a_refused_file_keeps_no_note_either(users, weak_case, media):
    with pytest.raises(ValidationError, match="内容与扩展名"):
        progress_services.progress_report(
            actor=users.sec_a1, case=weak_case, text="召开会议", upload=SimpleUploadedFile("假.jpg", b"MZ" * 50)
        )
    assert not ProgressNote.objects.filter(case=weak_case).exists() and stored_files(media) == []
    note = progress_services.progress_report(
        actor=users.sec_a1, case=weak_case, text="召开会议", upload=SimpleUploadedFile("会议.jpg", JPEG)
    )
    assert note.text == "召开会议" and Evidence.objects.filter(case=weak_case).count() == 1


def test_refused_by_permission_stores_nothing(users, weak_case, media):
    with pytest.raises(PermissionDenied):
        progress_services.evidence_upload(actor=users.ts_b, case=weak_case, upload=SimpleUploadedFile("a.jpg", JPEG))
    assert stored_files(media) == []


def test_good_upload_stored_under_a_random_name(users, weak_case, media):
    evidence = progress_services.evidence_upload(
        actor=users.sec_a1, case=weak_case, upload=SimpleUploadedFile("..\\..\\现场 照片.JPEG", JPEG)
    )
    files = stored_files(media)
    assert len(files) == 1 and files[0].suffix == ".jpg" and "照片" not in files[0].name
    assert evidence.original_name == "现场 照片.JPEG" and evidence.content_type == "image/jpeg"
    assert evidence.size == len(JPEG) and evidence.uploaded_by == users.sec_a1
    assert files[0].read_bytes() == JPEG
