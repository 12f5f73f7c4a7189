"""Category by hand (with a reason), showcases, liaisons, pairings and helpers of one organization."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from grading.rules import Category
from organizations.roles import Perm
from organizations.scope import require
from organizations.selectors import organization_get
from rectification import access
from rectification.forms import CategoryForm, HelperForm, LiaisonEndForm, LiaisonForm, PairingForm, ShowcaseForm
from rectification.selectors import management as management_selectors
from rectification.services import cases as case_services
from rectification.services import categories as category_services
from rectification.views.common import form_page, refuse, run_service


def _org_url(org_pk: int) -> str:
    return reverse("rectification:org_page", args=[org_pk])


@login_required
def category_set(request: HttpRequest, pk: int) -> HttpResponse:
    org = organization_get(request.user, pk)
    require(request.user, Perm.SUPERVISE, org)
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: (
                case_services.category_set_by_hand(
                    actor=request.user,
                    organization=org,
                    year=d["year"],
                    category=d["category"],
                    reason=d["reason"],
                    since=d["since"],
                )
                or True
            ),
        )
        if done is not None:
            messages.success(request, f"已认定{org.name}为“{Category(d['category']).label}”")
            return redirect(_org_url(org.pk))
    return form_page(
        request,
        title=f"{org.name}:认定分类",
        form=form,
        org=org,
        back=_org_url(org.pk),
        intro="尚无最终等次时,区委组织部可以认定分类并写明理由;认定为软弱涣散的自动整顿立案。",
    )


@login_required
def showcase(request: HttpRequest, pk: int) -> HttpResponse:
    org = organization_get(request.user, pk)
    require(request.user, Perm.SUPERVISE, org)
    form = ShowcaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: category_services.showcase_designate(
                actor=request.user, organization=org, year=d["year"], note=d["note"]
            ),
        )
        if done is not None:
            messages.success(request, f"已确定{org.name}为{d['year']}年度全区党建示范点")
            return redirect(_org_url(org.pk))
    return form_page(request, title=f"{org.name}:确定党建示范点", form=form, org=org, back=_org_url(org.pk))


@login_required
def liaison_add(request: HttpRequest, pk: int) -> HttpResponse:
    org = organization_get(request.user, pk)
    require(request.user, Perm.MANAGE_CASES, org)
    form = LiaisonForm(request.POST or None, candidates=management_selectors.liaison_candidates(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        liaison = run_service(
            form,
            lambda: category_services.liaison_assign(
                actor=request.user,
                organization=org,
                person_name=d["person_name"],
                kind=d["kind"],
                duties=d["duties"],
                since=d["since"],
                position=d["position"],
                user=d["username"],
            ),
        )
        if liaison is not None:
            messages.success(request, f"已指定{liaison.person_name}挂点联系{org.name}")
            return redirect(_org_url(org.pk))
    return form_page(
        request,
        title=f"{org.name}:指定挂点联系干部",
        form=form,
        org=org,
        back=_org_url(org.pk),
        intro="后进支部由一名党员领导干部和一名机关干部挂点联系包干(第一篇三(二)3)。",
    )


@login_required
def liaison_end(request: HttpRequest, pk: int) -> HttpResponse:
    liaison = access.liaison_get(request.user, pk)
    org = liaison.organization
    require(request.user, Perm.MANAGE_CASES, org)
    form = LiaisonEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: category_services.liaison_end(
                actor=request.user, liaison=liaison, until=form.cleaned_data["until"]
            ),
        ):
            messages.success(request, f"{liaison.person_name}已结束挂点联系")
            return redirect(_org_url(org.pk))
    return form_page(
        request, title=f"结束{liaison.person_name}挂点联系{org.name}", form=form, org=org, back=_org_url(org.pk)
    )


@login_required
def pairing_add(request: HttpRequest, pk: int) -> HttpResponse:
    org = organization_get(request.user, pk)
    require(request.user, Perm.MANAGE_CASES, org)
    partners = (
        management_selectors.current_categories(request.user)
        .filter(category=Category.RED_FLAG)
        .values_list("organization_id", flat=True)
    )
    from organizations.models import Organization

    form = PairingForm(request.POST or None, partners=Organization.objects.filter(pk__in=list(partners)))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        pairing = run_service(
            form,
            lambda: category_services.pairing_create(
                actor=request.user, lagging=org, red_flag=d["red_flag"], since=d["since"], note=d["note"]
            ),
        )
        if pairing is not None:
            messages.success(request, f"{org.name}已与{pairing.red_flag.name}结对共建")
            return redirect(_org_url(org.pk))
    return form_page(request, title=f"{org.name}:结对共建", form=form, org=org, back=_org_url(org.pk))


@login_required
def helper_add(request: HttpRequest, pk: int) -> HttpResponse:
    org = organization_get(request.user, pk)
    require(request.user, Perm.MANAGE_CASES, org)
    form = HelperForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        helper = run_service(
            form, lambda: category_services.helper_assign(actor=request.user, organization=org, **form.cleaned_data)
        )
        if helper is not None:
            messages.success(request, f"已指定{helper.person_name}帮扶{org.name}")
            return redirect(_org_url(org.pk))
    return form_page(request, title=f"{org.name}:指定帮扶人", form=form, org=org, back=_org_url(org.pk))


@login_required
@require_POST
def showcase_quick(request: HttpRequest, pk: int) -> HttpResponse:
    """The categories page's one-click designation (this year, no note)."""
    org = organization_get(request.user, pk)
    require(request.user, Perm.SUPERVISE, org)
    from django.utils import timezone

    try:
        category_services.showcase_designate(actor=request.user, organization=org, year=timezone.localdate().year)
        messages.success(request, f"已确定{org.name}为全区党建示范点")
    except ValidationError as exc:
        refuse(request, exc)
    return redirect("rectification:categories")
