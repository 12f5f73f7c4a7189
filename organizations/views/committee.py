"""The committee: terms and positions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from core import pickers
from core.edits import form_submit
from organizations import access, selectors
from organizations.forms import (
    EndPositionForm,
    PositionForm,
    TermForm,
    member_label,
)
from organizations.roles import Perm
from organizations.selectors import pickers as picker_selectors
from organizations.services import committee as committee_services
from organizations.views.tree import org_page

# --- Committee: terms and positions ----------------------------------------------------------------------


@login_required
def term_create(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk, perm=Perm.EDIT_ROSTER)
    form = TermForm(request.POST or None)
    done = form_submit(
        request,
        form,
        lambda data: committee_services.term_create(actor=request.user, organization=org, **data),
        success="届次已登记,届满日期按任期规定自动计算(村、社区党组织每届5年,其他党总支、党支部每届3年)",
        then=lambda _: org_page(org),
    )
    return done or render(
        request, "organizations/form.html", {"org": org, "form": form, "title": f"登记班子届次:{org.name}"}
    )


@login_required
def position_create(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk, perm=Perm.EDIT_ROSTER)
    data, typed_in = pickers.form_data(request)  # the picker's 搜索 without JavaScript: shown again, nothing saved
    form = PositionForm(
        data,
        members=selectors.member_list_subtree(request.user, org),
        terms=selectors.terms_of(request.user, org),
        initial={"started_on": timezone.localdate(), **typed_in},
        search_url=reverse("organizations:pick_members", args=[org.pk]),
    )
    query = pickers.typed(request, "member")
    pickers.offer(
        form.fields["member"],
        picker_selectors.member_matches(request.user, org, query, limit=pickers.FIRST_OPTIONS),
        chosen=picker_selectors.members_named(request.user, org, [form["member"].value()]),
        label=member_label,
        query=query,
    )
    done = form_submit(
        request,
        form,
        lambda data: committee_services.position_assign(actor=request.user, organization=org, **data),
        success="任职已登记",
        then=lambda _: org_page(org),
    )
    return done or render(
        request, "organizations/form.html", {"org": org, "form": form, "title": f"登记班子成员:{org.name}"}
    )


@login_required
def position_end(request: HttpRequest, pk: int) -> HttpResponse:
    position = access.position_for(request.user, pk, perm=Perm.EDIT_ROSTER)
    org = position.organization
    form = EndPositionForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    done = form_submit(
        request,
        form,
        lambda data: committee_services.position_end(actor=request.user, position=position, **data),
        success="离任已登记",
        then=lambda _: org_page(org),
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
