"""The 中国共产党党员组织关系介绍信's number and dates: plain values in, plain values out.

X1 The number is a yearly sequence of the committee that issues it: "〔2026〕第001号", three digits at least (the
   1000th letter of a year reads "〔2026〕第1000号"). Source: the standard letter's 存根 and 正文 carry "第  号" under
   the issuing committee's name (中组部《关于党员组织关系接转有关问题的通知》 style of the printed letter).
X2 A letter is valid for ``DEFAULT_VALID_DAYS`` days unless the issuer writes another period, from 1 to
   ``MAX_VALID_DAYS`` days; it has lapsed the day after its last valid day.
X3 The age printed on the letter is the member's full years on the letter's date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

DEFAULT_VALID_DAYS = 30  # X2: the printed letter's usual "有效期 30 天"
MAX_VALID_DAYS = 90  # X2: a longer period is refused (the receiver must confirm within a season)
NUMBER_WIDTH = 3  # X1: 第001号


class LetterRuleError(ValueError):
    """A rule refused a value; the message is the Chinese sentence a page shows."""


def letter_number(year: int, seq: int) -> str:
    """X1: 〔2026〕第001号."""
    if seq < 1:
        raise LetterRuleError(f"介绍信序号须从1起编(收到{seq})")
    return f"〔{year}〕第{seq:0{NUMBER_WIDTH}d}号"


def check_valid_days(days: int) -> None:
    """X2: 1 to MAX_VALID_DAYS days."""
    if days < 1 or days > MAX_VALID_DAYS:
        raise LetterRuleError(f"介绍信有效期应为1至{MAX_VALID_DAYS}天(填写了{days}天)")


def valid_until(issued_on: date, days: int) -> date:
    """X2: the last day the letter is valid (issued on day 1, so 30 days end on day 30)."""
    check_valid_days(days)
    return issued_on + timedelta(days=days - 1)


def lapsed(issued_on: date, days: int, today: date) -> bool:
    return today > valid_until(issued_on, days)


def age_on(birth: date, day: date) -> int:
    """X3: full years on ``day`` (a birthday on 29 February counts from 1 March in other years)."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


@dataclass(frozen=True)
class DuesMonth:
    year: int
    month: int

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"


def dues_month(value: str) -> DuesMonth:
    """The 党费交到 month as typed ("2026-11"); refused unless a real month."""
    try:
        year_s, month_s = value.strip().split("-")
        year, month = int(year_s), int(month_s)
    except ValueError:
        raise LetterRuleError("党费交到的月份格式应为“2026-11”") from None
    if not 1 <= month <= 12 or year < 1949:
        raise LetterRuleError("党费交到的月份格式应为“2026-11”")
    return DuesMonth(year, month)
