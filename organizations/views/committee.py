"""The committee: terms and positions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from organizations import selectors
from organizations.forms import (
    EndPositionForm,
    PositionForm,
    TermForm,
)
from organizations.models import CommitteeTerm, Organization, Position
from organizations.roles import Perm
from organizations.scope import can, get_visible_or_404
from organizations.services import committee as committee_services
from partybuild.edits import add_service_errors, form_submit


def _form_error(form: Any, exc: ValidationError) -> None:
    add_service_errors(form, exc)


def _member_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The member's own fields of MemberForm's data (without the version the page was loaded with)."""
    return {k: v for k, v in data.items() if k != "expected_updated_at"}


def _perms(user: Any, org: Organization) -> dict[str, bool]:
    """Which actions the page offers (no dead buttons: only what the user may do)."""
    return {p.name.lower(): can(user, p, org) for p in Perm}


def _org_url(org: Organization) -> Any:
    return redirect("organizations:org_detail", pk=org.pk)


# --- Committee: terms and positions ----------------------------------------------------------------------


@login_required
def term_create(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get(request.user, pk, perm=Perm.EDIT_ROSTER)
    form = TermForm(request.POST or None)
    done = form_submit(
        request,
        form,
        lambda data: committee_services.term_create(actor=request.user, organization=org, **data),
        success="届次已登记,届满日期按任期规定自动计算(村、社区党组织每届5年,其他党总支、党支部每届3年)",
        then=lambda _: _org_url(org),
    )
    return done or render(
        request, "organizations/form.html", {"org": org, "form": form, "title": f"登记班子届次:{org.name}"}
    )


@login_required
def position_create(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get(request.user, pk, perm=Perm.EDIT_ROSTER)
    form = PositionForm(
        request.POST or None,
        members=selectors.member_list_subtree(request.user, org).order_by("name"),
        terms=CommitteeTerm.objects.filter(organization=org),
        initial={"started_on": timezone.localdate()},
    )
    done = form_submit(
        request,
        form,
        lambda data: committee_services.position_assign(actor=request.user, organization=org, **data),
        success="任职已登记",
        then=lambda _: _org_url(org),
    )
    return done or render(
        request, "organizations/form.html", {"org": org, "form": form, "title": f"登记班子成员:{org.name}"}
    )


@login_required
def position_end(request: HttpRequest, pk: int) -> HttpResponse:
    position = get_visible_or_404(
        Position.objects.select_related("organization", "member"), request.user, path_field="organization__path", pk=pk
    )
    org = selectors.organization_get(request.user, position.organization_id, perm=Perm.EDIT_ROSTER)
    form = EndPositionForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    done = form_submit(
        request,
        form,
        lambda data: committee_services.position_end(actor=request.user, position=position, **data),
        success="离任已登记",
        then=lambda _: _org_url(org),
    )
    return done or render(
        request,
        "organizations/form.html",
        {
            "org": org,
            "form": form,
            "title": f"{position.member.name}离任{position.get_post_display()}",
            "confirm": "确定登记离任吗?",
        },
    )
