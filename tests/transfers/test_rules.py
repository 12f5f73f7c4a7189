"""X1–X3: the 介绍信's number, its validity and the age it prints (pure, no database)."""

from __future__ import annotations

from datetime import date

import pytest

from transfers.rules import letters as rules


def test_x1_the_number_is_the_year_and_a_three_digit_sequence() -> None:
    assert rules.letter_number(2026, 1) == "〔2026〕第001号"
    assert rules.letter_number(2026, 999) == "〔2026〕第999号"
    assert rules.letter_number(2027, 1000) == "〔2027〕第1000号"
    with pytest.raises(rules.LetterRuleError, match="从1起编"):
        rules.letter_number(2026, 0)


def test_x2_validity_from_one_to_ninety_days_counted_from_the_day_of_issue() -> None:
    issued = date(2026, 3, 1)
    assert rules.valid_until(issued, 1) == issued
    assert rules.valid_until(issued, rules.DEFAULT_VALID_DAYS) == date(2026, 3, 30)
    assert rules.valid_until(issued, rules.MAX_VALID_DAYS) == date(2026, 5, 29)
    assert not rules.lapsed(issued, 30, date(2026, 3, 30))
    assert rules.lapsed(issued, 30, date(2026, 3, 31))
    for days in (0, rules.MAX_VALID_DAYS + 1):
        with pytest.raises(rules.LetterRuleError, match="1至90天"):
            rules.check_valid_days(days)


def test_x3_age_in_full_years_on_the_letters_day() -> None:
    born = date(1990, 6, 15)
    assert rules.age_on(born, date(2026, 6, 14)) == 35
    assert rules.age_on(born, date(2026, 6, 15)) == 36
    leap = date(2000, 2, 29)
    assert rules.age_on(leap, date(2026, 2, 28)) == 25
    assert rules.age_on(leap, date(2026, 3, 1)) == 26


def test_the_dues_month_is_a_real_month() -> None:
    assert rules.dues_month("2026-11").label == "2026年11月"
    assert rules.dues_month(" 2026-01 ").label == "2026年1月"
    for bad in ("", "2026-13", "2026/11", "十一月", "1900-00"):
        with pytest.raises(rules.LetterRuleError, match="2026-11"):
            rules.dues_month(bad)
