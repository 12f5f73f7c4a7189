"""The demo district: a deterministic, realistic organization tree with members, committees and accounts.

``build_demo`` is what ``manage.py load_demo`` runs and what tests call with a small ``scale``. Every random
choice comes from one seeded ``random.Random`` and every date is counted from ``REFERENCE_DATE`` (not today),
so two builds produce the same rows. The tree is written with ``bulk_create``: paths are computed with
treebeard's own ``_get_path`` in code order (``node_order_by = ["code"]``), exactly what ``add_child`` would
produce. Role grants go through ``organizations.services.role_grant`` so guardian's permission rows exist.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Model, ProtectedError, QuerySet, RestrictedError

from organizations.models import (
    ChangeKind,
    CommitteeTerm,
    Education,
    Gender,
    Member,
    MemberStatus,
    MemberTransfer,
    Organization,
    OrgChange,
    OrgField,
    OrgKind,
    Position,
    Post,
)
from organizations.roles import Role
from organizations.rules import (
    COMMITTEE_REQUIRED_FROM_FULL_MEMBERS,
    add_years,
    id_check_digit,
    id_number_is_valid,  # noqa: F401  (the demo's people are checked with the forms' rule)
    term_end,
)
from organizations.services import default_is_graded, role_grant
from partybuild.models import Event

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


@dataclass
class DemoSummary:
    created: bool
    townships: int = 0
    organizations: int = 0
    graded: int = 0
    party_groups: int = 0
    members: int = 0
    probationary: int = 0
    migrants: int = 0
    on_probation: int = 0
    terms: int = 0
    positions: int = 0
    accounts: int = 0
    seconds: float = 0.0


def demo_root() -> Organization | None:
    return Organization.objects.filter(code=ROOT_CODE, depth=1).first()


def summarize(root: Organization, *, created: bool, seconds: float = 0.0) -> DemoSummary:
    orgs = Organization.objects.filter(path__startswith=root.path)
    members = Member.objects.filter(organization__path__startswith=root.path, left_on__isnull=True)
    return DemoSummary(
        created=created,
        townships=orgs.filter(depth=2).count(),
        organizations=orgs.count(),
        graded=orgs.filter(is_graded=True).count(),
        party_groups=orgs.filter(kind=OrgKind.PARTY_GROUP).count(),
        members=members.count(),
        probationary=members.filter(status=MemberStatus.PROBATIONARY).count(),
        migrants=members.filter(is_migrant=True).count(),
        on_probation=members.filter(under_party_probation=True).count(),
        terms=CommitteeTerm.objects.filter(organization__path__startswith=root.path).count(),
        positions=Position.objects.filter(organization__path__startswith=root.path).count(),
        accounts=get_user_model().objects.filter(username__regex=DEMO_USERNAME_REGEX).count(),
        seconds=seconds,
    )


def build_demo(*, scale: float = 1.0, seed: int = SEED) -> DemoSummary:
    """Build the demo district once; when its root (code "D") exists, change nothing and say so."""
    started = time.perf_counter()
    existing = demo_root()
    if existing is not None:
        return summarize(existing, created=False, seconds=time.perf_counter() - started)
    with transaction.atomic():
        root = _Builder(scale=scale, seed=seed).build()
    return summarize(root, created=True, seconds=time.perf_counter() - started)


def reset_demo() -> None:
    """Remove the demo tree, its members, terms, positions, the demo accounts and their events and roles."""
    users = get_user_model().objects.filter(username__regex=DEMO_USERNAME_REGEX)
    root = demo_root()
    with transaction.atomic():
        Event.objects.filter(actor__in=users).delete()
        if root is not None:
            in_tree = {"organization__path__startswith": root.path}
            Event.objects.filter(org_path__startswith=root.path).delete()
            Position.objects.filter(**in_tree).delete()
            MemberTransfer.objects.filter(member__organization__path__startswith=root.path).delete()
            _delete_with_dependents(Member.objects.filter(**in_tree))
            _delete_with_dependents(Organization.objects.filter(path__startswith=root.path))
        _delete_with_dependents(users)


def _delete_with_dependents(qs: QuerySet[Any], depth: int = 0) -> None:
    """Delete ``qs``; rows of other apps that protect it (PROTECT/RESTRICT) belong to the demo too and go first."""
    for _ in range(10):
        try:
            qs.delete()
            return
        except (ProtectedError, RestrictedError) as exc:
            if depth > 5:
                raise
            blockers = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", set())
            by_model: dict[type[Model], list[Any]] = defaultdict(list)
            for obj in blockers:
                by_model[type(obj)].append(obj.pk)
            for model, pks in by_model.items():
                _delete_with_dependents(model._default_manager.filter(pk__in=pks), depth + 1)
    qs.delete()


class _Builder:
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
            Node("", f"{branch.name.removesuffix('党支部')}第{ordinals[i]}党小组", OrgKind.PARTY_GROUP, branch.field,
                 established_on=self.day(2010, 2022))
            for i in range(count)
        ]
        return branch

    def company(self) -> str:
        return f"广西{self.rng.choice(COMPANY_HEADS)}{self.rng.choice(COMPANY_TRADES)}有限公司"

    def plan_town(self, township: Node) -> list[Node]:
        town = township.name.removesuffix("党委")
        rural, units = OrgField.RURAL, []
        if township.code == "T01":
            units.append(Node("", "洞村党支部", OrgKind.BRANCH, rural, established_on=date(1956, 7, 1),
                              size=SEED_VILLAGE_MEMBERS))
        if township.code == "T06":
            units.append(Node("", f"{self.village_names.pop()}村党支部", OrgKind.BRANCH, rural,
                              established_on=date(1958, 3, 1), size=LARGE_VILLAGE_MEMBERS))
        if township.code == "T04":
            units.append(Node("", f"{town}{self.company()}党支部", OrgKind.BRANCH, OrgField.PRIVATE_ENTERPRISE,
                              established_on=date(2019, 6, 18), size=3, full_count=2))
        structured = self.scale >= 0.5 or township.code in {"T01", "T02"}
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
        for _ in range(self.n(3, minimum=1)):
            units.append(self.unit(f"{town}{self.community_names.pop()}社区党支部", OrgKind.BRANCH,
                                   OrgField.COMMUNITY, (20, 44), (2000, 2015)))
        units.append(self.unit(f"{town}人民政府机关党支部", OrgKind.BRANCH, OrgField.ORGAN, (12, 30), (1984, 1995)))
        if self.n(1):
            units.append(self.unit(f"{town}退休干部党支部", OrgKind.BRANCH, OrgField.ORGAN, (8, 20), (1995, 2010)))
            units.append(self.unit(f"{town}卫生院党支部", OrgKind.BRANCH, OrgField.INSTITUTION, (6, 16), (1985, 2005)))
            units.append(self.unit(f"{town}农业服务中心党支部", OrgKind.BRANCH, OrgField.INSTITUTION, (5, 12),
                                   (1990, 2010)))
            units.append(self.unit(f"{town}中心学校党支部", OrgKind.BRANCH, OrgField.SCHOOL, (10, 28), (1980, 2000)))
        for _ in range(self.n(2)):
            units.append(self.unit(f"{self.company()}党支部", OrgKind.BRANCH, OrgField.PRIVATE_ENTERPRISE,
                                   (4, 14), (2008, 2022)))
        units.append(self.unit(f"{town}非公企业联合党支部", OrgKind.JOINT_BRANCH, OrgField.PRIVATE_ENTERPRISE,
                               (6, 15), (2015, 2023), units_covered=self.rng.randint(2, 5)))
        if self.n(1):
            units.append(self.unit(f"{town}{self.rng.choice(SOCIAL_ORGS[:4])}党支部", OrgKind.BRANCH,
                                   OrgField.SOCIAL_ORG, (4, 10), (2012, 2022)))
        return units

    def plan_street(self, township: Node) -> list[Node]:
        street = township.name.removesuffix("党工委")
        community, units = OrgField.COMMUNITY, []
        if township.code == "T08":
            units.append(Node("", f"{street}{self.company()}党支部", OrgKind.BRANCH, OrgField.PRIVATE_ENTERPRISE,
                              established_on=date(2016, 7, 1), size=10, all_full=True, no_committee=True))
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
        units.append(self.unit(f"{street}社区卫生服务中心党支部", OrgKind.BRANCH, OrgField.INSTITUTION, (6, 14),
                               (2005, 2015)))
        for _ in range(self.n(4)):
            units.append(self.unit(f"{self.company()}党支部", OrgKind.BRANCH, OrgField.PRIVATE_ENTERPRISE,
                                   (4, 16), (2008, 2022)))
        if self.n(1):
            units.append(self.unit(f"南宁{self.rng.choice(COMPANY_HEADS)}燃气有限公司{street}分公司党支部",
                                   OrgKind.BRANCH, OrgField.STATE_ENTERPRISE, (10, 30), (2000, 2015)))
        for org in SOCIAL_ORGS[4:][: self.n(2)]:
            units.append(self.unit(f"{street}{org}党支部", OrgKind.BRANCH, OrgField.SOCIAL_ORG, (3, 9), (2012, 2022)))
        units.append(self.unit(f"{street}非公企业联合党支部", OrgKind.JOINT_BRANCH, OrgField.PRIVATE_ENTERPRISE,
                               (5, 15), (2015, 2023), units_covered=self.rng.randint(2, 5)))
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
            units.append(self.unit(f"区幼儿园第{'一二三'[i]}联合党支部", OrgKind.JOINT_BRANCH, school, (5, 12),
                                   (2012, 2020), units_covered=self.rng.randint(2, 5)))
        units.append(self.unit("区教育局机关党支部", OrgKind.BRANCH, OrgField.ORGAN, (10, 24), (1985, 1995)))
        return units

    # --- writing ----------------------------------------------------------------------------------------

    def build(self) -> Organization:
        plan = self.plan()
        root = Organization.objects.add_root(
            {"code": plan.code, "name": plan.name, "kind": plan.kind, "established_on": plan.established_on,
             "is_graded": False}
        )
        plan.org = root
        self.write_tree(plan)
        nodes = list(plan.walk())
        self.write_members(nodes)
        self.write_committees(nodes)
        self.write_accounts(plan, nodes)
        return root

    def write_tree(self, plan: Node) -> None:
        rows: list[Organization] = []

        def place(node: Node, parent_path: str, depth: int) -> None:
            for position, child in enumerate(sorted(node.children, key=lambda c: c.code), start=1):
                path = Organization._get_path(parent_path, depth, position)
                child.org = Organization(
                    path=path, depth=depth, numchild=len(child.children), code=child.code, name=child.name,
                    kind=child.kind, field=child.field, units_covered=child.units_covered,
                    established_on=child.established_on, is_graded=default_is_graded(kind=child.kind, depth=depth),
                )
                rows.append(child.org)
                place(child, path, depth + 1)

        assert plan.org is not None
        place(plan, plan.org.path, plan.org.depth + 1)
        rows.sort(key=lambda o: o.path)
        Organization.objects.bulk_create(rows, batch_size=500)
        Organization.objects.filter(pk=plan.org.pk).update(numchild=len(plan.children))
        OrgChange.objects.bulk_create(
            [OrgChange(organization=org, kind=ChangeKind.CREATED, new_name=org.name, new_kind=org.kind,
                       effective_on=org.established_on, note="演示数据") for org in [plan.org, *rows]],
            batch_size=500,
        )

    def write_members(self, nodes: list[Node]) -> None:
        members: list[Member] = []
        for node in nodes:
            assert node.org is not None
            for i in range(node.size):
                if node.full_count is not None:
                    probationary = i >= node.full_count
                elif node.all_full:
                    probationary = False
                else:
                    # never push a branch below 3 full members by accident: only the B1 case shows that finding
                    probationary = i >= 3 and self.rng.random() < 0.055
                members.append(self.people.member(node.org, node.field, probationary=probationary))
        # A handful under 留党察看 (one in the seed village, whose election the demo walks through).
        seed_village = [m for m in members if m.organization.code == SEED_VILLAGE_CODE]
        pool = [m for m in members if m.status == MemberStatus.FULL]
        for member in [seed_village[-1], *self.rng.sample(pool, max(2, round(len(pool) / 1800)))]:
            member.under_party_probation = True
        Member.objects.bulk_create(members, batch_size=1000)
        self.members_by_org: dict[int, list[Member]] = defaultdict(list)
        for member in members:
            self.members_by_org[member.organization.pk].append(member)

    def seats_for(self, node: Node, full: int) -> int:
        if node.kind in {OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH}:
            return 7 if node.field == OrgField.COMMUNITY else 5
        if node.field == OrgField.RURAL:
            return 5 if full >= 30 else 3  # B5: 3–5, usually 3
        if node.field == OrgField.COMMUNITY:
            return self.rng.choice([5, 5, 7])  # B5: 5–9, one deputy
        if full >= COMMITTEE_REQUIRED_FROM_FULL_MEMBERS:
            return self.rng.choice([3, 3, 5])  # B3: 3–5
        return 1  # fewer than 7 full members: a secretary only

    def elected_on(self, node: Node) -> date:
        """Spread over 2021–2025 so some terms are overdue on REFERENCE_DATE and some end within 6 months."""
        five_years = node.field in {OrgField.RURAL, OrgField.COMMUNITY} or node.kind == OrgKind.COMMITTEE
        if five_years:
            return self.day(2021, 2022) if self.rng.random() < 0.6 else self.day(2023, 2025)
        return self.day(2023, 2024) if self.rng.random() < 0.45 else self.day(2024, 2025)

    def write_committees(self, nodes: list[Node]) -> None:
        graded = [n for n in nodes if n.org is not None and n.org.is_graded and not n.no_committee]
        terms: list[CommitteeTerm] = []
        crews: list[tuple[CommitteeTerm, list[tuple[Member, str]]]] = []
        for node in graded:
            assert node.org is not None
            pool = [m for sub in node.walk() if sub.org is not None for m in self.members_by_org[sub.org.pk]]
            full_members = [m for m in pool if m.status == MemberStatus.FULL and not m.under_party_probation]
            preferred = [m for m in full_members if not m.is_migrant and 25 <= m.age_on(REFERENCE_DATE) <= 62]
            full = sum(1 for m in pool if m.status == MemberStatus.FULL)
            seats = min(self.seats_for(node, full), len(full_members))
            if seats == 0:
                continue
            elected = max(self.elected_on(node), node.org.established_on or date(2000, 1, 1))
            term = CommitteeTerm(organization=node.org, elected_on=elected, seats=seats,
                                 ends_on=term_end(elected_on=elected, kind=node.kind, field=node.field))
            # working-age, resident members first; retired or absent ones only when a branch has no one else
            chosen = self.rng.sample(preferred, min(seats, len(preferred)))
            chosen += self.rng.sample([m for m in full_members if m not in chosen], seats - len(chosen))
            posts = [Post.SECRETARY]
            if node.field == OrgField.COMMUNITY or node.kind in {OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH}:
                posts.append(Post.DEPUTY_SECRETARY)
            posts += [Post.COMMITTEE_MEMBER] * seats
            terms.append(term)
            crews.append((term, list(zip(chosen, posts, strict=False))))
        CommitteeTerm.objects.bulk_create(terms, batch_size=500)
        positions = [
            Position(organization=term.organization, member=member, post=post, term=term, started_on=term.elected_on)
            for term, crew in crews
            for member, post in crew
        ]
        Position.objects.bulk_create(positions, batch_size=1000)
        self.secretaries = {p.organization.pk: p.member for p in positions if p.post == Post.SECRETARY}

    def write_accounts(self, plan: Node, nodes: list[Node]) -> None:
        assert plan.org is not None
        user_model = get_user_model()
        password = make_password(DEMO_PASSWORD)  # hashed once: 400 hashes would take most of the run
        grants: list[tuple[Any, Organization, Role]] = []

        def account(username: str, grant: tuple[Organization, Role] | None, person: tuple[str, str] | None = None
                    ) -> Any:
            surname, given = person or self.people.name()
            user = user_model(username=username, password=password, first_name=f"{surname}{given}")  # 姓名, one field
            if grant is not None:
                grants.append((user, *grant))
            return user

        users = [account("district", (plan.org, Role.DISTRICT_STAFF))]
        townships = [child.org for child in plan.children if child.org is not None]
        users += [account(f"township{i:02d}", (org, Role.TOWNSHIP_STAFF)) for i, org in enumerate(townships, start=1)]
        graded = sorted((n.org for n in nodes if n.org is not None and n.org.is_graded), key=lambda o: o.path)
        for i, org in enumerate(graded, start=1):
            secretary = self.secretaries.get(org.pk)
            person = (secretary.name[0], secretary.name[1:]) if secretary is not None else None
            users.append(account(f"branch{i:04d}", (org, Role.BRANCH_SECRETARY), person))
        # The liaison leader follows three villages of T02 and one of T05, not a whole township.
        liaison = account("liaison01", None)
        villages = [o for o in graded if o.field == OrgField.RURAL and o.kind == OrgKind.BRANCH and o.depth == 3]
        followed = [o for o in villages if o.code.startswith("T02-")][:3]
        followed += [o for o in villages if o.code.startswith("T05-")][:1]
        grants += [(liaison, org, Role.LIAISON_LEADER) for org in followed]
        users += [liaison, account("viewer01", (townships[2], Role.VIEWER))]
        user_model.objects.bulk_create(users, batch_size=500)
        for user, org, role in grants:
            role_grant(actor=None, user=user, organization=org, role=role)


# --- people ------------------------------------------------------------------------------------------------

# Common surnames, more frequent first (with the Zhuang-region names 韦, 覃, 莫, 蒙 of a Nanning district).
SURNAMES = (
    "黄李陈韦梁刘林张王覃莫杨蒙卢周何谢罗吴农潘赵廖唐邓曾蓝马陆冯许苏宋郑胡朱徐孙高郭蒋石钟谭"
    "阮蔡甘汤龙叶凌施颜邱庞骆滕"
)
MALE_CHARS = "伟强军勇杰涛明华建国平志文斌辉刚林鹏宇浩波峰春海东亮成福德荣新忠振家永光金胜超良俊庆壮贵桂才"
FEMALE_CHARS = "芳娜敏静丽艳燕霞玲桂英兰凤秀梅琳洁婷雪慧红萍琴丹莉娟颖倩佳月春珍玉美荣秋媛"
ETHNICITIES = (["汉族"] * 62) + (["壮族"] * 33) + ["瑶族", "瑶族", "苗族", "侗族", "仫佬族"]
# Nanning district codes for the first six digits of an ID number (GB/T 2260).
REGION_CODES = ["450102", "450103", "450105", "450107", "450108", "450109", "450110", "450122", "450123", "450124"]
PHONE_PREFIXES = "130 131 132 133 135 136 137 138 139 150 151 152 155 156 158 159 177 180 181 182 186 187 188 189 199"
MIGRANT_PLACES = (
    "广东省广州市务工 广东省深圳市务工 广东省东莞市务工 广东省佛山市经商 浙江省宁波市务工 福建省厦门市务工 "
    "上海市务工 广西柳州市务工 广西钦州市务工 海南省海口市经商"
).split()

# Per field: mean and spread of age, share of women, education weights (postgraduate → junior), occupations.
_E = [Education.POSTGRADUATE, Education.BACHELOR, Education.COLLEGE, Education.HIGH_SCHOOL, Education.JUNIOR]
FIELD_PROFILES: dict[str, tuple[int, int, float, tuple[int, ...], list[str], float]] = {
    # field: (age mean, age sd, women, education weights, occupations, migrant share)
    OrgField.RURAL: (54, 15, 0.22, (0, 4, 10, 30, 56), ["农民"] * 6 + ["个体经营", "村干部", "外出务工"], 0.1),
    OrgField.COMMUNITY: (55, 15, 0.42, (2, 20, 25, 33, 20), ["社区工作者", "企业职工", "个体经营", "自由职业"], 0.06),
    OrgField.ORGAN: (42, 10, 0.32, (14, 62, 18, 6, 0), ["公务员"] * 4 + ["机关工作人员"], 0.0),
    OrgField.INSTITUTION: (42, 10, 0.45, (12, 55, 25, 8, 0), ["专业技术人员", "医生", "护士", "管理人员"], 0.0),
    OrgField.STATE_ENTERPRISE: (42, 10, 0.28, (6, 45, 30, 17, 2), ["职工", "企业管理人员", "专业技术人员"], 0.01),
    OrgField.PRIVATE_ENTERPRISE: (37, 9, 0.3, (2, 30, 35, 26, 7), ["职工", "企业管理人员", "专业技术人员"], 0.02),
    OrgField.SOCIAL_ORG: (41, 11, 0.4, (4, 40, 30, 20, 6), ["社会组织从业人员", "个体经营", "律师"], 0.01),
    OrgField.SCHOOL: (42, 11, 0.5, (10, 68, 18, 4, 0), ["教师"] * 5 + ["学校管理人员"], 0.0),
}


class PersonFactory:
    """Plausible members: names, ages, joining dates, education and occupation fitting the field."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.id_numbers: set[str] = set()
        self.phones: set[str] = set()
        self.phone_prefixes = PHONE_PREFIXES.split()
        # Zipf-like weights: the first surnames are far more common than the last.
        self.surname_weights = [1 / (i + 3) for i in range(len(SURNAMES))]

    def name(self, gender: str | None = None) -> tuple[str, str]:
        gender = gender or (Gender.FEMALE if self.rng.random() < 0.3 else Gender.MALE)
        chars = FEMALE_CHARS if gender == Gender.FEMALE else MALE_CHARS
        surname = self.rng.choices(SURNAMES, weights=self.surname_weights)[0]
        given = "".join(self.rng.choice(chars) for _ in range(1 if self.rng.random() < 0.3 else 2))
        return surname, given

    def id_number(self, birth: date, gender: str) -> str:
        while True:
            seq = self.rng.randrange(0, 500) * 2 + (1 if gender == Gender.MALE else 0)  # 17th digit: odd for men
            first17 = f"{self.rng.choice(REGION_CODES)}{birth:%Y%m%d}{seq:03d}"
            value = first17 + id_check_digit(first17)
            if value not in self.id_numbers:
                self.id_numbers.add(value)
                return value

    def phone(self) -> str:
        while True:
            value = f"{self.rng.choice(self.phone_prefixes)}{self.rng.randrange(10**8):08d}"
            if value not in self.phones:
                self.phones.add(value)
                return value

    def member(self, org: Organization, field: str, *, probationary: bool) -> Member:
        rng = self.rng
        mean, sd, women, edu_weights, occupations, migrant_share = FIELD_PROFILES[field or OrgField.ORGAN]
        gender = Gender.FEMALE if rng.random() < women else Gender.MALE
        if probationary:
            age = rng.randint(22, 38)
        else:
            age = min(85, max(22, round(rng.gauss(mean, sd))))
        birth = add_years(self.today, -age) - timedelta(days=rng.randrange(1, 365))
        if probationary:
            joined = self.today - timedelta(days=rng.randint(20, 360))
        else:
            # joined at 18 or later, and at least 13 months ago (a year of probation, then full membership)
            earliest = add_years(birth, 18) + timedelta(days=1)
            latest = min(add_years(birth, min(age - 1, rng.choice([30, 35, 40, 50]))), self.today - timedelta(days=400))
            joined = earliest + timedelta(days=rng.randrange(max(1, (latest - earliest).days)))
        education = rng.choices(_E, weights=edu_weights)[0]
        if age >= 70 and education in {Education.POSTGRADUATE, Education.BACHELOR} and field == OrgField.RURAL:
            education = Education.HIGH_SCHOOL
        retired = age >= (55 if gender == Gender.FEMALE else 60) and field != OrgField.RURAL
        occupation = "退休" if retired else rng.choice(occupations)
        if field == OrgField.RURAL and age >= 70:
            occupation = "农民"
        migrant = age < 58 and not retired and rng.random() < migrant_share
        surname, given = self.name(gender)
        return Member(
            organization=org,
            name=surname + given,
            gender=gender,
            ethnicity=rng.choice(ETHNICITIES),
            birth_date=birth,
            education=education,
            occupation=occupation,
            joined_on=joined,
            status=MemberStatus.PROBATIONARY if probationary else MemberStatus.FULL,
            full_member_on=None if probationary else add_years(joined, 1),
            is_migrant=migrant,
            migrant_note=rng.choice(MIGRANT_PLACES) if migrant else "",
            id_number=self.id_number(birth, gender),
            phone=self.phone(),
        )
