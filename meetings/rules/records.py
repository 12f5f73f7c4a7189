"""The meeting record's own rules: how long it stays editable, what a complete record holds, the attendance marks,
and the 党章 Art. 9 signal (pure functions).

* M9: a record may be corrected for ``EDIT_WINDOW_DAYS`` after it was entered, then it is locked: the record is the
  evidence a grade and a rectification rest on, and a record rewritten months later proves nothing. [L] (local
  practice: the district may change the constant; 30 days covers the next month's meeting, where minutes are read
  and corrected).
* M10: 党章 Art. 9 — a member who, without proper reason, takes no part in organizational life for six consecutive
  months (or pays no dues, or does no work the party assigns) is regarded as having given up membership. The code
  only lists such members for the secretary and the township to act on; it never changes a member's status.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from django.db.models import TextChoices

EDIT_WINDOW_DAYS = 30  # M9 [L]
ART9_MONTHS = 6  # M10: 党章 第九条 "连续六个月"


class Mark(TextChoices):
    PRESENT = "present", "出席"
    LEAVE = "leave", "请假"
    ABSENT = "absent", "缺席"


def editable_until(entered_on: date) -> date:
    """The last day a record entered on ``entered_on`` may still be corrected (M9)."""
    return entered_on + timedelta(days=EDIT_WINDOW_DAYS)


def is_locked(entered_on: date, today: date) -> bool:
    return today > editable_until(entered_on)


def record_problems(
    *, held_on: date | None, today: date, topic: str, marks: Mapping[int, str], reasons: Mapping[int, str]
) -> list[str]:
    """Why a record cannot be saved (empty: it can): a date not in the future, a topic, someone present, a reason
    for every absence."""
    problems = []
    if held_on is None:
        problems.append("请填写会议日期")
    elif held_on > today:
        problems.append(f"会议日期{held_on:%Y-%m-%d}晚于今天:只能登记已召开的会议")
    if not topic.strip():
        problems.append("请填写会议主题")
    if marks and not any(m == Mark.PRESENT for m in marks.values()):
        problems.append("出席人数为0:请核对考勤")
    unknown = sorted({m for m in marks.values() if m not in Mark.values})
    if unknown:
        problems.append("考勤只能是出席、请假或缺席")
    if any(m == Mark.ABSENT and not reasons.get(pk, "").strip() for pk, m in marks.items()):
        problems.append("缺席的党员请填写缺席原因")
    return problems


def attendance_rate(present: int, listed: int) -> float | None:
    """Present over listed (None when nobody was listed)."""
    return present / listed if listed else None


def month_keys(start: tuple[int, int], end: tuple[int, int]) -> list[tuple[int, int]]:
    """The (year, month) pairs from ``start`` to ``end`` inclusive."""
    (y, m), found = start, []
    while (y, m) <= end:
        found.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return found


def longest_lapse(
    months: Iterable[tuple[int, int]],
    *,
    attended: set[tuple[int, int]],
    excused: set[tuple[int, int]],
    held: set[tuple[int, int]],
) -> list[tuple[int, int]]:
    """The longest run of consecutive months without organizational life and without proper reason (M10).

    A month breaks the run when the member attended or was on leave (请假: a proper reason); a month in which the
    organization held nothing the member was listed for neither breaks nor extends it (the organization's lapse is
    shown in its compliance, not held against the member)."""
    best: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []
    for key in months:
        if key in attended or key in excused:
            run = []
        elif key in held:
            run.append(key)
            if len(run) > len(best):
                best = list(run)
    return best


def art9_signal(lapse: list[tuple[int, int]]) -> bool:
    return len(lapse) >= ART9_MONTHS
