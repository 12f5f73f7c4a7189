"""Organization setup rules (RULES.md part B). Pure: plain values in, plain values out, no ORM.

Words follow 民法典 Art. 1259: 以上/以下 include the number, 超过/不满 exclude it.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

# B1 支部条例 Arts. 4–5: 3 or more full members form a branch; fewer join a joint branch.
MIN_FULL_MEMBERS_FOR_BRANCH = 3
# B1: a joint branch covers at most 5 units.
MAX_JOINT_BRANCH_UNITS = 5
# B2 支部条例 Art. 4: a branch normally has at most 50 members.
BRANCH_NORMAL_MAX_MEMBERS = 50
# B3 支部条例 Art. 20: 7 or more (以上) full members → a committee of 3–5, at most 7; fewer (不足7人) → no committee,
# a secretary and, if needed, one deputy.
COMMITTEE_REQUIRED_FROM_FULL_MEMBERS = 7
COMMITTEE_USUAL_SEATS = (3, 5)
COMMITTEE_MAX_SEATS = 7
SECRETARY_ONLY_MAX_SEATS = 2
# The posts a branch elects (organizations.models.Post values): its committee seats. A 第一书记 (first_secretary) is
# sent by the township (第二篇 五(一)), not elected, and holds no seat.
ELECTED_POSTS = ("secretary", "deputy_secretary", "committee_member")
BRANCH_RULE_SOURCE = "《中国共产党支部工作条例(试行)》第二十条"
# B4 农村条例 Art. 5; seed part 3: over (超过) 50 members → may become a general branch; 100 or more → a committee.
# "党员人数虽不足50人、确因工作需要的" may still form a general branch: a written reason the district approves. A
# committee needs the county-level committee's approval (经县级地方党委批准): here the district's (区委).
GENERAL_BRANCH_ABOVE_MEMBERS = 50
COMMITTEE_FROM_MEMBERS = 100
EXCUSABLE_BY_WORK_NEED = frozenset({"general_branch"})
NEEDS_DISTRICT_APPROVAL = frozenset({"committee"})
# B5 seed part 5 §四: village committee 3–5 (usually 3); community 5–9 with a deputy.
VILLAGE_SEATS = (3, 5)
COMMUNITY_SEATS = (5, 9)
# B6 支部条例 Art. 21, 农村条例: village and community committees 5 years; other general branches and branches 3.
TERM_YEARS_VILLAGE_COMMUNITY = 5
TERM_YEARS_OTHER = 3
# A13 选举条例 Art. 3: the higher body reminds about six months (taken as 183 days) before a committee's term ends;
# the lists of terms due for re-election and the demo use this one horizon.
TERM_REMINDER_DAYS = 183

# Bounds of the numbers typed in forms and imports (not rules of the party: a range no real organization leaves).
MAX_UNITS_COVERED = 999
MAX_SEATS = 99

BRANCH_KINDS = frozenset({"branch", "joint_branch"})
# Education levels (organizations.models.Education values) at or above high school: source part 5 §三(四)
# "高中以上文化程度" for nominees, part 2 §五(六) for development targets. Plain strings, so that the rules of every
# app read it without models; a test checks every value is an Education (tests/elections/test_eligibility.py).
HIGH_SCHOOL_OR_ABOVE = frozenset({"postgraduate", "bachelor", "college", "high_school"})
VILLAGE_COMMUNITY_FIELDS = frozenset({"rural", "community"})


class Severity(StrEnum):
    ERROR = "error"  # the setup breaks a rule: must be corrected
    WARNING = "warning"  # allowed, but worth a look
    ELIGIBLE = "eligible"  # may be restructured (an opportunity, not a fault)


# What a user reads for each rule: its subject in words (never the internal code) and, where the district's own
# working plans state it, the source. Sources are cited only where the text is at hand to confirm.
RULE_TITLES = {
    "B1": "党员人数与支部设置",
    "B2": "党支部规模",
    "B3": "支部委员会设置",
    "B4": "可调整组织设置",
    "B5": "委员职数",
    "B6": "任期",
}
SEATS_SOURCE = "《2018年村(社区)党组织换届选举试点工作方案》“四、职数配备”"
SEVERITY_LABELS = {"error": "须纠正", "warning": "请注意", "eligible": "可调整"}


@dataclass(frozen=True)
class Finding:
    rule: str  # internal code (RULES.md), for code and tests only: pages show ``title`` and ``message``
    severity: Severity
    message: str

    @property
    def title(self) -> str:
        return RULE_TITLES.get(self.rule, "组织设置")

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[str(self.severity)]


@dataclass(frozen=True)
class OrgFacts:
    kind: str
    field: str
    total_members: int
    full_members: int
    units_covered: int = 1
    committee_seats: int = 0  # current committee members (0: no committee)
    members_below: int = 0  # current members of the organizations below it (a 党总支's sub-branches)


class RuleViolation(ValueError):
    """Raised when an action would break a setup rule. The message states the rule in words with the numbers, and
    its source when one is given; ``rule`` keeps the internal code for code and tests (never shown)."""

    def __init__(self, rule: str, message: str, source: str = "") -> None:
        super().__init__(f"{message}(依据{source})" if source else message)
        self.rule = rule
        self.source = source


def can_form_branch(full_members: int) -> bool:
    """B1: 3 or more full members."""
    return full_members >= MIN_FULL_MEMBERS_FOR_BRANCH


def check_joint_branch_units(units: int) -> None:
    """B1: a joint branch covers at most 5 units."""
    if units > MAX_JOINT_BRANCH_UNITS:
        raise RuleViolation("B1", f"联合党支部覆盖单位一般不超过{MAX_JOINT_BRANCH_UNITS}个,当前为{units}个")


def committee_required(full_members: int) -> bool:
    """B3: 7 or more full members → a branch committee."""
    return full_members >= COMMITTEE_REQUIRED_FROM_FULL_MEMBERS


def branch_committee_violation(*, full_members: int, seats: int) -> RuleViolation | None:
    """B3 支部条例 Art. 20 for a branch (党支部, 联合党支部): 7 or more full members elect a committee of 3–5 (at most
    7); fewer elect a secretary and, if needed, a deputy (at most 2 in post). The organization page's finding and
    every place seats are set (a term, an election project) read this one answer."""
    low, high = COMMITTEE_USUAL_SEATS
    if committee_required(full_members):
        if COMMITTEE_USUAL_SEATS[0] <= seats <= COMMITTEE_MAX_SEATS:
            return None
        return RuleViolation(
            "B3",
            f"正式党员{full_members}名({COMMITTEE_REQUIRED_FROM_FULL_MEMBERS}名以上),应设立支部委员会,"
            f"委员一般{low}至{high}人、最多不超过{COMMITTEE_MAX_SEATS}人,当前为{seats}人",
            BRANCH_RULE_SOURCE,
        )
    if seats <= SECRETARY_ONLY_MAX_SEATS:
        return None
    return RuleViolation(
        "B3",
        f"正式党员{full_members}名,不足{COMMITTEE_REQUIRED_FROM_FULL_MEMBERS}名,不设支部委员会,"
        f"只设书记1人(必要时设副书记1人),当前为{seats}人",
        BRANCH_RULE_SOURCE,
    )


def seats_range(field: str) -> tuple[int, int] | None:
    """B5: the allowed committee size for village and community organizations (None: B3 only)."""
    if field == "rural":
        return VILLAGE_SEATS
    if field == "community":
        return COMMUNITY_SEATS
    return None


def committee_seat_violations(
    *, kind: str, field: str, full_members: int, seats: int, previous_seats: int | None = None
) -> list[RuleViolation]:
    """B3 and B5 for the seats of a new term: a branch follows B3 whatever its field (a branch of fewer than 7 full
    members has no committee, so B5's committee sizes do not apply to it); a village or community organization's
    committee follows B5 and is never larger than the previous term's committee (a previous term of a secretary
    alone, or a secretary and deputy, was no committee and caps nothing)."""
    found: list[RuleViolation] = []
    if kind in BRANCH_KINDS:
        violation = branch_committee_violation(full_members=full_members, seats=seats)
        if violation is not None:
            found.append(violation)
        if not committee_required(full_members):
            return found
    allowed = seats_range(field)
    if allowed is not None:
        low, high = allowed
        label = "村党组织委员会" if field == "rural" else "社区党组织委员会"
        if not low <= seats <= high:
            found.append(RuleViolation("B5", f"{label}委员职数应为{low}至{high}名,当前为{seats}名", SEATS_SOURCE))
    if previous_seats is not None and previous_seats > SECRETARY_ONLY_MAX_SEATS and seats > previous_seats:
        found.append(
            RuleViolation("B5", f"委员职数原则上不超过上届职数{previous_seats}名,当前为{seats}名", SEATS_SOURCE)
        )
    return found


def check_committee_seats(
    *, kind: str, field: str, full_members: int, seats: int, previous_seats: int | None = None
) -> None:
    """B3 and B5: raise the first of ``committee_seat_violations``."""
    found = committee_seat_violations(
        kind=kind, field=field, full_members=full_members, seats=seats, previous_seats=previous_seats
    )
    if found:
        raise found[0]


def restructure_violation(
    *, new_kind: str, total_members: int, full_members: int, units_covered: int = 1
) -> RuleViolation | None:
    """B1 and B4 for an organization about to become ``new_kind`` with these members (its own and those below it):
    a 党支部 needs 3 full members (else a joint branch of at most 5 units); a 党总支 more than 50 members (fewer only
    for a written work need the district approves, ``EXCUSABLE_BY_WORK_NEED``); a 党委 100 or more."""
    if new_kind == "branch" and not can_form_branch(full_members):
        return RuleViolation(
            "B1",
            f"正式党员{full_members}名,不足{MIN_FULL_MEMBERS_FOR_BRANCH}名,不能单独成立党支部,应成立联合党支部",
        )
    if new_kind == "joint_branch" and units_covered > MAX_JOINT_BRANCH_UNITS:
        return RuleViolation("B1", f"联合党支部覆盖单位一般不超过{MAX_JOINT_BRANCH_UNITS}个,当前为{units_covered}个")
    if new_kind == "general_branch" and total_members <= GENERAL_BRANCH_ABOVE_MEMBERS:
        return RuleViolation(
            "B4",
            f"党员{total_members}名,未超过{GENERAL_BRANCH_ABOVE_MEMBERS}名,一般不成立党总支;"
            "确因工作需要的,须在“依据和说明”中写明理由,由区委组织部审批办理",
        )
    if new_kind == "committee" and total_members < COMMITTEE_FROM_MEMBERS:
        return RuleViolation("B4", f"党员{total_members}名,不足{COMMITTEE_FROM_MEMBERS}名,不能成立党的基层委员会(党委)")
    return None


def term_years(*, kind: str, field: str) -> int:
    """B6: 5 years for village and community organizations, 3 for other general branches and branches."""
    if field in VILLAGE_COMMUNITY_FIELDS:
        return TERM_YEARS_VILLAGE_COMMUNITY
    if kind in {"general_branch", "branch", "joint_branch"}:
        return TERM_YEARS_OTHER
    return TERM_YEARS_VILLAGE_COMMUNITY


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later (29 February falls back to 28 February)."""
    year = day.year + years
    last = calendar.monthrange(year, day.month)[1]
    return day.replace(year=year, day=min(day.day, last))


def term_end(*, elected_on: date, kind: str, field: str) -> date:
    """B6: a village branch elected 2021-11 is due 2026-11."""
    return add_years(elected_on, term_years(kind=kind, field=field))


def setup_findings(facts: OrgFacts) -> list[Finding]:
    """Every B1–B4 finding for one organization, most serious first."""
    findings: list[Finding] = []
    is_branch = facts.kind in BRANCH_KINDS
    if is_branch and facts.kind == "branch" and not can_form_branch(facts.full_members):
        findings.append(
            Finding(
                "B1",
                Severity.ERROR,
                f"正式党员{facts.full_members}名,不足{MIN_FULL_MEMBERS_FOR_BRANCH}名,不能单独成立党支部,应成立联合党支部",
            )
        )
    if facts.kind == "joint_branch" and facts.units_covered > MAX_JOINT_BRANCH_UNITS:
        findings.append(
            Finding(
                "B1",
                Severity.ERROR,
                f"联合党支部覆盖{facts.units_covered}个单位,超过{MAX_JOINT_BRANCH_UNITS}个",
            )
        )
    # B3: the same answer an election or a term gets for these seats; more than 7 is an error, the rest a warning
    # (a branch without anyone in post is B3's concern only once it has 7 full members).
    committee = branch_committee_violation(full_members=facts.full_members, seats=facts.committee_seats)
    if is_branch and committee is not None:
        severity = Severity.ERROR if facts.committee_seats > COMMITTEE_MAX_SEATS else Severity.WARNING
        findings.append(Finding("B3", severity, str(committee)))
    # B4 counts every member at or below the organization: a 党总支's members sit in its sub-branches.
    members = facts.total_members + facts.members_below
    if (is_branch or facts.kind == "general_branch") and members >= COMMITTEE_FROM_MEMBERS:
        findings.append(Finding("B4", Severity.ELIGIBLE, f"{members}名党员:可成立党的基层委员会(党委),报县级党委批准"))
    elif is_branch and members > GENERAL_BRANCH_ABOVE_MEMBERS:
        findings.append(Finding("B4", Severity.ELIGIBLE, f"{members}名党员:可成立党总支"))
    if is_branch and facts.total_members > BRANCH_NORMAL_MAX_MEMBERS:
        findings.append(
            Finding(
                "B2",
                Severity.WARNING,
                f"党支部党员一般不超过{BRANCH_NORMAL_MAX_MEMBERS}人,当前{facts.total_members}人",
            )
        )
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.ELIGIBLE: 2}
    return sorted(findings, key=lambda f: order[f.severity])


# --- Member records and names: the one rule set of the member form and the roster import ---------------------

# 党章 Art. 1: a member is at least 18 years old on joining.
MIN_JOINING_AGE = 18
# GB 11643: the 18th character of an ID number is the ISO 7064 MOD 11-2 check of the first 17.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
# A mobile (11 digits), a landline with area code and extension, or +86: digits, spaces, hyphens, brackets.
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()\-]{5,23}$")
PHONE_MIN_DIGITS = 7
# Unicode categories no name contains: controls (Cc), format characters such as zero-width spaces and bidi
# overrides (Cf), surrogates, private use and unassigned code points, line and paragraph separators.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def id_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2, as GB 11643 prescribes for the 18th character."""
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def id_number_is_valid(value: str) -> bool:
    return len(value) == 18 and value[:17].isdigit() and id_check_digit(value[:17]) == value[17]


def id_number_error(value: str) -> str | None:
    """Why ``value`` (upper case, stripped) is not an 18-character ID number, or None."""
    if len(value) != 18 or not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        return "身份证号应为18位,前17位为数字,最后一位为数字或X"
    if id_check_digit(value[:17]) != value[17]:
        return "身份证号校验位不正确,请逐位核对"
    return None


def has_invisible_characters(text: str) -> bool:
    """Control, zero-width, bidi-override and other characters that cannot be seen or printed."""
    return not text.isprintable() and any(unicodedata.category(ch) in INVISIBLE_CATEGORIES for ch in text)


def name_error(label: str, text: str) -> str | None:
    """A name (of a member or an organization) holds only visible characters: a control character breaks every
    export and a bidi override or zero-width space makes two names look alike."""
    if has_invisible_characters(text):
        return f"{label}含有控制字符或不可见字符(如零宽空格、文字方向控制符),请删除后重新填写"
    return None


def phone_error(text: str) -> str | None:
    if text and (not PHONE_RE.match(text) or sum(ch.isdigit() for ch in text) < PHONE_MIN_DIGITS):
        return "联系电话只能包含数字、空格、括号和连字符(可带+86),如 13912345678 或 0771-1234567"
    return None


def member_record_errors(
    *,
    birth_date: date | None,
    joined_on: date | None,
    full_member_on: date | None,
    left_on: date | None = None,
    today: date,
) -> list[tuple[str, str]]:
    """``(field, message)`` for each date of a member record that cannot be true."""
    errors: list[tuple[str, str]] = []
    if birth_date and birth_date > today:
        errors.append(("birth_date", "出生日期不能晚于今天"))
    if joined_on and joined_on > today:
        errors.append(("joined_on", "入党日期不能晚于今天"))
    if birth_date and joined_on and joined_on < add_years(birth_date, MIN_JOINING_AGE):
        errors.append(("joined_on", f"入党时应年满{MIN_JOINING_AGE}岁"))
    if full_member_on:
        if joined_on and full_member_on < joined_on:
            errors.append(("full_member_on", "转正日期不能早于入党日期"))
        if full_member_on > today:
            errors.append(("full_member_on", "转正日期不能晚于今天"))
    if left_on and joined_on and left_on < joined_on:
        errors.append(("left_on", "离开日期不能早于入党日期"))
    return errors
