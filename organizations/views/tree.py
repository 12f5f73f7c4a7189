"""One organization's page and the changes to its place in the tree."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core import pickers
from core.edits import form_submit
from organizations import access, selectors
from organizations.forms import MoveMembersForm, OrganizationForm, organization_label
from organizations.models import Organization
from organizations.panels import panels_for
from organizations.roles import Perm
from organizations.rules import setup_findings
from organizations.selectors import pickers as picker_selectors
from organizations.selectors import reorganization
from organizations.services import tree as tree_services
from organizations.todo import todo_panel


def org_page(org: Organization) -> Any:
    """The redirect back to an organization's page after a change made from it."""
    return redirect("organizations:org_detail", pk=org.pk)


# --- One organization ------------------------------------------------------------------------------------


@login_required
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get_with_counts(request.user, pk)
    facts = selectors.facts_of(request.user, org)
    requests = reorganization.reorganizations_of(request.user, org)
    return render(
        request,
        "organizations/org_detail.html",
        {
            "org": org,
            "ancestors": selectors.visible_ancestors(request.user, org),
            "facts": facts,
            "findings": setup_findings(facts),
            "children": selectors.children_of(request.user, org),
            "positions": selectors.positions_of(request.user, org, current_only=True),
            "past_positions": selectors.past_positions_of(request.user, org),
            "terms": selectors.terms_of(request.user, org),
            "history": selectors.history_of(request.user, org),
            "transfers": selectors.transfers_of(request.user, org),
            "events": selectors.events_of_org(request.user, org, limit=30),
            "perms": access.actions_for(request.user, org),
            "can_move_members": selectors.members_movable(request.user, org, facts),
            "today": timezone.localdate(),
            "panels": panels_for(request.user, org),
            "reorganizations": requests,
            "may_reorganize": reorganization.may_start(request.user, org, requests),
            "todo": todo_panel(request.user) if selectors.is_home_of(request.user, "organization", org) else None,
        },
    )


@login_required
def org_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk, perm=Perm.RESTRUCTURE)
    # The form edits its own copy: the page's title keeps the stored name while the typed one is refused.
    form = OrganizationForm(request.POST or None, instance=access.organization_for(request.user, pk))
    done = form_submit(
        request,
        form,
        lambda data: tree_services.organization_update(actor=request.user, organization=org, **data),
        success="组织信息已保存",
        then=lambda _: org_page(org),
    )
    return done or render(
        request, "organizations/form.html", {"org": org, "form": form, "title": f"修改组织信息:{org.name}"}
    )


@login_required
def members_move(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk, perm=Perm.EDIT_ROSTER)
    members = selectors.member_list(request.user, organization=org).order_by("name")
    data, typed_in = pickers.form_data(request)  # the picker's 搜索 without JavaScript: shown again, nothing saved
    form = MoveMembersForm(
        data,
        members=members,
        targets=selectors.move_targets(request.user, org),
        initial={"moved_on": timezone.localdate(), **typed_in},
        search_url=reverse("organizations:pick_targets", args=[org.pk]),
    )
    query = pickers.typed(request, "to_org")
    pickers.offer(
        form.fields["to_org"],
        picker_selectors.target_matches(request.user, org, query, limit=pickers.FIRST_OPTIONS),
        chosen=picker_selectors.targets_named(request.user, org, [form["to_org"].value()]),
        label=organization_label,
        query=query,
    )
    done = form_submit(
        request,
        form,
        lambda d: tree_services.members_move(
            actor=request.user, members=d["members"], to_org=d["to_org"], moved_on=d["moved_on"], reason=d["reason"]
        ),
        success=lambda moved: f"已将{moved}名党员调整到{form.cleaned_data['to_org'].name}",
        then=lambda _: org_page(org),
    )
    return done or render(
        request,
        "organizations/form.html",
        {
            "org": org,
            "form": form,
            "title": f"调整党员组织关系:{org.name}",
            "confirm": "确定调整所选党员的组织关系吗?调整记录将永久保留。",
        },
    )
