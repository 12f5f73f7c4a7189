"""Posts in the two committees (“两委”: the party committee and the villagers' or residents' committee) after an
election, as pure functions. Source: 第五篇 四 职数配备:

    "坚持把村(社区)党组织领导班子成员依法依规推选为村(居)民委员会成员候选人,通过选举兼任村(居)民委员会成员。
    全面推行村(社区)党组织书记、村(居)民委员会主任'一肩挑',村(社区)'两委'成员交叉任职。
    要加大年轻干部选拔力度,统筹推进团支部书记进村(社区)'两委'班子。村(社区)妇联主席应当进入村(社区)'两委'班子。"

Rules:

* T1 一肩挑: the secretary is also the director of the villagers' committee; "全面推行": the target is every
  committee (a committee without it is a warning, not a refusal: the director is elected by the villagers). The
  director sits on the villagers' committee, so 一肩挑 counts the secretary among the cross-holding members.
* T2 交叉任职: the share of the party committee's members who also sit on the villagers' committee; "全面推行" and
  "推选为村(居)民委员会成员候选人": the target is all of them (below it, a warning). Cross-holders cannot outnumber
  either committee (an error).
* T3 妇联主席 "应当进入" the two committees (a warning when not).
* T4 团支部书记 "统筹推进": counted, no target.

The villagers' committee has 3–7 members (《村民委员会组织法》第六条), a residents' committee 5–9
(《城市居民委员会组织法》第七条): a size outside is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from elections.rules.failures import Failure, Severity

# T1, T2: "全面推行" — every committee (percent of committees / of party committee members).
ONE_SHOULDER_TARGET_PERCENT = 100
CROSS_TARGET_PERCENT = 100
# 《村民委员会组织法》第六条 "村民委员会由主任、副主任和委员共三至七人组成";
# 《城市居民委员会组织法》第七条 "居民委员会由主任、副主任和委员共五至九人组成".
VILLAGERS_COMMITTEE_SIZE = (3, 7)
RESIDENTS_COMMITTEE_SIZE = (5, 9)
COMMUNITY = "community"


@dataclass(frozen=True)
class CommitteePostFacts:
    """What was recorded on one elected committee."""

    field: str  # organizations.models.OrgField value: "community" has a residents' committee
    party_members: int  # members of the new party committee (secretary included)
    villagers_committee_size: int
    cross_members: int  # party committee members who sit on the villagers' committee
    secretary_is_director: bool
    secretary_is_cross: bool  # the secretary is among the cross-holding members
    women_chair_joined: bool
    youth_secretary_joined: bool


def committee_word(field: str) -> str:
    return "居民委员会" if field == COMMUNITY else "村民委员会"


def percent(part: int, whole: int) -> Decimal | None:
    """A share in percent with one decimal, half up (None when there is nothing to divide by)."""
    if whole <= 0:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def check_posts(facts: CommitteePostFacts) -> list[Failure]:
    """T1–T3 on one committee: errors refuse the record, warnings are shown beside it."""
    word = committee_word(facts.field)
    low, high = RESIDENTS_COMMITTEE_SIZE if facts.field == COMMUNITY else VILLAGERS_COMMITTEE_SIZE
    law = "《城市居民委员会组织法》第七条" if facts.field == COMMUNITY else "《村民委员会组织法》第六条"
    found: list[Failure] = []
    if not low <= facts.villagers_committee_size <= high:
        found.append(
            Failure(
                "T2",
                f"{word}由主任、副主任和委员共{low}至{high}人组成({law}),填写的是{facts.villagers_committee_size}人",
            )
        )
    most = min(facts.party_members, facts.villagers_committee_size)
    if facts.cross_members > most:
        found.append(
            Failure(
                "T2",
                f"交叉任职{facts.cross_members}人,多于党组织委员会{facts.party_members}人"
                f"或{word}{facts.villagers_committee_size}人中的较少者",
            )
        )
    if facts.secretary_is_director and not facts.secretary_is_cross:
        found.append(Failure("T1", f"书记兼任{word}主任(一肩挑)的,书记也是交叉任职的成员,请一并勾选"))
    if found:
        return found
    if not facts.secretary_is_director:
        found.append(
            Failure(
                "T1",
                f"书记未兼任{word}主任:方案要求全面推行书记、主任“一肩挑”(第五篇 四)",
                Severity.WARNING,
            )
        )
    share = percent(facts.cross_members, facts.party_members)
    if share is not None and share < CROSS_TARGET_PERCENT:
        found.append(
            Failure(
                "T2",
                f"交叉任职{facts.cross_members}/{facts.party_members}人({share}%):方案要求党组织班子成员"
                f"推选为{word}成员候选人,全面推行“两委”成员交叉任职",
                Severity.WARNING,
            )
        )
    if not facts.women_chair_joined:
        found.append(Failure("T3", "妇联主席未进入“两委”班子:方案规定妇联主席应当进入“两委”班子", Severity.WARNING))
    return found


@dataclass
class PostTotals:
    """T1–T4 summed over committees (a township, the district)."""

    committees: int = 0
    one_shoulder: int = 0
    party_members: int = 0
    villagers_members: int = 0
    cross_members: int = 0
    women_chair: int = 0
    youth_secretary: int = 0

    def add(self, facts: CommitteePostFacts) -> None:
        self.committees += 1
        self.one_shoulder += facts.secretary_is_director
        self.party_members += facts.party_members
        self.villagers_members += facts.villagers_committee_size
        self.cross_members += facts.cross_members
        self.women_chair += facts.women_chair_joined
        self.youth_secretary += facts.youth_secretary_joined

    @property
    def people(self) -> int:
        """Persons on the two committees: each cross-holder counted once."""
        return self.party_members + self.villagers_members - self.cross_members

    @property
    def one_shoulder_percent(self) -> Decimal | None:
        return percent(self.one_shoulder, self.committees)

    @property
    def cross_percent(self) -> Decimal | None:
        """T2: cross-holders among the party committees' members."""
        return percent(self.cross_members, self.party_members)

    @property
    def women_chair_percent(self) -> Decimal | None:
        return percent(self.women_chair, self.committees)

    @property
    def youth_secretary_percent(self) -> Decimal | None:
        return percent(self.youth_secretary, self.committees)


def totals(rows: Iterable[CommitteePostFacts]) -> PostTotals:
    result = PostTotals()
    for row in rows:
        result.add(row)
    return result


def merged(parts: Iterable[PostTotals]) -> PostTotals:
    """The district's totals from its townships'."""
    result = PostTotals()
    for p in parts:
        for name in vars(result):
            setattr(result, name, getattr(result, name) + getattr(p, name))
    return result
