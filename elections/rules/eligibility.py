"""Candidate eligibility (source 第五篇 §三(四)–(五), A2) as pure functions: who may be nominated, the age limits at
the election date, the eleven barring grounds, the nine grounds against continuing as secretary, the committee's
composition, and the township's 15 % cap on nominees under a discipline review. Plain values in, ``Failure`` lists
out.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.db.models import IntegerChoices

from elections.rules.failures import REGULATION, Failure, Severity
from organizations.rules import HIGH_SCHOOL_OR_ABOVE

# The plan §三(四): "原则上新任村党组织委员会委员年龄不超过55岁,新任村党组织书记年龄不超过60岁"; the exception
# paragraph says the same limits for those continuing ("书记年龄超过60周岁和……其他成员年龄超过55周岁").
MAX_AGE_MEMBER = 55
MAX_AGE_SECRETARY = 60
# The plan §三(四): "村党组织原则上应有1名35岁以下的党员" (以下 includes 35).
YOUNG_MEMBER_MAX_AGE = 35
# The plan §三(五) last paragraph: nominees under review for discipline "所占比例不得超过村(社区)总数的15%".
DISCIPLINE_CAP_PERCENT = 15

# organizations.models.OrgField values the plan governs.
RURAL = "rural"
COMMUNITY = "community"


class BarringGround(IntegerChoices):
    """The plan §三(五): "有下列情形之一的,不得作为村(社区)'两委'成员候选人" (eleven grounds)."""

    CRIMINAL = 1, "违反法律法规,曾受过刑事处罚或劳动教养的"
    UNDER_INVESTIGATION = 2, "违反党规党纪和法律法规,正在被审查调查(侦查)的"
    PARTY_POST_REMOVED = 3, "受撤销党内职务及以上党纪处分的"
    DISMISSED = 4, "受撤职及以上政务处分的"
    UNQUALIFIED_MEMBER = 5, "近3年内被评议为不合格党员且被劝退、除名的,或者仍在限期改正的"
    CULT_PETITION = 6, "参与邪教、非法宗教组织及其活动,非法组织参与集体上访,影响社会稳定的"
    VILLAGE_TYRANT = 7, "涉及“村霸”、涉黑涉恶的,或者利用宗族房头势力甚至黑恶势力等干预村(居)务的"
    ELECTION_FRAUD = 8, "存在拉票贿选等违反换届纪律行为,利用各种方式操纵、干扰、破坏选举工作的"
    NOT_SUPPORTED = 9, "政治素质和道德品质差,多数党员、群众不拥护的"
    OTHER_RULES = 10, "不符合党规党纪和法律法规规定等其他不宜提名的情形"
    OTHER = 11, "其他不得作为村(社区)“两委”成员候选人的情形"


class SecretaryGround(IntegerChoices):
    """The plan §三(四): "有下列情形之一的,不宜继续担任村(社区)党组织书记" (nine grounds)."""

    POLITICAL = 1, "政治觉悟不高,“四个意识”不强,不严守政治纪律和政治规矩,不严格执行党的惠民政策"
    LAW = 2, "法治意识不强,不学法不懂法不守法,不依法办事,乡村(社区)治理较差,存在“村霸”、非法宗教势力、黑恶势力"
    ABILITY = 3, "履职能力不强,思路不清、办法不多、精神不振、心思不专的"
    PERFORMANCE = 4, "工作业绩不优,连续2年工作绩效考核在本乡镇排名靠后"
    SATISFACTION = 5, "群众满意率较低,缺乏服务群众意识,为民办事不尽心不尽力,任期内所在地多次出现越级上访、群访"
    EDUCATION = 6, "初中及以下文化水平较低,不适应新时代基层工作信息化等需要的"
    DISHONEST = 7, "有恶意失信行为被法院纳入失信被执行人名单且未撤销的"
    COLLECTIVE_INCOME = 8, "村党组织书记在一个任期内,集体经济收入未达到5万元以上且经营性收入没有明显提高的"
    OTHER = 9, "其他不符合党规党纪和法律法规规定不宜继续担任的情形"


class Discipline(StrEnum):
    """A nominee's party or government discipline record (the plan §三(五) last paragraph)."""

    NONE = "none"
    IMPACT_ENDED = "impact_ended"  # 受处分影响期已满
    IMPACT_ONGOING = "impact_ongoing"  # 受处分影响期未满 (at the district's cut-off date)


@dataclass(frozen=True)
class CandidateFacts:
    """What the eligibility check needs about one nominee.

    ``nominated_as_secretary``: nominated for secretary (else for committee member). ``currently_member`` /
    ``currently_secretary``: holds that post in the outgoing committee, which makes the nomination "继续提名"
    rather than "新提名/新任". The two checklists hold the grounds a reviewer (资格联审) found.
    """

    name: str
    birth_date: date
    election_date: date
    is_full_member: bool = True
    under_party_probation: bool = False
    education: str = "high_school"
    healthy: bool = True
    nominated_as_secretary: bool = False
    currently_member: bool = False
    currently_secretary: bool = False
    field: str = RURAL
    age_exception_approved: bool = False  # 经乡镇党委研究,报县领导小组审定
    discipline: Discipline = Discipline.NONE
    discipline_review_approved: bool = False  # 乡镇党委审慎研究,报县领导小组研究
    barring_grounds: frozenset[BarringGround] = frozenset()
    secretary_grounds: frozenset[SecretaryGround] = frozenset()

    @property
    def is_new_member(self) -> bool:
        return not self.currently_member

    @property
    def continues_as_secretary(self) -> bool:
        return self.nominated_as_secretary and self.currently_secretary


def age_on(birth_date: date, on: date) -> int:
    """Full years (周岁) on a day. A year is completed the day AFTER the birthday, as Chinese practice counts 周岁
    (最高人民法院, 未成年人刑事案件解释 Art. 2: "从周岁生日的第二天起算"); a 29 February birthday's anniversary is
    28 February in common years. So someone born 1970-10-01 is 55 on 2025-10-01 and 55 on 2026-10-01, 56 from
    2026-10-02: "不超过55岁" still holds on the 56th birthday itself.
    """
    years = on.year - birth_date.year
    last = calendar.monthrange(on.year, birth_date.month)[1]
    anniversary = date(on.year, birth_date.month, min(birth_date.day, last))
    if on <= anniversary:
        years -= 1
    return years


def needs_discipline_review(facts: CandidateFacts) -> bool:
    """The plan §三(五): a NEW nominee whose impact period has not ended, and a CONTINUING nominee with any
    discipline record (ended or not), may be nominated only after the township's review and the county group's
    study; such nominees count toward the township's 15 % cap."""
    if facts.is_new_member:
        return facts.discipline == Discipline.IMPACT_ONGOING
    return facts.discipline != Discipline.NONE


def check_candidate(facts: CandidateFacts) -> list[Failure]:
    """The plan §三 and A2, for one nominee: errors refuse, warnings ask for confirmation.

    Long because every ground of the plan is one short check in the plan's order, so that it reads against the source.

    Interpretations (the plan wins over the guides):
    - Age limits (§三(四)) are stated for village (村) committees only; a community nominee gets no age failure.
      Secretary nominees are held to 60, other nominees to 55 ("书记……60周岁和……其他成员……55周岁"). Over the
      limit is refused unless the exception is recorded as approved, which turns it into a warning; for a new
      nominee the plan's "原则上" allows the same approved exception.
    - Education and health are "一般应具备" (normally) for NEW nominees: a warning, not a refusal.
    - The nine grounds against continuing as secretary apply only to a sitting secretary nominated again as
      secretary ("不宜继续担任"); each marked ground refuses that nomination.
    """
    failures: list[Failure] = []
    if not facts.is_full_member:
        failures.append(Failure("A2", f"{facts.name}是预备党员,没有被选举权({REGULATION}第五条)"))
    if facts.under_party_probation:
        failures.append(Failure("A2", f"{facts.name}正在留党察看期间,没有被选举权({REGULATION}第五条)"))
    failures.extend(_age_failures(facts))
    if facts.is_new_member and facts.education not in HIGH_SCHOOL_OR_ABOVE:
        failures.append(
            Failure(
                "三(四)学历",
                f"{facts.name}为新推选委员候选人,文化程度低于高中,一般应具备高中以上文化程度(换届方案三(四))",
                Severity.WARNING,
            )
        )
    if facts.is_new_member and not facts.healthy:
        failures.append(
            Failure("三(四)健康", f"{facts.name}为新推选委员候选人,一般应身体健康(换届方案三(四))", Severity.WARNING)
        )
    for ground in sorted(facts.barring_grounds):
        failures.append(
            Failure(
                f"三(五)({ground.value})",
                f"{facts.name}:{ground.label},不得作为候选人(换届方案三(五)第{ground.value}项)",
            )
        )
    if facts.continues_as_secretary:
        for ground in sorted(facts.secretary_grounds):
            failures.append(
                Failure(
                    f"三(四)书记({ground.value})",
                    f"{facts.name}:{ground.label},不宜继续担任党组织书记(换届方案三(四)第{ground.value}项)",
                )
            )
    if needs_discipline_review(facts):
        kind = "新提名人选受处分影响期未满" if facts.is_new_member else "继续提名人选受过处分"
        if facts.discipline_review_approved:
            failures.append(
                Failure(
                    "三(五)处分",
                    f"{facts.name}:{kind},已经乡镇党委研究、县领导小组同意提名,计入本乡镇15%比例(换届方案三(五))",
                    Severity.WARNING,
                )
            )
        else:
            failures.append(
                Failure(
                    "三(五)处分",
                    f"{facts.name}:{kind},须经乡镇党委审慎研究并报县换届工作领导小组研究后方可提名(换届方案三(五))",
                )
            )
    return failures


def _age_failures(facts: CandidateFacts) -> list[Failure]:
    if facts.field != RURAL:
        return []
    age = age_on(facts.birth_date, facts.election_date)
    limit, post = (MAX_AGE_SECRETARY, "书记") if facts.nominated_as_secretary else (MAX_AGE_MEMBER, "委员")
    if age <= limit:
        return []
    continuing = facts.currently_secretary if facts.nominated_as_secretary else facts.currently_member
    kind = "继续提名" if continuing else "新任"
    where = f"{facts.name}选举日{facts.election_date.isoformat()}时{age}周岁,{kind}村党组织{post}年龄不超过{limit}岁"
    if facts.age_exception_approved:
        approved = f"{where};已经乡镇党委研究、报县领导小组审定同意提名(换届方案三(四))"
        return [Failure("三(四)年龄", approved, Severity.WARNING)]
    return [Failure("三(四)年龄", f"{where},超龄提名须经乡镇党委研究并报县领导小组审定(换届方案三(四))")]


@dataclass(frozen=True)
class MemberFacts:
    name: str
    birth_date: date
    is_female: bool


def composition_warnings(members: Sequence[MemberFacts], election_date: date, *, field: str = RURAL) -> list[Failure]:
    """The plan §三(四): a village committee should have a member aged 35 or under and a woman ("原则上": warnings).

    For a community the plan only asks to "适当提高女性委员的比例": a committee without any woman is warned.
    """
    failures: list[Failure] = []
    if field == RURAL and not any(age_on(m.birth_date, election_date) <= YOUNG_MEMBER_MAX_AGE for m in members):
        failures.append(
            Failure(
                "三(四)结构",
                f"村党组织委员会原则上应有1名{YOUNG_MEMBER_MAX_AGE}岁以下的党员,当前{len(members)}名成员中没有"
                f"(换届方案三(四))",
                Severity.WARNING,
            )
        )
    if field in (RURAL, COMMUNITY) and not any(m.is_female for m in members):
        text = "村党组织委员会原则上应有1名女党员" if field == RURAL else "社区党组织要适当提高女性委员的比例"
        failures.append(
            Failure("三(四)结构", f"{text},当前{len(members)}名成员中没有女性(换届方案三(四))", Severity.WARNING)
        )
    return failures


def discipline_cap(villages_in_township: int) -> int:
    """The plan §三(五): "不得超过村(社区)总数的15%" = at most, so rounded down: 10 villages → 1, 20 → 3, 6 → 0."""
    return villages_in_township * DISCIPLINE_CAP_PERCENT // 100


def check_discipline_cap(villages_in_township: int, such_nominees: int) -> list[Failure]:
    """The township's nominees needing a discipline review (``needs_discipline_review``) against the 15 % cap."""
    cap = discipline_cap(villages_in_township)
    if such_nominees <= cap:
        return []
    return [
        Failure(
            "三(五)15%",
            f"本乡镇受处分影响人选{such_nominees}名,超过村(社区)总数{villages_in_township}个的"
            f"{DISCIPLINE_CAP_PERCENT}%(至多{cap}名)(换届方案三(五))",
        )
    ]
