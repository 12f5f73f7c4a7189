"""Writes on categories and the management that follows them: the category itself (from a grade or by hand),
showcases, liaisons, pairings and helpers (source part 1 §三(二)1–3).

Every write checks the actor's permission on the organization, runs in a transaction and leaves an audit event.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core import audit
from grading.rules.grades import Category
from organizations.models import Organization
from organizations.roles import Perm, Role
from rectification.access import require_on
from rectification.models import (
    CategoryAssignment,
    CategorySource,
    Helper,
    Liaison,
    LiaisonKind,
    Pairing,
    Showcase,
)
from rectification.rules.cases import LIAISON_CATEGORIES


def current_assignment(org: Organization) -> CategoryAssignment | None:
    """The organization's current category: the latest row (history is never overwritten)."""
    return CategoryAssignment.objects.filter(organization=org).order_by("-year", "-created_at", "-pk").first()


def current_category(org: Organization) -> Category | None:
    row = current_assignment(org)
    return Category(row.category) if row is not None else None


def _require_category(org: Organization, allowed: frozenset[Category] | set[Category], what: str) -> Category:
    category = current_category(org)
    if category not in allowed:
        shown = category.label if category else "尚未分类"
        wanted = "、".join(c.label for c in Category if c in allowed)
        raise ValidationError(f"{org.name}当前类别为“{shown}”,{what}只适用于{wanted}")
    return category


def category_assign(
    *,
    actor: Any,
    organization: Organization,
    year: int,
    category: Category | str,
    source: CategorySource | str,
    since: date,
    reason: str = "",
    grade: str = "",
    assessment: Any = None,
    finalized_at: datetime | None = None,
) -> CategoryAssignment | None:
    """Record the category when it changes (a new row); None when it is already the current one. Internal: the
    callers (the grade subscriber, ``rectification.services.cases.category_set_by_hand``) have checked who may do it."""
    category = Category(category)
    current = current_assignment(organization)
    if current is not None and current.category == category:
        return None
    row = CategoryAssignment.objects.create(
        organization=organization,
        year=year,
        category=category,
        since=since,
        source=source,
        source_assessment=assessment,
        source_finalized_at=finalized_at,
        grade=grade,
        set_by=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason,
    )
    audit.record(
        actor=actor,
        verb="rectification.category_set",
        summary=f"{organization.name}确定为“{category.label}”" + (f"。{reason}" if reason else ""),
        target=row,
        org_path=organization.path,
        before={"category": current.category if current else ""},
        after={"category": category.value, "year": year, "source": str(source)},
    )
    return row


@transaction.atomic
def showcase_designate(*, actor: Any, organization: Organization, year: int, note: str = "") -> Showcase:
    """Part 1 §三(二)1: the district names particularly good 红旗支部 as showcases (示范点)."""
    require_on(actor, Perm.SUPERVISE, organization, "确定示范点")
    _require_category(organization, {Category.RED_FLAG}, "确定党建示范点")
    if Showcase.objects.filter(organization=organization, year=year).exists():
        raise ValidationError(f"{organization.name}已是{year}年度党建示范点")
    showcase = Showcase.objects.create(organization=organization, year=year, designated_by=actor, note=note.strip())
    audit.record(
        actor=actor,
        verb="rectification.showcase_designate",
        summary=f"确定{organization.name}为{year}年度全区党建示范点",
        target=showcase,
        org_path=organization.path,
        after={"year": year},
    )
    return showcase


@transaction.atomic
def liaison_assign(
    *,
    actor: Any,
    organization: Organization,
    person_name: str,
    kind: LiaisonKind | str,
    duties: str,
    since: date,
    position: str = "",
    user: Any = None,
) -> Liaison:
    """Part 1 §三(二)3: a leading cadre and an organ cadre 挂点联系包干 a 后进支部, with their duties. A liaison with
    an account gets the liaison_leader role at the organization (they see it and may report progress)."""
    require_on(actor, Perm.MANAGE_CASES, organization, "指定挂点联系干部")
    _require_category(organization, LIAISON_CATEGORIES, "挂点联系包干")
    if not person_name.strip() or not duties.strip():
        raise ValidationError("请填写挂点联系干部姓名和包干责任")
    liaison = Liaison(
        organization=organization,
        person_name=person_name.strip(),
        position=position.strip(),
        kind=LiaisonKind(kind),
        duties=duties.strip(),
        since=since,
        user=user,
        assigned_by=actor,
    )
    liaison.full_clean()
    liaison.save()
    if user is not None:
        from organizations.services.grants import role_grant

        # The assignment is the authority (the township may assign liaisons); the grant itself is the system's.
        role_grant(actor=None, user=user, organization=organization, role=Role.LIAISON_LEADER)
    audit.record(
        actor=actor,
        verb="rectification.liaison_assign",
        summary=f"指定{liaison.person_name}({liaison.get_kind_display()})挂点联系{organization.name}",
        target=liaison,
        org_path=organization.path,
        after={"person_name": liaison.person_name, "kind": liaison.kind, "duties": liaison.duties},
    )
    return liaison


@transaction.atomic
def liaison_end(*, actor: Any, liaison: Liaison, until: date) -> Liaison:
    """End a liaison's duty; their role at the organization goes with it unless another duty there continues."""
    locked = Liaison.objects.select_for_update().select_related("organization").get(pk=liaison.pk)
    require_on(actor, Perm.MANAGE_CASES, locked.organization, "调整挂点联系干部")
    if locked.until is not None:
        return locked
    if until < locked.since:
        raise ValidationError("结束日期不能早于开始日期")
    locked.until = until
    locked.save(update_fields=["until"])
    if locked.user_id is not None:
        others = Liaison.objects.filter(
            organization=locked.organization, user_id=locked.user_id, until__isnull=True
        ).exclude(pk=locked.pk)
        if not others.exists():
            from organizations.models import RoleAssignment
            from organizations.services.grants import role_revoke

            for assignment in RoleAssignment.objects.filter(
                user_id=locked.user_id,
                organization=locked.organization,
                role=Role.LIAISON_LEADER,
                revoked_at__isnull=True,
            ):
                role_revoke(actor=None, assignment=assignment)
    audit.record(
        actor=actor,
        verb="rectification.liaison_end",
        summary=f"{locked.person_name}结束挂点联系{locked.organization.name}",
        target=locked,
        org_path=locked.organization.path,
        after={"until": until.isoformat()},
    )
    return locked


@transaction.atomic
def pairing_create(
    *, actor: Any, lagging: Organization, red_flag: Organization, since: date, note: str = ""
) -> Pairing:
    """Part 1 §三(二)3: a 后进支部 paired with a 红旗支部 (结对共建、示范引路).

    The partner may be in another township: the permission is on the lagging organization.
    """
    require_on(actor, Perm.MANAGE_CASES, lagging, "安排结对共建")
    _require_category(lagging, {Category.LAGGING}, "结对共建")
    if current_category(red_flag) != Category.RED_FLAG:
        raise ValidationError(f"结对对象{red_flag.name}不是红旗支部,只能与红旗支部结对共建")
    if lagging.pk == red_flag.pk:
        raise ValidationError("不能与本组织结对")
    if Pairing.objects.filter(lagging=lagging, red_flag=red_flag, until__isnull=True).exists():
        raise ValidationError(f"{lagging.name}已与{red_flag.name}结对")
    pairing = Pairing.objects.create(
        lagging=lagging, red_flag=red_flag, since=since, note=note.strip(), created_by=actor
    )
    audit.record(
        actor=actor,
        verb="rectification.pairing_create",
        summary=f"{lagging.name}与红旗支部{red_flag.name}结对共建",
        target=pairing,
        org_path=lagging.path,
        after={"red_flag": red_flag.name, "since": since.isoformat()},
    )
    return pairing


@transaction.atomic
def helper_assign(
    *, actor: Any, organization: Organization, person_name: str, since: date, position: str = "", duties: str = ""
) -> Helper:
    """Part 1 §三(二)2: a named person guides a 赶超支部."""
    require_on(actor, Perm.MANAGE_CASES, organization, "指定帮扶人")
    _require_category(organization, {Category.CATCH_UP}, "指定专人帮扶")
    if not person_name.strip():
        raise ValidationError("请填写帮扶人姓名")
    helper = Helper.objects.create(
        organization=organization,
        person_name=person_name.strip(),
        position=position.strip(),
        duties=duties.strip(),
        since=since,
        assigned_by=actor,
    )
    audit.record(
        actor=actor,
        verb="rectification.helper_assign",
        summary=f"指定{helper.person_name}帮扶赶超支部{organization.name}",
        target=helper,
        org_path=organization.path,
        after={"person_name": helper.person_name},
    )
    return helper
