"""The grading demo's plan: its years, stages and version counts, and the texts it writes."""

import random
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from grading.models import (
    Assessment,
    AssessmentStatus,
    Notice,
)
from grading.rules import grades as rules
from organizations.models import OrgField

SEED = 20260401
PREVIOUS_YEAR = 2025
CURRENT_YEAR = 2026
LIVE_TOWNSHIPS = ("T11", "T12")  # still at work in the current year; every other township is finished
G = rules.Grade
S = AssessmentStatus
HALF = Decimal("0.5")

# Versions as the services count them: every save and every move adds one (grading.services.workflow and
# grading.services.assessments).
SELF_SAVES = 4  # 附件1, 附件2, 附件3 scores, 附件3 committee opinion
V_SUBMITTED = 1 + SELF_SAVES + 1
V_SCORED = V_SUBMITTED + 2  # one 附件4 save, then 完成评分
V_IN_NOTICE = V_SCORED + 1
V_WITH_DISTRICT = V_IN_NOTICE + 2  # closed by the clock, then submitted
V_APPROVED = V_WITH_DISTRICT + 1
V_FINAL = V_APPROVED + 1  # the clock finalizes after the objection window (one more save)
V_FINAL_OBJECTED = V_APPROVED + 3  # an objection (+1), its re-review (+1) and the finalization inside it (+1)

# Shares of the live townships' organizations per stage (largest remainder; T11 always has an open notice).
LIVE_STAGES: dict[str, list[tuple[str, float]]] = {
    "T11": [
        ("approved", 0.1),
        ("with_district", 0.15),
        ("in_notice", 0.25),
        ("scored", 0.15),
        ("submitted", 0.12),
        ("returned", 0.03),
        ("drafting", 0.1),
        ("untouched", 0.1),
    ],
    "T12": [("scored", 0.2), ("submitted", 0.3), ("returned", 0.05), ("drafting", 0.2), ("untouched", 0.25)],
}
STAGE_ORDER = [
    "untouched",
    "drafting",
    "returned",
    "submitted",
    "scored",
    "in_notice",
    "with_district",
    "approved",
    "final",
]
BAND_RANGES = {G.GOOD: (90, 97.5), G.FAIRLY_GOOD: (80, 89.5), G.AVERAGE: (61, 79.5), G.POOR: (46, 59.5)}
MEETING_PLACES = {OrgField.RURAL: "村委会会议室", OrgField.COMMUNITY: "社区党群服务中心"}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def _half(value: float) -> Decimal:
    return Decimal(round(value * 2)) / 2


@dataclass
class _Plan:
    """What happens to one assessment, decided before anything is written."""

    a: Assessment
    stage: str
    grade: str = ""  # the township's preliminary grade
    score: Decimal | None = None  # the township's total
    vetoed: bool = False
    override: bool = False  # the township chose another grade than the band, with a reason
    adjusted: str = ""  # the district's grade when it differs
    objection: str = ""  # "", "notice", "rejected", "upheld"
    notice: Notice | None = None


ASSESSMENT_FIELDS = [
    "status",
    "version",
    "self_score",
    "self_grade",
    "good_share",
    "committee_met_on",
    "committee_for",
    "committee_against",
    "committee_abstain",
    "submitted_at",
    "returned_reason",
    "township_score",
    "township_vetoed",
    "township_grade",
    "township_override_reason",
    "township_opinion",
    "scored_at",
    "notice",
    "district_grade",
    "district_adjust_reason",
    "approved_at",
    "objection_due",
    "final_grade",
    "final_score",
    "finalized_at",
    "nominable_as_advanced",
    "secretary_promotable_next_year",
    "committee_appraisal_cap",
]
REPORT_FIELDS = ("basic_situation", "self_building", "role_played", "problems", "measures")


def _spread(total: Decimal, maxima: list[Decimal], rng: random.Random) -> list[Decimal]:
    """Item points in steps of 0.5 around the total's share of each maximum, adding up to ``total`` exactly."""
    share = float(total) / 100
    points = [min(m, max(Decimal(0), _half(float(m) * (share + rng.uniform(-0.08, 0.08))))) for m in maxima]
    rest = total - sum(points, Decimal(0))
    order = list(range(len(maxima)))
    while rest:
        step = HALF if rest > 0 else -HALF
        rng.shuffle(order)
        for i in order:
            if rest and Decimal(0) <= points[i] + step <= maxima[i]:
                points[i] += step
                rest -= step
    return points


# --- Texts -----------------------------------------------------------------------------------------------------

REPORT: dict[str, tuple[str, ...]] = {
    "basic_situation": (
        "{name}现有党员{members}名,设支部委员会,班子成员分工明确。本年度按照区委组织部部署开展自查自评。",
        "{name}共有党员{members}名,其中女党员、35岁以下青年党员占一定比例,党员队伍结构总体合理。",
        "{name}下设党小组,现有党员{members}名,党组织活动场所面积达标,日常运转经费有保障。",
    ),
    "self_building": (
        "严格落实“三会一课”、主题党日和组织生活会制度,全年召开支部党员大会4次、支委会12次,上党课4次。",
        "坚持民主集中制,重大事项均经支委会集体研究;按时足额收缴党费,党费收缴台账完整。",
        "规范发展党员程序,本年度确定入党积极分子2名、发展对象1名;流动党员纳入台账管理。",
    ),
    "role_played": (
        "党员设岗定责、承诺践诺,带领群众发展特色产业,集体经济收入比上年有所增长。",
        "围绕中心工作开展志愿服务和为民办实事活动,全年办理群众诉求30余件,群众满意度较高。",
        "组织党员参与矛盾纠纷排查化解和人居环境整治,发挥了战斗堡垒作用和党员先锋模范作用。",
    ),
    "problems": (
        "党员老龄化问题突出,年轻党员偏少;部分党员学习主动性不强。原因是外出务工人员多,后备力量不足。",
        "“三会一课”记录不够规范,个别会议内容流于形式;对流动党员的教育管理手段不多。",
        "发展集体经济思路不宽、办法不多,带领群众增收致富的能力有待提高。",
    ),
    "measures": (
        "加强对青年人才的培养,注重从致富能手、返乡青年中发展党员;规范会议记录,定期自查。",
        "推行“网上+线下”学习,完善流动党员联系制度;每季度开展一次组织生活情况自查。",
        "盘活集体资产资源,探索“党支部+合作社+农户”模式;健全为民办实事台账,及时回应群众诉求。",
    ),
}
OPINIONS = (
    "经党(工)委会议研究,同意初定为“{grade}”等次。",
    "该党组织自评材料齐全,经逐项核实评分,初定为“{grade}”等次。",
    "结合测评会结果和日常掌握情况,初定为“{grade}”等次。",
)


def objection_texts(stage: str, name: str) -> str:
    if stage == "notice":
        return f"反映{name}组织生活会召开不规范,“三会一课”记录存在补记情况,请求重新核实评分。"
    return f"{name}对审定等次有异议:本年度集体经济收入和为民办实事成效未被充分计分,请求复核。"
