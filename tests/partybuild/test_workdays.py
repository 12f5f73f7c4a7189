"""Pure working-day arithmetic (RULES.md D1–D3, STACK.md check value): no database."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest

from core.workdays import Calendar, CalendarMissing, DayLine, parse_day_lines


def official(*years: int) -> Calendar:
    """A calendar for ``years`` built straight from the chinesecalendar package (only days differing from Mon–Fri)."""
    overrides: dict[date, bool] = {}
    for year in years:
        day = date(year, 1, 1)
        while day.year == year:
            working = chinese_calendar.is_workday(day)
            if working != (day.weekday() < 5):
                overrides[day] = working
            day += timedelta(days=1)
    return Calendar(years=frozenset(years), overrides=overrides)


CAL_2026 = official(2025, 2026)


# --- D1: a window starts the day after the start event ------------------------------------------------------


def test_d1_three_day_notice_published_0405_runs_0406_to_0408() -> None:
    assert CAL_2026.window_end(date(2026, 4, 5), 3, working_days=False) == date(2026, 4, 8)
    assert CAL_2026.window_days(date(2026, 4, 5), 3, working_days=False) == [
        date(2026, 4, 6),
        date(2026, 4, 7),
        date(2026, 4, 8),
    ]


def test_calendar_day_windows_need_no_table_at_all() -> None:
    empty = Calendar()
    assert empty.window_end(date(2027, 12, 30), 3, working_days=False) == date(2028, 1, 2)
    assert empty.add_days(date(2028, 2, 28), 1) == date(2028, 2, 29)


# --- D2: the official calendar ------------------------------------------------------------------------------


def test_d2_five_working_days_from_0927_end_1009() -> None:
    assert CAL_2026.window_days(date(2026, 9, 27), 5, working_days=True) == [
        date(2026, 9, 28),
        date(2026, 9, 29),
        date(2026, 9, 30),
        date(2026, 10, 8),
        date(2026, 10, 9),
    ]
    assert CAL_2026.window_end(date(2026, 9, 27), 5, working_days=True) == date(2026, 10, 9)


def test_d2_seven_working_days_starting_0213_end_0228() -> None:
    # "Starting 2026-02-13" = day 1 is 02-13, i.e. the start event is 02-12 (D1). 02-14 and 02-28 are make-up
    # Saturdays; 02-15..02-23 is the Spring Festival holiday.
    assert CAL_2026.window_days(date(2026, 2, 12), 7, working_days=True) == [
        date(2026, 2, 13),
        date(2026, 2, 14),
        date(2026, 2, 24),
        date(2026, 2, 25),
        date(2026, 2, 26),
        date(2026, 2, 27),
        date(2026, 2, 28),
    ]
    assert CAL_2026.window_end(date(2026, 2, 12), 7, working_days=True) == date(2026, 2, 28)
    # The other reading (start event on 02-13) would end on Monday 03-02, which is not what the rule says.
    assert CAL_2026.window_end(date(2026, 2, 13), 7, working_days=True) == date(2026, 3, 2)


def test_stack_check_seven_working_days_after_0928_end_1013() -> None:
    assert CAL_2026.is_workday(date(2026, 10, 10))  # a Saturday made a working day
    assert CAL_2026.window_end(date(2026, 9, 28), 7, working_days=True) == date(2026, 10, 13)


def test_spring_festival_2026_matches_the_package() -> None:
    assert CAL_2026.is_workday(date(2026, 2, 14)) and CAL_2026.is_workday(date(2026, 2, 28))
    assert not any(CAL_2026.is_workday(date(2026, 2, d)) for d in range(15, 24))


def test_plain_weekends_and_weekdays() -> None:
    cal = Calendar(years=frozenset({2030}))
    assert cal.is_workday(date(2030, 3, 1))  # Friday
    assert not cal.is_workday(date(2030, 3, 2))  # Saturday
    assert not cal.is_workday(date(2030, 3, 3))  # Sunday
    # Friday + 1 working day = Monday
    assert cal.window_end(date(2030, 3, 1), 1, working_days=True) == date(2030, 3, 4)
    # starting on a Saturday: the window's first working day is Monday
    assert cal.window_days(date(2030, 3, 2), 2, working_days=True) == [date(2030, 3, 4), date(2030, 3, 5)]


def test_make_up_saturday_counts_and_weekday_holiday_does_not() -> None:
    cal = Calendar(years=frozenset({2030}), overrides={date(2030, 3, 2): True, date(2030, 3, 4): False})
    assert cal.window_days(date(2030, 3, 1), 3, working_days=True) == [
        date(2030, 3, 2),
        date(2030, 3, 5),
        date(2030, 3, 6),
    ]


def test_working_days_between_is_the_inverse_of_window_end() -> None:
    start = date(2026, 9, 27)
    for n in range(0, 15):
        assert CAL_2026.working_days_between(start, CAL_2026.window_end(start, n, working_days=True)) == n
    assert CAL_2026.working_days_between(date(2026, 9, 30), date(2026, 10, 7)) == 0
    assert CAL_2026.working_days_between(date(2026, 10, 9), date(2026, 9, 27)) == -5
    assert CAL_2026.working_days_between(date(2026, 5, 6), date(2026, 5, 6)) == 0


# --- edges: n = 0, negative n --------------------------------------------------------------------------------


@pytest.mark.parametrize("working_days", [True, False])
def test_zero_day_window_ends_on_the_start_day_and_has_no_days(working_days: bool) -> None:
    start = date(2026, 10, 3)  # a holiday: irrelevant, nothing is counted
    assert CAL_2026.window_end(start, 0, working_days=working_days) == start
    assert CAL_2026.window_days(start, 0, working_days=working_days) == []


def test_zero_working_days_needs_no_calendar() -> None:
    assert Calendar().window_end(date(2027, 1, 1), 0, working_days=True) == date(2027, 1, 1)


@pytest.mark.parametrize("working_days", [True, False])
def test_negative_counts_are_refused(working_days: bool) -> None:
    with pytest.raises(ValueError):
        CAL_2026.window_end(date(2026, 4, 5), -1, working_days=working_days)
    with pytest.raises(ValueError):
        CAL_2026.window_days(date(2026, 4, 5), -3, working_days=working_days)
    with pytest.raises(ValueError):
        CAL_2026.provisional_window_end(date(2026, 4, 5), -1, working_days=working_days)


# --- D3: a year without data ---------------------------------------------------------------------------------


def test_window_crossing_into_a_year_without_data_raises_with_the_year() -> None:
    with pytest.raises(CalendarMissing) as info:
        CAL_2026.window_end(date(2026, 12, 28), 7, working_days=True)
    assert info.value.year == 2027
    assert "2027年" in str(info.value) and "尚未录入" in str(info.value)


def test_window_that_stays_inside_the_entered_year_does_not_raise() -> None:
    # 12-29, 12-30, 12-31 are working days in 2026: three working days never touch 2027.
    assert CAL_2026.window_end(date(2026, 12, 28), 3, working_days=True) == date(2026, 12, 31)


def test_is_workday_of_an_unentered_year_raises_even_on_a_plain_weekday() -> None:
    with pytest.raises(CalendarMissing):
        CAL_2026.is_workday(date(2027, 3, 3))


def test_provisional_estimate_is_flagged() -> None:
    end, provisional = CAL_2026.provisional_window_end(date(2026, 12, 28), 7, working_days=True)
    # 12-29, 12-30, 12-31 (official), then weekends-only for 2027: 01-01 (Fri), 01-04, 01-05, 01-06
    assert (end, provisional) == (date(2027, 1, 6), True)


def test_provisional_is_false_when_the_year_is_entered() -> None:
    assert CAL_2026.provisional_window_end(date(2026, 9, 28), 7) == (date(2026, 10, 13), False)


def test_provisional_calendar_day_window_is_never_provisional() -> None:
    assert Calendar().provisional_window_end(date(2027, 3, 1), 3, working_days=False) == (date(2027, 3, 4), False)


def test_missing_years() -> None:
    assert CAL_2026.missing_years([2026, 2027, 2027]) == [2027]


# --- parsing the bulk paste form ------------------------------------------------------------------------------


def test_parse_day_lines_accepts_both_kinds_and_skips_blanks_and_comments() -> None:
    text = "# 2027年放假安排\n2027-01-01 休 元旦\n\n2027-02-07 班 春节调休\n2027/2/8\u3000休\n"
    days, errors = parse_day_lines(text, 2027)
    assert errors == []
    assert days == [
        DayLine(date(2027, 1, 1), False, "元旦"),
        DayLine(date(2027, 2, 7), True, "春节调休"),
        DayLine(date(2027, 2, 8), False, ""),
    ]


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("2027-13-01 休 元旦", "无效"),
        ("2026-01-01 休 元旦", "不在2027年"),
        ("2027-01-01 放工 元旦", "第二项应为"),
        ("2027-01-01", "格式应为"),
        ("2027-01-01 休 " + "长" * 41, "不能超过40个字"),
    ],
)
def test_parse_day_lines_reports_the_line_number(line: str, fragment: str) -> None:
    days, errors = parse_day_lines(f"2027-01-02 休 元旦\n{line}", 2027)
    assert len(errors) == 1
    assert errors[0].startswith("第2行") and fragment in errors[0]


def test_parse_day_lines_duplicate_and_empty() -> None:
    _, errors = parse_day_lines("2027-01-01 休\n2027-01-01 班", 2027)
    assert errors == ["第2行:日期 2027-01-01 与第1行重复"]
    _, errors = parse_day_lines("\n  \n", 2027)
    assert len(errors) == 1 and "没有填写" in errors[0]
