"""Age and party-age bands of the membership statistics (issue 17 §1; plan 3 §五 摸底调查: 年龄结构).

Pure: plain dates and integers in, labels and date bounds out. A band is whole years ``low``..``high`` (``high`` None:
no upper end). ``birth_bounds`` turns a band into the birth (or joining) dates it covers on a day, so that the database
counts with a CASE over the date column and never computes an age per row; ``band_of`` classifies one age and the
tests hold both to the same answer on each side of every boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    low: int
    high: int | None  # inclusive; None: and above


# N1: the age groups of the annual 中国共产党党内统计公报 (中央组织部), which the district's yearly party statistics
# report in: 30岁及以下, 31至35岁, 36至40岁, 41至45岁, 46至50岁, 51至55岁, 56至60岁, 61岁及以上. 35 is also the
# rectification plan's "年轻" threshold (≤35), so a band ends there.
AGE_BANDS: tuple[Band, ...] = (
    Band("a30", "30岁及以下", 0, 30),
    Band("a35", "31至35岁", 31, 35),
    Band("a40", "36至40岁", 36, 40),
    Band("a45", "41至45岁", 41, 45),
    Band("a50", "46至50岁", 46, 50),
    Band("a55", "51至55岁", 51, 55),
    Band("a60", "56至60岁", 56, 60),
    Band("a61", "61岁及以上", 61, None),
)

# N2: years in the party (党龄, from the 入党日期; a probationary member's count starts there too). The 公报 publishes
# no party-age groups, so these are decades with the first five years apart (the newest members) and 50 years as the
# top band: the threshold of the 「光荣在党50年」纪念章 (中共中央 2017).
PARTY_AGE_BANDS: tuple[Band, ...] = (
    Band("p5", "不满5年", 0, 4),
    Band("p10", "5至9年", 5, 9),
    Band("p20", "10至19年", 10, 19),
    Band("p30", "20至29年", 20, 29),
    Band("p40", "30至39年", 30, 39),
    Band("p50", "40至49年", 40, 49),
    Band("p51", "50年及以上", 50, None),
)


def years_between(start: date, day: date) -> int:
    """Whole years from ``start`` to ``day`` (an age on a birthday counts the new year; 29 Feb turns on 1 Mar)."""
    years = day.year - start.year
    if (day.month, day.day) < (start.month, start.day):
        years -= 1
    return years


def band_of(years: int, bands: tuple[Band, ...]) -> Band:
    """The band holding ``years`` (a negative count, a date in the future, falls in the first band)."""
    for band in bands:
        if band.high is None or years <= band.high:
            return band
    raise ValueError("bands must end with an open band")  # pragma: no cover - every table above ends open


def _years_ago(day: date, years: int) -> date:
    """The same day ``years`` years before ``day``; from 29 Feb into a common year, 28 Feb (someone born then has
    had that birthday by 29 Feb, someone born on 1 Mar has not)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return date(day.year - years, 2, 28)


def start_bounds(band: Band, day: date) -> tuple[date | None, date | None]:
    """(after, on_or_before): a start date ``s`` (birth or joining) is in ``band`` on ``day`` when
    ``after < s <= on_or_before`` (None: no bound). ``years_between(s, day) >= n`` ⇔ ``s <= _years_ago(day, n)``."""
    on_or_before = _years_ago(day, band.low) if band.low > 0 else None
    after = _years_ago(day, band.high + 1) if band.high is not None else None
    return after, on_or_before
