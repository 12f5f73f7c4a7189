"""Members: the roster of an organization and one member's record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.edits import form_submit
from core.paging import count_or_estimate, keyset_page
from organizations import access, selectors
from organizations.forms import (
    MemberForm,
)
from organizations.panels import member_panels_for
from organizations.roles import Perm
from organizations.services import member_accounts
from organizations.services import members as members_services

# --- Members ---------------------------------------------------------------------------------------------

MEMBER_ORDER = ("organization__path", "name", "pk")  # tree order, then by name; pk makes it total


@login_required
def member_list(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk)
    subtree = request.GET.get("subtree") == "1"
    q = request.GET.get("q", "").strip()
    qs = (
        selectors.member_list_subtree(request.user, org, name=q)
        if subtree
        else selectors.member_list(request.user, organization=org, name=q)
    )
    # Keyset pages and an estimated count: page 2,000 of a district costs what page 1 does (issue 15 §3).
    page = keyset_page(qs, order=MEMBER_ORDER, after=request.GET.get("after"), before=request.GET.get("before"))
    return render(
        request,
        "organizations/member_list.html",
        {
            "org": org,
            "page": page,
            "total": count_or_estimate(qs),
            "q": q,
            "subtree": subtree,
            "perms": access.actions_for(request.user, org),
            "show_personal": access.may_see_personal_data(request.user, org),
        },
    )


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.member_for(request.user, pk)
    return render(
        request,
        "organizations/member_detail.html",
        {
            "member": member,
            "org": member.organization,
            "show_personal": access.may_see_personal_data(request.user, member.organization),
            "perms": access.actions_for(request.user, member.organization),
            "transfers": selectors.member_transfers(request.user, member),
            "positions": selectors.member_positions(request.user, member),
            "events": selectors.events_of_member(request.user, member),
            "panels": member_panels_for(request.user, member),
        },
    )


@login_required
def member_create(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk, perm=Perm.EDIT_ROSTER)
    form = MemberForm(request.POST or None)
    done = form_submit(
        request,
        form,
        lambda d: members_services.member_create(actor=request.user, organization=org, **d),
        success=lambda member: f"已新增党员{member.name}",
        then=lambda member: redirect("organizations:member_detail", pk=member.pk),
    )
    return done or render(
        request, "organizations/form.html", {"org": org, "form": form, "title": f"新增党员:{org.name}"}
    )


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.member_for(request.user, pk, perm=Perm.EDIT_ROSTER)
    form = MemberForm(
        request.POST or None,
        # The form edits its own copy: the page's title keeps the stored name while the typed one is refused.
        instance=access.member_for(request.user, pk),
    )
    done = form_submit(
        request,
        form,
        lambda d: members_services.member_update(actor=request.user, member=member, **d),
        success="党员信息已保存",
        then=lambda _: redirect("organizations:member_detail", pk=member.pk),
    )
    return done or render(
        request,
        "organizations/form.html",
        {
            "org": member.organization,
            "form": form,
            "title": f"修改党员信息:{member.name}",
        },
    )


@login_required
@require_POST
def member_account(request: HttpRequest, pk: int) -> HttpResponse:
    """开通 or 停用 the member's own account; the initial password is shown once, on the page this POST answers."""
    member = access.member_for(request.user, pk, perm=Perm.EDIT_ROSTER)
    try:
        if request.POST.get("action") == "disable":
            member_accounts.member_account_disable(actor=request.user, member=member)
            messages.success(request, f"已停用{member.name}的党员账号")
            return redirect("organizations:member_detail", pk=member.pk)
        account, password = member_accounts.member_account_create(actor=request.user, member=member)
    except ValidationError as error:
        messages.error(request, ";".join(error.messages))
        return redirect("organizations:member_detail", pk=member.pk)
    return render(
        request,
        "organizations/member_account.html",
        {"member": member, "org": member.organization, "username": account.username, "password": password},
    )
