"""Category by hand (with a reason), showcases, liaisons, pairings and helpers of one organization.

Thin: the organization through ``rectification.access`` (SUPERVISE for categories and showcases, MANAGE_CASES for
the rest), writes through the services with ``core.edits.form_submit``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.edits import form_submit
from grading.rules.grades import Category
from organizations.models import Organization
from organizations.roles import Perm
from rectification import access
from rectification.forms import CategoryForm, HelperForm, LiaisonEndForm, LiaisonForm, PairingForm, ShowcaseForm
from rectification.selectors import management as management_selectors
from rectification.services import cases as case_services
from rectification.services import categories as category_services
from rectification.views.common import act, form_page, org_url


def _org_form(
    request: HttpRequest,
    org: Organization,
    form: Any,
    action: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    success: str | Callable[[Any], str],
    intro: str = "",
) -> HttpResponse:
    """A form page of one organization's management: the service on a valid POST, back to its page."""
    done = form_submit(request, form, action, success=success, then=lambda _: redirect(org_url(org.pk)))
    return done or form_page(request, title=title, form=form, org=org, back=org_url(org.pk), intro=intro)


@login_required
def category_set(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk, perm=Perm.SUPERVISE)
    form = CategoryForm(request.POST or None)
    return _org_form(
        request,
        org,
        form,
        lambda d: case_services.category_set_by_hand(
            actor=request.user,
            organization=org,
            year=d["year"],
            category=d["category"],
            reason=d["reason"],
            since=d["since"],
        ),
        title=f"{org.name}:认定分类",
        success=lambda _: f"已认定{org.name}为“{Category(form.cleaned_data['category']).label}”",
        intro="尚无最终等次时,区委组织部可以认定分类并写明理由;认定为软弱涣散的自动整顿立案。",
    )


@login_required
def showcase(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk, perm=Perm.SUPERVISE)
    form = ShowcaseForm(request.POST or None)
    return _org_form(
        request,
        org,
        form,
        lambda d: category_services.showcase_designate(
            actor=request.user, organization=org, year=d["year"], note=d["note"]
        ),
        title=f"{org.name}:确定党建示范点",
        success=lambda _: f"已确定{org.name}为{form.cleaned_data['year']}年度全区党建示范点",
    )


@login_required
def liaison_add(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk, perm=Perm.MANAGE_CASES)
    form = LiaisonForm(request.POST or None, candidates=management_selectors.liaison_candidates(request.user))
    return _org_form(
        request,
        org,
        form,
        lambda d: category_services.liaison_assign(
            actor=request.user,
            organization=org,
            person_name=d["person_name"],
            kind=d["kind"],
            duties=d["duties"],
            since=d["since"],
            position=d["position"],
            user=d["username"],
        ),
        title=f"{org.name}:指定挂点联系干部",
        success=lambda liaison: f"已指定{liaison.person_name}挂点联系{org.name}",
        intro="后进支部由一名党员领导干部和一名机关干部挂点联系包干(第一篇三(二)3)。",
    )


@login_required
def liaison_end(request: HttpRequest, pk: int) -> HttpResponse:
    liaison = access.liaison_for(request.user, pk, perm=Perm.MANAGE_CASES)
    org = liaison.organization
    return _org_form(
        request,
        org,
        LiaisonEndForm(request.POST or None),
        lambda d: category_services.liaison_end(actor=request.user, liaison=liaison, until=d["until"]),
        title=f"结束{liaison.person_name}挂点联系{org.name}",
        success=f"{liaison.person_name}已结束挂点联系",
    )


@login_required
def pairing_add(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk, perm=Perm.MANAGE_CASES)
    form = PairingForm(request.POST or None, partners=management_selectors.pairing_partners(request.user))
    return _org_form(
        request,
        org,
        form,
        lambda d: category_services.pairing_create(
            actor=request.user, lagging=org, red_flag=d["red_flag"], since=d["since"], note=d["note"]
        ),
        title=f"{org.name}:结对共建",
        success=lambda pairing: f"{org.name}已与{pairing.red_flag.name}结对共建",
    )


@login_required
def helper_add(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk, perm=Perm.MANAGE_CASES)
    return _org_form(
        request,
        org,
        HelperForm(request.POST or None),
        lambda d: category_services.helper_assign(actor=request.user, organization=org, **d),
        title=f"{org.name}:指定帮扶人",
        success=lambda helper: f"已指定{helper.person_name}帮扶{org.name}",
    )


@login_required
@require_POST
def showcase_quick(request: HttpRequest, pk: int) -> HttpResponse:
    """The categories page's one-click designation (this year, no note)."""
    org = access.organization_for(request.user, pk, perm=Perm.SUPERVISE)
    act(
        request,
        lambda: category_services.showcase_designate(
            actor=request.user, organization=org, year=timezone.localdate().year
        ),
        f"已确定{org.name}为全区党建示范点",
    )
    # Back to the same page of the list (its filters and page number travel in the form's query string).
    back = request.GET.urlencode()
    return redirect(reverse("rectification:categories") + (f"?{back}" if back else ""))
