"""The pipeline's rules F1–F6 (docs/domain.md): pure, no database; the values on each side of each threshold."""

from __future__ import annotations

from datetime import date

import pytest

from development.rules import pipeline as rules
from development.rules.pipeline import Dates, Stage


def test_stages_move_one_forward_at_a_time_in_their_order():
    assert [rules.next_stage(s) for s in rules.STAGE_ORDER] == [*rules.STAGE_ORDER[1:], None]
    assert set(rules.MOVES) == set(zip(rules.STAGE_ORDER, rules.STAGE_ORDER[1:], strict=False))


@pytest.mark.parametrize(
    ("stage", "to"),
    [
        ("applicant", "target"),
        ("activist", "applicant"),
        ("target", "full"),
        ("full", "applicant"),
        ("target", "target"),
    ],
)
def test_a_skipped_or_backward_move_is_refused_in_words(stage, to):
    found = rules.move_problems(
        stage=stage, to=to, dates=Dates(date(2020, 1, 1)), on=date(2026, 1, 1), today=date(2026, 1, 2)
    )
    assert len(found) == 1 and "不能从" in found[0] and "顺序" in found[0]


def test_f1_eighteen_full_years_on_the_day_of_the_application():
    today = date(2026, 12, 3)
    assert rules.application_problems(birth_date=date(2008, 12, 3), applied_on=date(2026, 12, 3), today=today) == []
    late = rules.application_problems(birth_date=date(2008, 12, 4), applied_on=date(2026, 12, 3), today=today)
    assert late == ["申请入党时须年满18周岁(党章第一条),申请时17岁"]
    assert rules.application_problems(birth_date=date(2000, 1, 1), applied_on=date(2026, 12, 4), today=today) == [
        "申请入党日期不能晚于今天"
    ]
    assert rules.application_problems(birth_date=date(2026, 12, 3), applied_on=date(2026, 12, 3), today=today) == [
        "出生日期应早于申请入党日期"
    ]


def test_f1_born_on_29_february_turns_eighteen_on_1_march_of_a_common_year():
    today = date(2026, 12, 3)
    assert rules.age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert rules.application_problems(birth_date=date(2008, 2, 29), applied_on=date(2026, 3, 1), today=today) == []


def test_f2_a_date_before_the_previous_stage_or_in_the_future_is_refused():
    dates = Dates(date(2025, 3, 1))
    ok = rules.move_problems(stage="applicant", to="activist", dates=dates, on=date(2025, 3, 1), today=date(2026, 1, 1))
    assert ok == []
    early = rules.move_problems(
        stage="applicant", to="activist", dates=dates, on=date(2025, 2, 28), today=date(2026, 1, 1)
    )
    assert early == ["日期不能早于上一阶段的日期(2025年03月01日)"]
    future = rules.move_problems(
        stage="applicant", to="activist", dates=dates, on=date(2026, 1, 2), today=date(2026, 1, 1)
    )
    assert future == ["日期不能晚于今天"]


def test_f3_an_activist_needs_one_year_or_more_before_becoming_a_development_target():
    dates = Dates(date(2024, 1, 1), activist_on=date(2025, 3, 1))
    today = date(2026, 12, 3)
    assert rules.move_problems(stage="activist", to="target", dates=dates, on=date(2026, 3, 1), today=today) == []
    short = rules.move_problems(stage="activist", to="target", dates=dates, on=date(2026, 2, 28), today=today)
    assert short == ["入党积极分子须经过1年以上培养考察才能列为发展对象,最早2026年03月01日"]
    leap = Dates(date(2023, 1, 1), activist_on=date(2024, 2, 29))
    assert rules.earliest_target_on(date(2024, 2, 29)) == date(2025, 2, 28)
    assert rules.move_problems(stage="activist", to="target", dates=leap, on=date(2025, 2, 28), today=today) == []


def test_f4_probation_is_one_year_from_admission_and_confirmation_waits_for_its_end():
    assert rules.probation_ends_on(date(2025, 7, 1)) == date(2026, 7, 1)
    assert rules.probation_ends_on(date(2024, 2, 29)) == date(2025, 2, 28)
    dates = Dates(date(2022, 1, 1), date(2023, 1, 1), date(2024, 3, 1), admitted_on=date(2025, 7, 1))
    today = date(2026, 12, 3)
    assert rules.move_problems(stage="probationary", to="full", dates=dates, on=date(2026, 7, 1), today=today) == []
    early = rules.move_problems(stage="probationary", to="full", dates=dates, on=date(2026, 6, 30), today=today)
    assert early == ["预备期为1年(党章第七条),2026年07月01日期满后方可转正"]


@pytest.mark.parametrize(
    ("day", "latest"),
    [
        (date(2026, 12, 3), date(2025, 12, 3)),
        (date(2025, 2, 28), date(2024, 2, 29)),  # admitted on 29 Feb 2024: ends 28 Feb 2025
        (date(2026, 2, 28), date(2025, 2, 28)),
        (date(2028, 2, 29), date(2027, 2, 28)),
        (date(2028, 3, 1), date(2027, 3, 1)),
    ],
)
def test_latest_admission_ending_by_agrees_with_probation_ends_on(day, latest):
    assert rules.latest_admission_ending_by(day) == latest
    assert rules.probation_ends_on(latest) <= day
    after = date.fromordinal(latest.toordinal() + 1)
    assert rules.probation_ends_on(after) > day


def test_f5_one_or_two_contact_persons():
    assert rules.contacts_problems(1) == [] and rules.contacts_problems(2) == []
    assert rules.contacts_problems(0) == ["须指定1至2名正式党员作培养联系人(收到0名)"]
    assert rules.contacts_problems(3) == ["须指定1至2名正式党员作培养联系人(收到3名)"]


def test_f6_a_probation_is_due_thirty_days_before_it_ends():
    admitted = date(2025, 12, 31)  # ends 2026-12-31
    assert rules.probation_days_left(admitted, date(2026, 12, 1)) == 30
    assert rules.probation_due(admitted, date(2026, 12, 1))
    assert not rules.probation_due(admitted, date(2026, 11, 30))
    assert rules.probation_days_left(admitted, date(2027, 1, 1)) == -1


def test_the_stage_labels_are_the_words_users_read():
    assert [s.label for s in rules.STAGE_ORDER] == ["入党申请人", "入党积极分子", "发展对象", "预备党员", "正式党员"]
    assert Stage("target").label == "发展对象"
