"""District pages of the annual campaign: list and create, settings, opening and closing. Its scoring templates are in
``grading.views.templates``.

Thin: the campaign comes through ``grading.access`` (403 for anyone but district staff, 404 for what does not exist),
writes go through ``grading.services.campaigns``, whose refusals come back as form errors with the typed input kept.
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.edits import form_submit
from grading import access
from grading.forms.campaigns import CampaignCreateForm, CampaignSettingsForm, VariantForm
from grading.models import Campaign
from grading.selectors import campaigns as selectors
from grading.services import campaigns as services


def detail_redirect(campaign: Campaign) -> HttpResponse:
    return redirect("grading:campaign_detail", pk=campaign.pk)


def error_messages(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _create(user: Any, data: dict[str, Any]) -> Campaign:
    year = data["year"]
    copy_from = selectors.previous_campaign(user, year) if data["copy_last_year"] else None
    if data["copy_last_year"] and copy_from is None:
        raise ValidationError({"copy_last_year": f"{year}年之前没有可复制的年度"})
    return services.campaign_create(actor=user, year=year, copy_from=copy_from)


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = selectors.campaign_list(request.user)
    form = CampaignCreateForm(request.POST or None)
    done = form_submit(
        request,
        form,
        lambda data: _create(request.user, data),
        success=lambda campaign: f"已建立{campaign}",
        then=detail_redirect,
    )
    return done or render(request, "grading/campaign_list.html", {"campaigns": campaigns, "form": form})


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.campaign_to_set_up_for(request.user, pk)
    # the form writes what was typed into its instance; the page keeps showing the stored values
    form = CampaignSettingsForm(request.POST or None, instance=copy.copy(campaign))
    done = form_submit(
        request,
        form,
        lambda data: services.campaign_update(
            actor=request.user, campaign=campaign, **{k: data[k] for k in services.CAMPAIGN_SETTINGS}
        ),
        success="设置已保存",
        then=lambda _: detail_redirect(campaign),
    )
    return done or render(
        request,
        "grading/campaign_detail.html",
        {
            "campaign": campaign,
            "form": form,
            "templates": selectors.templates_of(request.user, campaign),
            "variant_form": VariantForm(),
        },
    )


@login_required
@require_POST
def campaign_open(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.campaign_to_set_up_for(request.user, pk)
    try:
        services.campaign_open(actor=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, "不能启动:")
        error_messages(request, exc)
    else:
        messages.success(request, f"{campaign}已启动,评分标准不再修改")
    return detail_redirect(campaign)


@login_required
@require_POST
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.campaign_to_set_up_for(request.user, pk)
    try:
        services.campaign_close(actor=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, "不能结束:")
        error_messages(request, exc)
    else:
        messages.success(request, f"{campaign}已结束")
    return detail_redirect(campaign)
