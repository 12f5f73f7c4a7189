"""The demo district's plan: which townships, villages, communities, organs, schools and companies, and how big.

Every random choice comes from one seeded ``random.Random`` and every date is counted from ``REFERENCE_DATE`` (not
today), so two plans are the same.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date, timedelta
from typing import Any

from organizations.demo.people import PersonFactory
from organizations.models import (
    Organization,
    OrgField,
    OrgKind,
)

ROOT_CODE = "D"
ROOT_NAME = "示范区委"
DEMO_PASSWORD = "demo12345"
SEED = 20261128
# Ages, joining dates and terms are counted from this day, not from today: the data must not drift.
REFERENCE_DATE = date(2026, 11, 28)
DEMO_USERNAME_REGEX = r"^(district|township[0-9]{2}|branch[0-9]{4}|liaison[0-9]{2}|viewer[0-9]{2})$"

# The special cases every build contains (codes are stable; names are listed in the command's summary).
SEED_VILLAGE_CODE = "T01-001"  # seed part 3: 洞村党支部, 79 members (B4: eligible for a general branch)
SEED_VILLAGE_MEMBERS = 79
LARGE_VILLAGE_CODE = "T06-001"  # 100 or more members (B4: eligible for a committee)
LARGE_VILLAGE_MEMBERS = 106
TWO_FULL_CODE = "T04-001"  # only 2 full members (B1 error)
NO_COMMITTEE_CODE = "T08-001"  # 10 full members, no committee (B3 warning)

TOWNS = ["东风镇", "金桥镇", "石埠镇", "双定镇", "那马镇", "长塘镇"]
STREETS = ["朝阳街道", "兴东街道", "民生街道", "南湖街道"]
VILLAGE_HEADS = "那板六大新上下东西南高石龙长平古黄青白金马良坛清凤"
VILLAGE_TAILS = "蒙桐塘岭坡山江岸圩屯桥湾朗勒田头垌排岜水林"
COMMUNITY_NAMES = (
    "新华 和平 友爱 七星 中山 人民 园湖 长湖 凤岭 东葛 金湖 竹溪 望园 滨江 明秀 秀灵 北湖 衡阳 鲁班 虎邱 "
    "安吉 华强 振兴 万秀 锦绣 桃源 月湾 荔园 邕江 仙葫 建政 古城 津头 麻村 茅桥 南铁 星光 福建园 新竹 嘉宾 "
    "江南 沙井 白沙 五一 星湖 友谊 明德 广园 龙腾 埌东 埌西 青环 凤翔 嘉和 金源 利民 桂雅 悦华 蟠龙 莲花 "
    "翠湖 长堽 五里亭 双拥 竹塘 桂春 思贤 南梧 厢竹 柳沙 双桥 银海"
).split()
COMPANY_HEADS = "华泰 恒通 宏达 金穗 绿源 鑫盛 桂鑫 联发 长江 瑞丰 天成 八桂 盛世 新锐 远航 东盟 邕城 佳和".split()
COMPANY_TRADES = "林化 物流 建材 食品 电子科技 汽车维修 物业服务 糖业 农业发展 商贸 制药 木业 网络科技 餐饮管理".split()
SOCIAL_ORGS = "松脂协会 蚕桑协会 沃柑协会 个体劳动者协会 商会 社会工作服务中心 志愿者协会 律师事务所".split()
ORGAN_UNITS = (
    "区委办公室 区人大常委会机关 区政府办公室 区政协机关 区纪委监委机关 区委组织部 区委宣传部 区委统战部 "
    "区委政法委 区发展和改革局 区民政局 区人力资源和社会保障局 区自然资源局 区住房和城乡建设局 区交通运输局 "
    "区水利局 区商务局 区文化广电体育和旅游局 区卫生健康局 区应急管理局 区审计局 区统计局 区医疗保障局 "
    "区林业局 区司法局 区信访局 区退役军人事务局 区行政审批局 区总工会 团区委 区妇联 区工商联"
).split()
ORGAN_GENERAL_UNITS = "区财政局 区农业农村局 区市场监督管理局 区城市管理局".split()
INSTITUTION_UNITS = "区人民医院 区疾病预防控制中心 区妇幼保健院 区融媒体中心 区档案馆".split()
STATE_UNITS = "区城市建设投资集团有限公司 区供销合作社联合社 区水务有限公司".split()
SCHOOLS_GENERAL = "区第一中学 区第二中学 区第三中学 区职业技术学校".split()
SCHOOLS = (
    "区实验中学 区第四中学 朝阳路小学 民主路小学 滨江小学 桃源路小学 园湖小学 凤岭小学 星光小学 "
    "新竹小学 津头小学 仙葫小学 长湖小学 建政路小学 古城路小学 衡阳路小学 北湖小学 荔园小学"
).split()


@dataclass
class Node:
    """One organization of the plan, before it is written."""

    code: str
    name: str
    kind: str
    field: str = ""
    units_covered: int = 1
    established_on: date | None = None
    size: int = 0  # current members created directly in this organization
    full_count: int | None = None  # exactly this many full members (the rest probationary)
    all_full: bool = False
    no_committee: bool = False
    children: list[Node] = dc_field(default_factory=list)
    org: Organization | None = None

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


class _Planner:
    def __init__(self, *, scale: float, seed: int) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.people = PersonFactory(self.rng, REFERENCE_DATE)
        self.village_names = self._unique_names(VILLAGE_HEADS, VILLAGE_TAILS)
        self.community_names = list(COMMUNITY_NAMES)
        self.rng.shuffle(self.community_names)

    # --- the plan ---------------------------------------------------------------------------------------

    def n(self, base: int, minimum: int = 0) -> int:
        return max(minimum, round(base * self.scale))

    def day(self, first_year: int, last_year: int) -> date:
        start = date(first_year, 1, 1)
        return start + timedelta(days=self.rng.randrange((date(last_year, 12, 31) - start).days + 1))

    def _unique_names(self, heads: str, tails: str) -> list[str]:
        names = sorted({h + t for h in heads for t in tails if h != t})
        self.rng.shuffle(names)
        return names

    def plan(self) -> Node:
        root = Node(ROOT_CODE, ROOT_NAME, OrgKind.COMMITTEE, established_on=date(1984, 10, 1))
        townships: list[tuple[str, str, Any]] = [(f"{t}党委", OrgKind.COMMITTEE, self.plan_town) for t in TOWNS]
        townships += [(f"{s}党工委", OrgKind.WORKING_COMMITTEE, self.plan_street) for s in STREETS]
        townships += [("区直机关工委", OrgKind.WORKING_COMMITTEE, self.plan_organs)]
        townships += [("区教育工委", OrgKind.WORKING_COMMITTEE, self.plan_schools)]
        for i, (name, kind, planner) in enumerate(townships, start=1):
            township = Node(f"T{i:02d}", name, kind, established_on=self.day(1984, 2004))
            units = planner(township)
            for j, unit in enumerate(units, start=1):
                self._recode(unit, f"{township.code}-{j:03d}")
            township.children = units
            root.children.append(township)
        return root

    def _recode(self, node: Node, code: str) -> None:
        node.code = code
        groups = 0
        for k, child in enumerate(node.children, start=1):
            if child.kind == OrgKind.PARTY_GROUP:
                groups += 1
                self._recode(child, f"{code}-G{groups}")
            else:
                self._recode(child, f"{code}-{k:02d}")

    def unit(self, name: str, kind: str, field: str, size: tuple[int, int], years: tuple[int, int], **kw: Any) -> Node:
        members = self.rng.randint(*size) if kind not in {OrgKind.GENERAL_BRANCH, OrgKind.COMMITTEE} else 0
        return Node("", name, kind, field, established_on=self.day(*years), size=members, **kw)

    def with_subs(self, parent: Node, names: list[str], size: tuple[int, int]) -> Node:
        first = max(parent.established_on.year if parent.established_on else 2005, 2005)
        parent.children = [self.unit(n, OrgKind.BRANCH, parent.field, size, (first, 2022)) for n in names]
        return parent

    def with_groups(self, branch: Node, count: int) -> Node:
        ordinals = "一二三四五"
        branch.children = [
            Node(
                "",
                f"{branch.name.removesuffix('党支部')}第{ordinals[i]}党小组",
                OrgKind.PARTY_GROUP,
                branch.field,
                established_on=self.day(2010, 2022),
            )
            for i in range(count)
        ]
        return branch

    def company(self) -> str:
        return f"广西{self.rng.choice(COMPANY_HEADS)}{self.rng.choice(COMPANY_TRADES)}有限公司"

    def plan_town(self, township: Node) -> list[Node]:
        town = township.name.removesuffix("党委")
        units = self._seed_cases(township, town)
        structured = self.scale >= 0.5 or township.code in {"T01", "T02"}
        units += self._villages(structured)
        units += self._town_units(town)
        return units

    def _seed_cases(self, township: Node, town: str) -> list[Node]:
        """The special cases every build contains (their townships are fixed)."""
        rural, units = OrgField.RURAL, []
        if township.code == "T01":
            units.append(
                Node(
                    "", "洞村党支部", OrgKind.BRANCH, rural, established_on=date(1956, 7, 1), size=SEED_VILLAGE_MEMBERS
                )
            )
        if township.code == "T06":
            units.append(
                Node(
                    "",
                    f"{self.village_names.pop()}村党支部",
                    OrgKind.BRANCH,
                    rural,
                    established_on=date(1958, 3, 1),
                    size=LARGE_VILLAGE_MEMBERS,
                )
            )
        if township.code == "T04":
            units.append(
                Node(
                    "",
                    f"{town}{self.company()}党支部",
                    OrgKind.BRANCH,
                    OrgField.PRIVATE_ENTERPRISE,
                    established_on=date(2019, 6, 18),
                    size=3,
                    full_count=2,
                )
            )
        return units

    def _villages(self, structured: bool) -> list[Node]:
        """A township's villages; in a structured township the second is a village committee with branches, the
        third a general branch, the fourth a branch with party groups."""
        rural, units = OrgField.RURAL, []
        for i in range(self.n(16, minimum=5 if structured else 3)):
            village = self.village_names.pop()
            if structured and i == 1:
                node = self.unit(f"{village}村党委", OrgKind.COMMITTEE, rural, (0, 0), (1952, 1990))
                self.with_subs(node, [f"{village}村第{o}党支部" for o in "一二三"], (18, 34))
            elif structured and i == 2:
                node = self.unit(f"{village}村党总支", OrgKind.GENERAL_BRANCH, rural, (0, 0), (1952, 1990))
                subs = [f"{village}村{x}党支部" for x in ["种养", "产业", "老年", "流动党员"][: self.rng.randint(2, 4)]]
                self.with_subs(node, subs, (10, 24))
            else:
                node = self.unit(f"{village}村党支部", OrgKind.BRANCH, rural, (26, 62), (1950, 1995))
                if structured and i == 3:
                    self.with_groups(node, self.rng.randint(2, 4))
            units.append(node)
        return units

    def _town_units(self, town: str) -> list[Node]:
        """A town's communities, organs, institutions, school, companies and social organizations."""
        units = []
        for _ in range(self.n(3, minimum=1)):
            units.append(
                self.unit(
                    f"{town}{self.community_names.pop()}社区党支部",
                    OrgKind.BRANCH,
                    OrgField.COMMUNITY,
                    (20, 44),
                    (2000, 2015),
                )
            )
        units.append(self.unit(f"{town}人民政府机关党支部", OrgKind.BRANCH, OrgField.ORGAN, (12, 30), (1984, 1995)))
        if self.n(1):
            units.append(self.unit(f"{town}退休干部党支部", OrgKind.BRANCH, OrgField.ORGAN, (8, 20), (1995, 2010)))
            units.append(self.unit(f"{town}卫生院党支部", OrgKind.BRANCH, OrgField.INSTITUTION, (6, 16), (1985, 2005)))
            units.append(
                self.unit(f"{town}农业服务中心党支部", OrgKind.BRANCH, OrgField.INSTITUTION, (5, 12), (1990, 2010))
            )
            units.append(self.unit(f"{town}中心学校党支部", OrgKind.BRANCH, OrgField.SCHOOL, (10, 28), (1980, 2000)))
        for _ in range(self.n(2)):
            units.append(
                self.unit(f"{self.company()}党支部", OrgKind.BRANCH, OrgField.PRIVATE_ENTERPRISE, (4, 14), (2008, 2022))
            )
        units.append(
            self.unit(
                f"{town}非公企业联合党支部",
                OrgKind.JOINT_BRANCH,
                OrgField.PRIVATE_ENTERPRISE,
                (6, 15),
                (2015, 2023),
                units_covered=self.rng.randint(2, 5),
            )
        )
        if self.n(1):
            units.append(
                self.unit(
                    f"{town}{self.rng.choice(SOCIAL_ORGS[:4])}党支部",
                    OrgKind.BRANCH,
                    OrgField.SOCIAL_ORG,
                    (4, 10),
                    (2012, 2022),
                )
            )
        return units

    def plan_street(self, township: Node) -> list[Node]:
        street = township.name.removesuffix("党工委")
        community, units = OrgField.COMMUNITY, []
        if township.code == "T08":
            units.append(
                Node(
                    "",
                    f"{street}{self.company()}党支部",
                    OrgKind.BRANCH,
                    OrgField.PRIVATE_ENTERPRISE,
                    established_on=date(2016, 7, 1),
                    size=10,
                    all_full=True,
                    no_committee=True,
                )
            )
        for i in range(self.n(12, minimum=2)):
            name = self.community_names.pop()
            if i == 0:
                node = self.unit(f"{name}社区党委", OrgKind.COMMITTEE, community, (0, 0), (2000, 2012))
                self.with_subs(node, [f"{name}社区第{o}网格党支部" for o in "一二三"], (16, 34))
            else:
                node = self.unit(f"{name}社区党支部", OrgKind.BRANCH, community, (24, 50), (2000, 2015))
                if i == 1:
                    self.with_groups(node, 3)
            units.append(node)
        units.append(self.unit(f"{street}办事处机关党支部", OrgKind.BRANCH, OrgField.ORGAN, (14, 30), (1990, 2005)))
        units.append(
            self.unit(f"{street}社区卫生服务中心党支部", OrgKind.BRANCH, OrgField.INSTITUTION, (6, 14), (2005, 2015))
        )
        for _ in range(self.n(4)):
            units.append(
                self.unit(f"{self.company()}党支部", OrgKind.BRANCH, OrgField.PRIVATE_ENTERPRISE, (4, 16), (2008, 2022))
            )
        if self.n(1):
            units.append(
                self.unit(
                    f"南宁{self.rng.choice(COMPANY_HEADS)}燃气有限公司{street}分公司党支部",
                    OrgKind.BRANCH,
                    OrgField.STATE_ENTERPRISE,
                    (10, 30),
                    (2000, 2015),
                )
            )
        for org in SOCIAL_ORGS[4:][: self.n(2)]:
            units.append(self.unit(f"{street}{org}党支部", OrgKind.BRANCH, OrgField.SOCIAL_ORG, (3, 9), (2012, 2022)))
        units.append(
            self.unit(
                f"{street}非公企业联合党支部",
                OrgKind.JOINT_BRANCH,
                OrgField.PRIVATE_ENTERPRISE,
                (5, 15),
                (2015, 2023),
                units_covered=self.rng.randint(2, 5),
            )
        )
        return units

    def plan_organs(self, township: Node) -> list[Node]:
        organ, units = OrgField.ORGAN, []
        for name in ORGAN_GENERAL_UNITS[: self.n(4, minimum=1)]:
            node = self.unit(f"{name}党总支", OrgKind.GENERAL_BRANCH, organ, (0, 0), (1985, 2000))
            subs = ["机关第一党支部", "机关第二党支部", "下属单位党支部", "离退休干部党支部"][: self.rng.randint(2, 4)]
            units.append(self.with_subs(node, [f"{name}{s}" for s in subs], (8, 22)))
        for name in ORGAN_UNITS[: self.n(len(ORGAN_UNITS), minimum=2)]:
            units.append(self.unit(f"{name}党支部", OrgKind.BRANCH, organ, (10, 34), (1985, 2005)))
        for name in INSTITUTION_UNITS[: self.n(len(INSTITUTION_UNITS), minimum=1)]:
            units.append(self.unit(f"{name}党支部", OrgKind.BRANCH, OrgField.INSTITUTION, (8, 36), (1985, 2005)))
        for name in STATE_UNITS[: self.n(len(STATE_UNITS))]:
            units.append(self.unit(f"{name}党支部", OrgKind.BRANCH, OrgField.STATE_ENTERPRISE, (10, 40), (1995, 2015)))
        return units

    def plan_schools(self, township: Node) -> list[Node]:
        school, units = OrgField.SCHOOL, []
        for name in SCHOOLS_GENERAL[: self.n(4, minimum=1)]:
            node = self.unit(f"{name}党总支", OrgKind.GENERAL_BRANCH, school, (0, 0), (1978, 1995))
            subs = ["初中部党支部", "高中部党支部", "行政后勤党支部", "退休教师党支部"][: self.rng.randint(2, 4)]
            units.append(self.with_subs(node, [f"{name}{s}" for s in subs], (10, 26)))
        for name in SCHOOLS[: self.n(len(SCHOOLS), minimum=1)]:
            units.append(self.unit(f"{name}党支部", OrgKind.BRANCH, school, (12, 38), (1980, 2005)))
        for i in range(self.n(3)):
            units.append(
                self.unit(
                    f"区幼儿园第{'一二三'[i]}联合党支部",
                    OrgKind.JOINT_BRANCH,
                    school,
                    (5, 12),
                    (2012, 2020),
                    units_covered=self.rng.randint(2, 5),
                )
            )
        units.append(self.unit("区教育局机关党支部", OrgKind.BRANCH, OrgField.ORGAN, (10, 24), (1985, 1995)))
        return units

    # --- writing ----------------------------------------------------------------------------------------
