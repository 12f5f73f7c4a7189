"""The statistics' bands (N1 age, N2 party age): pure, no database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from stats.rules.bands import AGE_BANDS, PARTY_AGE_BANDS, band_of, start_bounds, years_between


def test_n1_age_bands_are_the_party_statistics_groups() -> None:
    assert [b.label for b in AGE_BANDS] == [
        "30岁及以下",
        "31至35岁",
        "36至40岁",
        "41至45岁",
        "46至50岁",
        "51至55岁",
        "56至60岁",
        "61岁及以上",
    ]


@pytest.mark.parametrize(
    ("age", "label"),
    [
        (18, "30岁及以下"),
        (30, "30岁及以下"),
        (31, "31至35岁"),
        (35, "31至35岁"),
        (36, "36至40岁"),
        (60, "56至60岁"),
        (61, "61岁及以上"),
        (102, "61岁及以上"),
        (-1, "30岁及以下"),
    ],
)
def test_n1_each_side_of_each_age_threshold(age: int, label: str) -> None:
    assert band_of(age, AGE_BANDS).label == label


@pytest.mark.parametrize(
    ("years", "label"),
    [
        (0, "不满5年"),
        (4, "不满5年"),
        (5, "5至9年"),
        (9, "5至9年"),
        (10, "10至19年"),
        (49, "40至49年"),
        (50, "50年及以上"),
        (70, "50年及以上"),
    ],
)
def test_n2_each_side_of_each_party_age_threshold(years: int, label: str) -> None:
    assert band_of(years, PARTY_AGE_BANDS).label == label


def test_years_between_counts_the_birthday_and_29_february() -> None:
    assert years_between(date(1990, 6, 15), date(2020, 6, 14)) == 29
    assert years_between(date(1990, 6, 15), date(2020, 6, 15)) == 30
    assert years_between(date(2000, 2, 29), date(2030, 2, 28)) == 29
    assert years_between(date(2000, 2, 29), date(2030, 3, 1)) == 30


@pytest.mark.parametrize("day", [date(2026, 12, 3), date(2028, 2, 29), date(2027, 2, 28), date(2027, 3, 1)])
@pytest.mark.parametrize("bands", [AGE_BANDS, PARTY_AGE_BANDS])
def test_the_date_bounds_the_database_counts_with_agree_with_the_age_of_every_start_date(day, bands) -> None:
    """The SQL CASE counts by start-date bounds; every start date over 70 years falls in the band its age names."""
    start = day - timedelta(days=366 * 70)
    while start <= day:
        expected = band_of(years_between(start, day), bands)
        hits = []
        for band in bands:
            after, on_or_before = start_bounds(band, day)
            if (after is None or start > after) and (on_or_before is None or start <= on_or_before):
                hits.append(band)
        assert hits == [expected], (start, day)
        start += timedelta(days=1)
