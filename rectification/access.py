"""The one way in to rectification's objects, and the actions a user may take on them.

``<thing>_for(user, pk, *, perm)`` returns the object inside the user's scope or raises: out of scope (or missing)
answers 404 exactly like a missing object (``organizations.scope.get_visible_or_404`` on the path of the object's
organization); visible but ``perm`` not held on that organization answers 403. Every view and every selector that
starts from an id goes through here. The ``may_*`` and ``*_actions`` helpers tell a page which buttons are live, so
it shows no dead ones; the services check the same permissions again when they write.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from grading.rules.grades import Category
from organizations.access import organization_for as organization_in_scope
from organizations.models import Organization
from organizations.roles import Perm
from organizations.scope import can, get_visible_or_404, require, scope_paths
from rectification.models import (
    Acceptance,
    Case,
    DevelopmentTarget,
    Evidence,
    Liaison,
    Measure,
    Problem,
    Project,
    WorkGroupMember,
)
from rectification.rules.cases import CASE_CATEGORIES, LIAISON_CATEGORIES, Phase

CASE_PATH = "case__organization__path"
VIEW = Perm.VIEW_RECORDS
NOT_FOUND = "对象不存在或不在您的管辖范围内"

# Who may make each move by hand (moves out of 检查验收 carry the acceptance's own permission).
MOVE_PERMS: dict[tuple[Phase, Phase], Perm] = {
    (Phase.FINDING_PROBLEMS, Phase.RECTIFYING): Perm.MANAGE_CASES,
    (Phase.RECTIFYING, Phase.ACCEPTING): Perm.MANAGE_CASES,
}

# Who accepts: a 软弱涣散 case is inspected by the organization department (part 4 §四(三); here the district), a
# 后进 case is assessed by the township committee (part 2 §六(二): "基层党组织自评、党员群众测评、乡党委评定").
ACCEPTANCE_PERMS: dict[str, Perm] = {Category.WEAK: Perm.SUPERVISE, Category.LAGGING: Perm.MANAGE_CASES}


def _get(queryset: Any, user: Any, pk: Any, perm: Perm, *, path: str = CASE_PATH, org: Any = None) -> Any:
    """The object of ``queryset`` with ``pk`` in the user's scope (404), with ``perm`` held on its organization
    (403). ``org``: how to reach the organization from the object (default: through its case)."""
    obj = get_visible_or_404(queryset, user, path_field=path, pk=pk)
    require(user, perm, org(obj) if org is not None else obj.case.organization)
    return obj


# --- Objects -----------------------------------------------------------------------------------------------------


def organization_for(user: Any, pk: Any, *, perm: Perm = VIEW) -> Organization:
    """An organization in scope whose page may be seen, and on which ``perm`` is held (403 otherwise)."""
    return organization_in_scope(user, pk, perm=perm)


def township_for(user: Any, pk: Any, *, perm: Perm = VIEW) -> Organization:
    """A township-level committee in scope (anything else, or out of scope: 404)."""
    org = get_visible_or_404(Organization.objects.all(), user, path_field="path", pk=pk)
    if org.depth != 2:
        raise Http404(NOT_FOUND)
    require(user, perm, org)
    return org


def case_for(user: Any, pk: Any, *, perm: Perm = VIEW) -> Case:
    """One case inside the user's scope; out of scope answers 404 exactly like a missing case."""
    return _get(
        Case.objects.select_related("organization"),
        user,
        pk,
        perm,
        path="organization__path",
        org=lambda c: c.organization,
    )


def problem_for(user: Any, pk: Any, *, perm: Perm = VIEW) -> Problem:
    return _get(Problem.objects.select_related("case__organization"), user, pk, perm)


def measure_for(user: Any, pk: Any, *, perm: Perm = VIEW) -> Measure:
    qs = Measure.objects.select_related("problem__case__organization")
    return _get(qs, user, pk, perm, path="problem__case__organization__path", org=lambda m: m.problem.case.organization)


def project_for(user: Any, pk: Any, *, perm: Perm = VIEW) -> Project:
    return _get(Project.objects.select_related("case__organization"), user, pk, perm)


def target_for(user: Any, pk: Any, *, perm: Perm = VIEW) -> DevelopmentTarget:
    return _get(DevelopmentTarget.objects.select_related("case__organization"), user, pk, perm)


def workgroup_member_for(user: Any, pk: Any, *, perm: Perm = VIEW) -> WorkGroupMember:
    return _get(WorkGroupMember.objects.select_related("case__organization"), user, pk, perm)


def evidence_for(user: Any, pk: Any, *, perm: Perm = VIEW) -> Evidence:
    return _get(Evidence.objects.select_related("case__organization"), user, pk, perm)


def acceptance_for(user: Any, pk: Any, *, perm: Perm = VIEW) -> Acceptance:
    qs = Acceptance.objects.select_related("case__organization", "decided_by").prefetch_related("issues")
    return _get(qs, user, pk, perm)


def liaison_for(user: Any, pk: Any, *, perm: Perm = VIEW) -> Liaison:
    qs = Liaison.objects.select_related("organization")
    return _get(qs, user, pk, perm, path="organization__path", org=lambda x: x.organization)


def case_to_accept(user: Any, pk: Any) -> Case:
    """A case this user may accept (检查验收): the district for 软弱涣散, the township for 后进."""
    case = case_for(user, pk)
    if not may_accept(user, case):
        raise PermissionDenied(f"您没有权限对{case.organization.name}的整顿进行检查验收")
    return case


def case_to_supervise(user: Any, pk: Any) -> Case:
    """A case this user may record a supervision visit on (督查): the district or the township."""
    case = case_for(user, pk)
    if not may_supervise(user, case.organization):
        raise PermissionDenied(f"您没有权限对{case.organization.name}进行督查")
    return case


def case_to_report_yearend(user: Any, pk: Any) -> Case:
    """A case whose year-end written report this user may file: the township committee (REQUEST_REGRADE)."""
    case = case_for(user, pk)
    if not may_report_yearend(user, case):
        raise PermissionDenied("整顿不力书面报告由乡镇(街道)党(工)委报送")
    return case


def district_root_for(user: Any, message: str = "全区文书仅供区委组织部导出") -> Organization:
    """The district (the tree's root) for a user who supervises it; anyone else: 403 with ``message``."""
    root = Organization.objects.filter(depth=1).order_by("path").first()
    if root is None or not can(user, Perm.SUPERVISE, root):
        raise PermissionDenied(message)
    return root


def require_supervision(user: Any, message: str) -> None:
    """403 with ``message`` unless the user supervises somewhere (the district's pages)."""
    if not supervises(user):
        raise PermissionDenied(message)


def require_management(user: Any, message: str) -> None:
    """403 with ``message`` unless the user manages cases or supervises somewhere (the categories page)."""
    if not (manages_cases(user) or supervises(user)):
        raise PermissionDenied(message)


def require_on(actor: Any, perm: Perm, org: Organization, what: str) -> None:
    """The services' check: 403 naming the organization and the act when ``perm`` is not held there."""
    if not can(actor, perm, org):
        raise PermissionDenied(f"您没有权限在{org.name}{what}")


# --- Which actions are live --------------------------------------------------------------------------------------


def manages_cases(user: Any) -> bool:
    return bool(scope_paths(user, Perm.MANAGE_CASES))


def supervises(user: Any) -> bool:
    return bool(scope_paths(user, Perm.SUPERVISE))


def may_accept(user: Any, case: Case) -> bool:
    return can(user, ACCEPTANCE_PERMS.get(case.category, Perm.SUPERVISE), case.organization)


def may_supervise(user: Any, org: Organization) -> bool:
    return can(user, Perm.SUPERVISE, org) or can(user, Perm.MANAGE_CASES, org)


def may_report_yearend(user: Any, case: Case) -> bool:
    return can(user, Perm.REQUEST_REGRADE, case.organization)


def may_report(user: Any, case: Case) -> bool:
    return case.is_open and can(user, Perm.REPORT_PROGRESS, case.organization)


def allowed_moves(user: Any, case: Case) -> list[Phase]:
    """The phases this user may move the case to by hand now (for buttons: no dead buttons)."""
    return [
        target
        for (source, target), perm in MOVE_PERMS.items()
        if source == case.phase and can(user, perm, case.organization)
    ]


def case_actions(user: Any, case: Case) -> dict[str, bool]:
    """The buttons of the case page."""
    org = case.organization
    is_open = case.is_open
    return {
        "may_manage": is_open and can(user, Perm.MANAGE_CASES, org),
        "may_report": is_open and can(user, Perm.REPORT_PROGRESS, org),
        "may_accept": case.phase == Phase.ACCEPTING and may_accept(user, case),
        "may_supervise": is_open and may_supervise(user, org),
        "may_export": can(user, Perm.VIEW_RECORDS, org),
        "may_report_yearend": may_report_yearend(user, case),
    }


def org_actions(user: Any, org: Organization, category: Category | None, open_case: Case | None) -> dict[str, bool]:
    """The buttons of one organization's management page, by its current category and open case."""
    may_manage = can(user, Perm.MANAGE_CASES, org)
    may_supervise_here = can(user, Perm.SUPERVISE, org)
    return {
        "may_open": may_manage and category in CASE_CATEGORIES and open_case is None,
        "may_liaison": may_manage and category in LIAISON_CATEGORIES,
        "may_pair": may_manage and category == Category.LAGGING,
        "may_help": may_manage and category == Category.CATCH_UP,
        "may_manage": may_manage,
        "may_set_category": may_supervise_here,
        "may_showcase": may_supervise_here and category == Category.RED_FLAG,
        "may_accept": open_case is not None and may_accept(user, open_case),
    }


def may_manage_at(user: Any, org: Organization) -> bool:
    return can(user, Perm.MANAGE_CASES, org)
