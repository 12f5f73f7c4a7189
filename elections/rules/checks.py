"""Numbered count checks K1–K9 for per-name totals entered by the counters (RULES.md, "count checks").

In the manner of the Dutch electoral council's result entry (kiesraad/abacus): every check has a code that the
message cites, with the numbers involved. An ``error`` blocks saving, a ``warning`` asks the counter to confirm, and
``void`` means the vote itself is void and is held again (K4 = A6). ``K0`` (a negative number) is ours: it is not in
RULES.md but no other check can read a negative count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum

from elections.rules.votes import INVALID_WARNING_PERCENT


class CheckKind(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    VOID = "void"


@dataclass(frozen=True)
class CheckFinding:
    code: str
    kind: CheckKind
    message: str


@dataclass(frozen=True)
class CountTotals:
    """One entry of a paper count: the meeting's numbers and the votes per name (write-ins included)."""

    seats: int
    due: int
    present: int
    ballots_issued: int
    ballots_returned: int
    valid_ballots: int
    invalid_ballots: int
    votes: Mapping[str, int] = field(default_factory=dict)
    excused: int = 0


# K9 shows the differing fields with these Chinese labels.
FIELD_LABELS: dict[str, str] = {
    "seats": "应选名额",
    "due": "应到会人数",
    "excused": "经批准不计入人数",
    "present": "实到会人数",
    "ballots_issued": "发出选票",
    "ballots_returned": "收回选票",
    "valid_ballots": "有效票",
    "invalid_ballots": "无效票",
}


def count_checks(totals: CountTotals, *, second_entry: CountTotals | None = None) -> list[CheckFinding]:
    """K1–K8 on one entry, and K9 against a second entry of the same count when given. Errors come first.

    Long because each numbered check is a few lines in the order of the rule table, read top to bottom against
    docs/domain.md; split up, the order of the findings (errors first) would be spread over helpers."""
    t = totals
    found: list[CheckFinding] = []
    numbers = {name: getattr(t, name) for name in FIELD_LABELS}
    for name, value in numbers.items():
        if value < 0:
            found.append(CheckFinding("K0", CheckKind.ERROR, f"{FIELD_LABELS[name]}不能为负数,当前为{value}"))
    for name, value in t.votes.items():
        if value < 0:
            found.append(CheckFinding("K0", CheckKind.ERROR, f"{name}的得票数不能为负数,当前为{value}"))
    if t.seats < 1:
        found.append(CheckFinding("K0", CheckKind.ERROR, f"应选名额至少为1,当前为{t.seats}"))
    due = t.due - t.excused
    if t.present > due:
        found.append(
            CheckFinding(
                "K1",
                CheckKind.ERROR,
                f"实到会人数{t.present}人,多于应到会人数{t.due}人减去不计入人数{t.excused}人后的{due}人",
            )
        )
    if t.ballots_issued > t.present:
        found.append(CheckFinding("K2", CheckKind.ERROR, f"发出选票{t.ballots_issued}张,多于实到会人数{t.present}人"))
    if t.valid_ballots + t.invalid_ballots != t.ballots_returned:
        found.append(
            CheckFinding(
                "K3",
                CheckKind.ERROR,
                f"有效票{t.valid_ballots}张加无效票{t.invalid_ballots}张共"
                f"{t.valid_ballots + t.invalid_ballots}张,不等于收回选票{t.ballots_returned}张",
            )
        )
    if t.ballots_returned > t.ballots_issued:
        found.append(
            CheckFinding(
                "K4",
                CheckKind.VOID,
                f"收回选票{t.ballots_returned}张,多于发出选票{t.ballots_issued}张,选举无效,应重新选举",
            )
        )
    for name, value in t.votes.items():
        if value > t.valid_ballots:
            found.append(CheckFinding("K5", CheckKind.ERROR, f"{name}得票{value}票,多于有效票{t.valid_ballots}张"))
    total = sum(t.votes.values())
    if total > t.valid_ballots * t.seats:
        found.append(
            CheckFinding(
                "K6",
                CheckKind.ERROR,
                f"各人得票合计{total}票,多于有效票{t.valid_ballots}张乘应选名额{t.seats}名的"
                f"{t.valid_ballots * t.seats}票",
            )
        )
    if t.ballots_returned < t.ballots_issued:
        found.append(
            CheckFinding(
                "K7",
                CheckKind.WARNING,
                f"收回选票{t.ballots_returned}张,少于发出选票{t.ballots_issued}张,"
                f"有{t.ballots_issued - t.ballots_returned}张未收回,请确认",
            )
        )
    if 100 * t.invalid_ballots > INVALID_WARNING_PERCENT * t.ballots_returned:
        found.append(
            CheckFinding(
                "K8",
                CheckKind.WARNING,
                f"无效票{t.invalid_ballots}张,超过收回选票{t.ballots_returned}张的{INVALID_WARNING_PERCENT}%,请确认",
            )
        )
    if second_entry is not None:
        found.extend(compare_entries(totals, second_entry))
    order = {CheckKind.VOID: 0, CheckKind.ERROR: 1, CheckKind.WARNING: 2}
    return sorted(found, key=lambda f: order[f.kind])


def compare_entries(first: CountTotals, second: CountTotals) -> list[CheckFinding]:
    """K9: two people entered the same count; list every field and name whose numbers differ."""
    differences: list[str] = []
    for f in fields(CountTotals):
        if f.name == "votes":
            continue
        a, b = getattr(first, f.name), getattr(second, f.name)
        if a != b:
            differences.append(f"{FIELD_LABELS[f.name]}({a}/{b})")
    names = list(first.votes) + [n for n in second.votes if n not in first.votes]
    for name in names:
        a, b = first.votes.get(name, 0), second.votes.get(name, 0)
        if a != b:
            differences.append(f"{name}得票({a}/{b})")
    if not differences:
        return []
    return [
        CheckFinding(
            "K9",
            CheckKind.WARNING,
            "两次录入不一致(第一次/第二次):" + "、".join(differences),
        )
    ]


def blocking(findings: list[CheckFinding]) -> list[CheckFinding]:
    """The findings that stop a count from being saved (errors)."""
    return [f for f in findings if f.kind == CheckKind.ERROR]
