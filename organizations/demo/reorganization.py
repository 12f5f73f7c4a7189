"""The demo's reorganizations (组织设置调整, 第三篇 五), through the workflow's own services: 洞村党支部 (79
members, the pilot of 第三篇) has sent its 请示 to the township and waits for the 批复; a village 党总支 of a
structured township has done one (plan, comments, 请示, 批复, members' meeting, a party group set up)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from organizations.demo.plan import SEED_VILLAGE_CODE
from organizations.models import Organization, OrgField, OrgKind, RoleAssignment
from organizations.models.reorganization import ReorgKind
from organizations.roles import Role
from organizations.services import reorganization as svc
from organizations.services.reorganization import Action

PILOT_PLAN = (
    "村党支部共有党员79名,已经达到成立党总支的条件,拟将村党支部升格为党总支。"
    "在党总支下设立松脂协会党支部、蚕桑协会党支部、八寨沟旅游景区党支部、八寨沟民族村党支部、林化厂党支部和村联合党支部;"
    "行业协会、景区、民族新村等党支部的书记原则上兼任党总支副书记或委员。"
)
PILOT_UNITS = "松脂协会党支部\n蚕桑协会党支部\n八寨沟旅游景区党支部\n八寨沟民族村党支部\n林化厂党支部\n村联合党支部"


def _holder(org: Organization, role: Role) -> Any:
    """The demo account holding ``role`` at ``org`` or above it (the township's staff for a village)."""
    paths = [org.path[:i] for i in range(Organization.steplen, len(org.path) + 1, Organization.steplen)]
    grant = (
        RoleAssignment.objects.filter(role=role, organization__path__in=paths, revoked_at__isnull=True)
        .order_by("-organization__depth")
        .select_related("user")
        .first()
    )
    return grant.user if grant is not None else get_user_model().objects.filter(is_superuser=True).first()


def build_reorganizations(root: Organization) -> int:
    """Both demo requests; returns how many were made (0 when the tree lacks the organizations)."""
    today = timezone.localdate()
    made = 0
    pilot = Organization.objects.filter(path__startswith=root.path, code=SEED_VILLAGE_CODE).first()
    if pilot is not None:
        secretary = _holder(pilot, Role.BRANCH_SECRETARY)
        reorg = svc.reorganization_start(
            actor=secretary,
            organization=pilot,
            kind=ReorgKind.UPGRADE,
            new_kind=OrgKind.GENERAL_BRANCH,
            new_name="洞村党总支",
            units_planned=PILOT_UNITS,
            plan=PILOT_PLAN,
        )
        reorg = svc.reorganization_move(
            actor=secretary, reorganization=reorg, action=Action.CONSULT, started_on=today - timedelta(days=20)
        )
        for who, text in (
            ("松脂协会", "协会党员同意单独成立党支部,请考虑活动场所"),
            ("八寨沟景区管理处", "景区党员流动性大,建议按季度集中活动"),
        ):
            svc.reorganization_comment_add(
                actor=secretary,
                reorganization=reorg,
                author_name=who,
                content=text,
                received_on=today - timedelta(days=15),
            )
        total, _ = svc.members_of(pilot)
        svc.reorganization_move(
            actor=secretary,
            reorganization=reorg,
            action=Action.REQUEST,
            members_consulted=total,
            number=f"洞支〔{today.year}〕1号",
            on=today - timedelta(days=5),
        )
        made += 1
    general = (
        Organization.objects.filter(
            path__startswith=root.path, kind=OrgKind.GENERAL_BRANCH, field=OrgField.RURAL, dissolved_on__isnull=True
        )
        .order_by("path")
        .first()
    )
    if general is not None:
        made += _done(general, today)
    return made


def _done(general: Organization, today: Any) -> int:
    township = _holder(general, Role.TOWNSHIP_STAFF)
    prefix = general.name.removesuffix("党总支")
    reorg = svc.reorganization_start(
        actor=township,
        organization=general,
        kind=ReorgKind.SUB_UNITS,
        units_planned=f"{prefix}离退休党员党小组",
        plan="离退休党员居住集中、行动不便,在党总支下设立党小组,就近开展组织生活。",
    )
    step = {"actor": township, "reorganization": reorg}
    svc.reorganization_move(**step, action=Action.CONSULT, started_on=today - timedelta(days=90))
    total, _ = svc.members_of(general)
    svc.reorganization_move(
        **step,
        action=Action.REQUEST,
        members_consulted=total,
        number=f"总支〔{today.year}〕2号",
        on=today - timedelta(days=75),
    )
    svc.reorganization_move(
        **step, action=Action.APPROVE, number=f"镇党委〔{today.year}〕12号", on=today - timedelta(days=70), note=""
    )
    present = max(total - 3, 1)
    svc.reorganization_move(
        **step, action=Action.MEET, on=today - timedelta(days=65), due=total, present=present, note="宣读批复和设置方案"
    )
    svc.reorganization_move(**step, action=Action.IMPLEMENT, effective_on=today - timedelta(days=60))
    svc.reorganization_unit_add(
        **step,
        code=f"{general.code}-G1",
        name=f"{prefix}离退休党员党小组",
        kind=OrgKind.PARTY_GROUP,
        members=[],
        effective_on=today - timedelta(days=60),
    )
    svc.reorganization_move(**step, action=Action.FINISH)
    return 1
