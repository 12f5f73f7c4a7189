"""The one way in to rectification's objects: each getter returns the object inside the user's scope; out of scope
answers 404 exactly like a missing object (``organizations.scope.get_visible_or_404`` on the path of the object's
organization)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from organizations.models import Organization
from organizations.scope import get_visible_or_404
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

CASE_PATH = "case__organization__path"


def case_get(user: Any, pk: Any) -> Case:
    """One case inside the user's scope; out of scope answers 404 exactly like a missing case."""
    return get_visible_or_404(Case.objects.select_related("organization"), user, path_field="organization__path", pk=pk)


def problem_get(user: Any, pk: Any) -> Problem:
    return get_visible_or_404(Problem.objects.select_related("case__organization"), user, path_field=CASE_PATH, pk=pk)


def measure_get(user: Any, pk: Any) -> Measure:
    return get_visible_or_404(
        Measure.objects.select_related("problem__case__organization"),
        user,
        path_field="problem__case__organization__path",
        pk=pk,
    )


def project_get(user: Any, pk: Any) -> Project:
    return get_visible_or_404(Project.objects.select_related("case__organization"), user, path_field=CASE_PATH, pk=pk)


def target_get(user: Any, pk: Any) -> DevelopmentTarget:
    return get_visible_or_404(
        DevelopmentTarget.objects.select_related("case__organization"), user, path_field=CASE_PATH, pk=pk
    )


def workgroup_member_get(user: Any, pk: Any) -> WorkGroupMember:
    return get_visible_or_404(
        WorkGroupMember.objects.select_related("case__organization"), user, path_field=CASE_PATH, pk=pk
    )


def evidence_get(user: Any, pk: Any) -> Evidence:
    return get_visible_or_404(Evidence.objects.select_related("case__organization"), user, path_field=CASE_PATH, pk=pk)


def acceptance_get(user: Any, pk: Any) -> Acceptance:
    return get_visible_or_404(
        Acceptance.objects.select_related("case__organization", "decided_by").prefetch_related("issues"),
        user,
        path_field=CASE_PATH,
        pk=pk,
    )


def liaison_get(user: Any, pk: Any) -> Liaison:
    return get_visible_or_404(
        Liaison.objects.select_related("organization"), user, path_field="organization__path", pk=pk
    )


def township_get(user: Any, pk: Any) -> Organization:
    """A township-level committee in scope (anything else, or out of scope: 404)."""
    org = get_visible_or_404(Organization.objects.all(), user, path_field="path", pk=pk)
    if org.depth != 2:
        raise Http404("对象不存在或不在您的管辖范围内")
    return org
