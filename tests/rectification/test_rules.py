"""Pure rules of rectification: no database."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from core import uploads
from grading.rules import grades as grading_rules
from grading.rules.grades import Category, Grade
from rectification.rules import acceptance as acceptance_rules
from rectification.rules import cases as case_rules
from rectification.rules import ledger as ledger_rules
from rectification.rules.acceptance import AcceptancePolicy, InspectionItem, Satisfaction
from rectification.rules.cases import Phase
from rectification.rules.ledger import MeasureStatus, TargetKind
from rectification.services import progress as progress_services

ALL_PASSED = {k: True for k in InspectionItem.values}


@pytest.mark.parametrize(
    ("grade", "category"),
    [
        (Grade.GOOD, Category.RED_FLAG),
        (Grade.FAIRLY_GOOD, Category.CATCH_UP),
        (Grade.AVERAGE, Category.LAGGING),
        (Grade.POOR, Category.WEAK),
    ],
)
def test_category_for_every_grade(grade, category):
    assert grading_rules.category_for_grade(grade) == category
    assert grading_rules.category_for_grade(grade.value) == category


def test_every_grade_has_a_category():
    assert {grading_rules.category_for_grade(g) for g in Grade} == set(Category)


# --- Phases ---------------------------------------------------------------------------------------------


def test_phase_order_and_allowed_moves():
    assert case_rules.allowed_targets(Phase.FINDING_PROBLEMS) == [Phase.RECTIFYING]
    assert case_rules.allowed_targets(Phase.RECTIFYING) == [Phase.ACCEPTING]
    assert set(case_rules.allowed_targets(Phase.ACCEPTING)) == {Phase.RECTIFYING, Phase.ACCEPTED}
    assert case_rules.allowed_targets(Phase.ACCEPTED) == []


def counts(**kw):
    base = {"problems": 1, "problems_without_measures": 0, "measures_not_done": 0}
    return base | kw


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (Phase.FINDING_PROBLEMS, Phase.ACCEPTING),
        (Phase.FINDING_PROBLEMS, Phase.ACCEPTED),
        (Phase.RECTIFYING, Phase.ACCEPTED),
        (Phase.ACCEPTED, Phase.RECTIFYING),
        (Phase.RECTIFYING, Phase.FINDING_PROBLEMS),
    ],
)
def test_moves_outside_the_table_refused(source, target):
    assert "不能转到" in case_rules.move_problems(source, target, **counts())[0]


def test_close_only_with_passed_acceptance():
    assert "只有验收通过才能结案" in case_rules.move_problems(Phase.ACCEPTING, Phase.ACCEPTED, **counts())[0]
    assert (
        "不能结案" in case_rules.move_problems(Phase.ACCEPTING, Phase.ACCEPTED, **counts(), acceptance_passed=False)[0]
    )
    assert case_rules.move_problems(Phase.ACCEPTING, Phase.ACCEPTED, **counts(), acceptance_passed=True) == []
    assert case_rules.move_problems(Phase.ACCEPTING, Phase.RECTIFYING, **counts(), acceptance_passed=False) == []
    assert case_rules.move_problems(Phase.ACCEPTING, Phase.RECTIFYING, **counts()) != []


def test_preconditions_of_hand_moves():
    assert case_rules.move_problems(Phase.FINDING_PROBLEMS, Phase.RECTIFYING, **counts(problems=0))
    assert (
        "1个问题"
        in case_rules.move_problems(Phase.FINDING_PROBLEMS, Phase.RECTIFYING, **counts(problems_without_measures=1))[0]
    )
    assert case_rules.move_problems(Phase.FINDING_PROBLEMS, Phase.RECTIFYING, **counts()) == []
    assert "2项" in case_rules.move_problems(Phase.RECTIFYING, Phase.ACCEPTING, **counts(measures_not_done=2))[0]
    assert case_rules.move_problems(Phase.RECTIFYING, Phase.ACCEPTING, **counts()) == []


# --- Problems -------------------------------------------------------------------------------------------


def test_problem_categories_from_the_sources():
    labels = set(ledger_rules.ProblemCategory.labels)
    assert len(labels) == 10  # six of part 2, three of part 4, 其他
    assert "三年内未发展党员" in labels and "项目资金落实困难" in labels and "其他" in labels
    assert {"自查", "走访", "座谈会", "信访"} <= set(ledger_rules.ProblemSource.labels)


# --- Progress, overdue, stalled -------------------------------------------------------------------------


def test_progress_rolls_up_from_measures():
    assert ledger_rules.case_progress([]) == 0
    assert ledger_rules.case_progress([(MeasureStatus.DONE, 100), (MeasureStatus.PLANNED, 0)]) == 50
    assert (
        ledger_rules.case_progress([(MeasureStatus.DONE, 100), (MeasureStatus.IN_PROGRESS, 40), ("planned", 0)]) == 46
    )
    # floor: a case is 100% only when every measure is done
    assert ledger_rules.case_progress([(MeasureStatus.DONE, 100)] * 2 + [(MeasureStatus.IN_PROGRESS, 99)]) == 99


@pytest.mark.parametrize(
    ("status", "percent", "ok"),
    [
        ("planned", 0, True),
        ("planned", 10, False),
        ("in_progress", 50, True),
        ("in_progress", 100, False),
        ("done", 100, True),
        ("done", 90, False),
        ("in_progress", 101, False),
        ("in_progress", -1, False),
    ],
)
def test_measure_status_and_percent(status, percent, ok):
    assert (ledger_rules.measure_problems(status, percent) == []) is ok


def test_status_for_percent():
    assert ledger_rules.status_for_percent(0) == MeasureStatus.PLANNED
    assert ledger_rules.status_for_percent(1) == MeasureStatus.IN_PROGRESS
    assert ledger_rules.status_for_percent(100) == MeasureStatus.DONE


def test_overdue_is_the_day_after_the_deadline_calendar_days():
    deadline = date(2026, 9, 30)  # the day before the National Day holiday: calendar dates, no working days
    assert not ledger_rules.is_overdue(deadline, MeasureStatus.IN_PROGRESS, date(2026, 9, 30))
    assert ledger_rules.is_overdue(deadline, MeasureStatus.IN_PROGRESS, date(2026, 10, 1))
    assert ledger_rules.is_overdue(deadline, MeasureStatus.PLANNED, date(2026, 10, 8))
    assert not ledger_rules.is_overdue(deadline, MeasureStatus.DONE, date(2026, 10, 8))
    assert not ledger_rules.is_overdue(None, MeasureStatus.PLANNED, date(2026, 10, 8))


def test_stalled_after_thirty_days_without_a_note():
    assert not ledger_rules.is_stalled(date(2026, 6, 1), date(2026, 7, 1))  # day 30 of the window (D1)
    assert ledger_rules.is_stalled(date(2026, 6, 1), date(2026, 7, 2))


# --- Member development (part 2 §五(六)) ------------------------------------------------------------------


def test_development_targets():
    assert ledger_rules.DEVELOPMENT_TARGETS == {
        TargetKind.ACTIVIST: 3,
        TargetKind.DEVELOPMENT_TARGET: 2,
        TargetKind.NEW_MEMBER: 1,
    }
    assert not ledger_rules.development_targets_met({"activist": 3, "development_target": 2})
    assert ledger_rules.development_targets_met({"activist": 3, "development_target": 2, "new_member": 1})
    check = ledger_rules.development_check({"activist": 4})
    assert [(t.kind, t.have, t.need, t.met) for t in check] == [
        ("activist", 4, 3, True),
        ("development_target", 0, 2, False),
        ("new_member", 0, 1, False),
    ]


def test_development_counts_count_only_those_who_meet_the_plans_conditions_whichever_the_source():
    """One function for the ledger's entries and the pipeline's records: 35 or younger on the day, high school+."""
    person = ledger_rules.DevelopmentPerson
    on = date(2026, 5, 1)
    people = [
        person("activist", date(1990, 5, 1), "high_school", on),  # 36 on the day: not counted
        person("activist", date(1990, 5, 2), "high_school", on),  # 35: counted
        person("activist", date(2000, 1, 1), "junior", on),  # 初中: not counted
        person("development_target", date(2000, 1, 1), "bachelor", on),
        person("new_member", date(2000, 1, 1), "college", on),
    ]
    assert ledger_rules.development_counts(people) == {"activist": 1, "development_target": 1, "new_member": 1}
    assert ledger_rules.development_counts([]) == {}


def test_development_person_age_35_included_and_high_school():
    on = date(2026, 5, 1)
    assert (
        ledger_rules.development_person_problems(birth_date=date(1990, 5, 2), education="high_school", on=on) == []
    )  # 35
    assert ledger_rules.development_person_problems(birth_date=date(1990, 5, 1), education="college", on=on)  # 36 today
    assert (
        "高中以上"
        in ledger_rules.development_person_problems(birth_date=date(2000, 1, 1), education="junior", on=on)[0]
    )
    assert ledger_rules.development_person_problems(birth_date=date(2000, 1, 1), education="postgraduate", on=on) == []


# --- Acceptance -----------------------------------------------------------------------------------------


def test_acceptance_passes_at_two_thirds_with_all_inspections():
    s = Satisfaction(total=30, satisfied=14, basically_satisfied=6, unsatisfied=10)  # 20/30 = 2/3
    result = acceptance_rules.evaluate_acceptance(s, ALL_PASSED, unsatisfied_items=0)
    assert result.passed and result.share == Fraction(2, 3)


def test_acceptance_fails_below_threshold_or_on_an_inspection_or_open_items():
    low = Satisfaction(total=30, satisfied=14, basically_satisfied=5, unsatisfied=11)
    assert "低于66.7%" in acceptance_rules.evaluate_acceptance(low, ALL_PASSED, unsatisfied_items=0).reasons[0]
    good = Satisfaction(total=30, satisfied=30, basically_satisfied=0, unsatisfied=0)
    site_failed = ALL_PASSED | {"site": False}
    assert "看现场" in acceptance_rules.evaluate_acceptance(good, site_failed, unsatisfied_items=0).reasons[0]
    assert not acceptance_rules.evaluate_acceptance(good, ALL_PASSED, unsatisfied_items=1).passed


def test_acceptance_policy_is_configurable():
    s = Satisfaction(total=30, satisfied=14, basically_satisfied=6, unsatisfied=10)
    strict = AcceptancePolicy(count_basically_satisfied=False)
    assert not acceptance_rules.evaluate_acceptance(s, ALL_PASSED, unsatisfied_items=0, policy=strict).passed
    lenient = AcceptancePolicy(min_satisfied_share=Fraction(1, 2), require_all_inspections=False)
    assert acceptance_rules.evaluate_acceptance(s, {}, unsatisfied_items=0, policy=lenient).passed


def test_representative_counts_checked():
    assert "S1" in acceptance_rules.satisfaction_errors(Satisfaction(0, 0, 0, 0))[0]
    assert "S2" in acceptance_rules.satisfaction_errors(Satisfaction(10, 8, 2, 1))[0]
    assert acceptance_rules.satisfaction_errors(Satisfaction(10, 8, 1, 0)) == []  # one did not mark: not satisfied


# --- Uploads --------------------------------------------------------------------------------------------

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF"
PDF = b"%PDF-1.7\n"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04\x14\x00"


@pytest.mark.parametrize(
    ("name", "head", "zip_names"),
    [
        ("现场照片.JPG", JPEG, None),
        ("a.jpeg", JPEG, None),
        ("会议记录.pdf", PDF, None),
        ("台账.doc", OLE, None),
        ("台账.xls", OLE, None),
        ("方案.docx", ZIP, ["[Content_Types].xml", "word/document.xml"]),
        ("台账.xlsx", ZIP, ["[Content_Types].xml", "xl/workbook.xml"]),
        ("p.png", b"\x89PNG\r\n\x1a\n", None),
    ],
)
def test_allowed_uploads(name, head, zip_names):
    assert (
        uploads.upload_problems(
            progress_services.EVIDENCE_UPLOADS, name=name, size=1000, head=head, zip_names=zip_names
        )
        == []
    )


@pytest.mark.parametrize(
    ("name", "size", "head", "zip_names", "message"),
    [
        ("病毒.exe", 1000, b"MZ", None, "格式不支持"),
        ("无扩展名", 1000, PDF, None, "格式不支持"),
        ("page.html", 1000, b"<html>", None, "格式不支持"),
        ("假照片.jpg", 1000, b"MZ\x90\x00", None, "内容与扩展名.jpg不符"),
        ("假文档.docx", 1000, ZIP, ["xl/workbook.xml"], "内容与扩展名.docx不符"),
        ("压缩包.xlsx", 1000, ZIP, ["evil.exe"], "内容与扩展名.xlsx不符"),
        ("大.pdf", 20 * 1024 * 1024 + 1, PDF, None, "超过20MB"),
        ("空.pdf", 0, b"", None, "空文件"),
    ],
)
def test_refused_uploads(name, size, head, zip_names, message):
    problems = uploads.upload_problems(
        progress_services.EVIDENCE_UPLOADS, name=name, size=size, head=head, zip_names=zip_names
    )
    assert len(problems) == 1 and message in problems[0]


def test_the_evidence_hint_names_the_formats_and_the_limit():
    hint = "支持照片(JPG、PNG)、PDF、Word(doc/docx)、Excel(xls/xlsx),单个文件不超过20MB"
    assert progress_services.EVIDENCE_UPLOADS.hint == hint


def test_twenty_megabytes_exactly_is_allowed():
    assert (
        uploads.upload_problems(progress_services.EVIDENCE_UPLOADS, name="a.pdf", size=20 * 1024 * 1024, head=PDF) == []
    )


def test_stored_name_is_a_token_and_clean_extension():
    name = uploads.stored_name("../../etc/照片.JPEG")
    stem, ext = name.split(".")
    assert ext == "jpg" and len(stem) == 32 and all(c in "0123456789abcdef" for c in stem)
    assert uploads.stored_name("x.pdf") != uploads.stored_name("x.pdf")


def test_display_name_keeps_only_a_safe_base_name():
    assert uploads.display_name("C:\\Users\\张三\\现场照片.jpg") == "现场照片.jpg"
    assert uploads.display_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert uploads.display_name('a<b>:"c|?*.pdf') == "a_b___c___.pdf"
    assert uploads.display_name("x\x00y.pdf") == "x_y.pdf"
    assert len(uploads.display_name("长" * 500 + ".pdf")) == uploads.DISPLAY_NAME_MAX
