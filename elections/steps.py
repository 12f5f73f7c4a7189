"""The 32 steps of source part 5 §五 as the default template, and the idempotent copy for a year.

Owners follow the text: "指导在县、责任在乡镇、工作在村" — a step is the village's when the village organization
acts (its committee meets, it reports), the township's when the township committee acts, the county's when the
county organization department does (analysis, comparison, joint review, training). Due offsets are days relative
to the election day; the district edits a year's copy before the projects of that year use it.
"""

from __future__ import annotations

from typing import NamedTuple

from django.db import transaction

from elections.models import DocumentKind as D
from elections.models import OwnerLevel as O
from elections.models import Phase as P
from elections.models import StepTemplate


class StepDefault(NamedTuple):
    number: int
    phase: str
    title: str
    owner: str
    documents: tuple[str, ...]
    offset: int


DEFAULT_STEPS: tuple[StepDefault, ...] = (
    StepDefault(1, P.PREPARING, "调查摸底", O.TOWNSHIP, (), -60),
    StepDefault(2, P.PREPARING, "集中整顿", O.TOWNSHIP, (), -55),
    StepDefault(3, P.PREPARING, "离任审计", O.TOWNSHIP, (D.OTHER,), -50),
    StepDefault(4, P.PREPARING, "分析研判", O.COUNTY, (), -45),
    StepDefault(5, P.LAUNCHING, "成立机构,制定方案", O.TOWNSHIP, (D.OTHER,), -42),
    StepDefault(6, P.LAUNCHING, "动员培训", O.TOWNSHIP, (), -40),
    StepDefault(7, P.LAUNCHING, "任期目标考核", O.TOWNSHIP, (D.MINUTES,), -38),
    StepDefault(8, P.LAUNCHING, "请示、分工", O.VILLAGE, (D.REQUEST, D.REPLY), -35),
    StepDefault(9, P.MOBILIZING, "宣传发动", O.VILLAGE, (), -32),
    StepDefault(10, P.MOBILIZING, "党员选举登记", O.VILLAGE, (D.OTHER,), -30),
    StepDefault(11, P.NOMINATING, "制定办法", O.TOWNSHIP, (D.OTHER,), -28),
    StepDefault(12, P.NOMINATING, "党员和群众推荐", O.VILLAGE, (D.MINUTES,), -25),
    StepDefault(13, P.NOMINATING, "乡镇党委推荐", O.TOWNSHIP, (D.MINUTES,), -23),
    StepDefault(14, P.NOMINATING, "研究比选", O.COUNTY, (), -21),
    StepDefault(15, P.NOMINATING, "资格联审", O.COUNTY, (D.OTHER,), -19),
    StepDefault(16, P.NOMINATING, "组织考察", O.VILLAGE, (D.MINUTES,), -17),
    StepDefault(17, P.NOMINATING, "确定候选人预备人选并公示", O.VILLAGE, (D.MINUTES, D.NOTICE), -15),
    StepDefault(18, P.NOMINATING, "请示批复", O.TOWNSHIP, (D.REQUEST, D.REPLY), -8),
    StepDefault(19, P.NOMINATING, "纪律承诺", O.TOWNSHIP, (D.OTHER,), -5),
    StepDefault(20, P.ELECTING, "筹备组织", O.VILLAGE, (), -3),
    StepDefault(21, P.ELECTING, "召开党员大会、作工作报告", O.VILLAGE, (), 0),
    StepDefault(22, P.ELECTING, "分组讨论,大会休会", O.VILLAGE, (), 0),
    StepDefault(23, P.ELECTING, "召开委员会议", O.VILLAGE, (D.MINUTES,), 0),
    StepDefault(24, P.ELECTING, "大会复会", O.VILLAGE, (), 0),
    StepDefault(25, P.ELECTING, "竞职演说和“四项承诺”", O.VILLAGE, (), 0),
    StepDefault(26, P.ELECTING, "投票选举", O.VILLAGE, (D.MINUTES,), 0),
    StepDefault(27, P.ELECTING, "报告批复", O.TOWNSHIP, (D.REQUEST, D.REPLY), 7),
    StepDefault(28, P.FOLLOWING_UP, "班子交接", O.TOWNSHIP, (), 15),
    StepDefault(29, P.FOLLOWING_UP, "思想疏导", O.TOWNSHIP, (), 15),
    StepDefault(30, P.FOLLOWING_UP, "材料归档", O.VILLAGE, (), 30),
    StepDefault(31, P.FOLLOWING_UP, "配套建设", O.VILLAGE, (), 90),
    StepDefault(32, P.FOLLOWING_UP, "动态调整", O.COUNTY, (), 180),
)


@transaction.atomic
def ensure_step_templates(year: int) -> list[StepTemplate]:
    """The year's 32 templates: existing rows are kept as the district edited them; missing ones are copied from
    the latest earlier year, else from the defaults. Idempotent."""
    existing = {t.number: t for t in StepTemplate.objects.filter(year=year)}
    if len(existing) < len(DEFAULT_STEPS):
        earlier = StepTemplate.objects.filter(year__lt=year).order_by("-year").values_list("year", flat=True).first()
        source = {t.number: t for t in StepTemplate.objects.filter(year=earlier)} if earlier else {}
        for d in DEFAULT_STEPS:
            if d.number in existing:
                continue
            prior = source.get(d.number)
            existing[d.number] = StepTemplate.objects.create(
                year=year,
                number=d.number,
                phase=prior.phase if prior else d.phase,
                title=prior.title if prior else d.title,
                description=prior.description if prior else "",
                owner=prior.owner if prior else d.owner,
                required_documents=list(prior.required_documents) if prior else list(d.documents),
                due_offset_days=prior.due_offset_days if prior else d.offset,
            )
    return [existing[n] for n in sorted(existing)]
