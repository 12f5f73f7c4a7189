"""District pages of the annual campaign: list and create, settings, opening and closing. Its scoring templates are in
``grading.views.templates``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from grading.forms.campaigns import CampaignCreateForm, CampaignSettingsForm, VariantForm
from grading.models import Campaign
from grading.selectors import campaigns as selectors
from grading.services import campaigns as services


def _form_error(form: Any, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


def _detail(campaign: Campaign) -> HttpResponse:
    return redirect("grading:campaign_detail", pk=campaign.pk)


def _error_messages(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = selectors.campaign_list(request.user)
    form = CampaignCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        copy_from = selectors.previous_campaign(year) if form.cleaned_data["copy_last_year"] else None
        if form.cleaned_data["copy_last_year"] and copy_from is None:
            form.add_error("copy_last_year", f"{year}年之前没有可复制的年度")
        else:
            try:
                campaign = services.campaign_create(actor=request.user, year=year, copy_from=copy_from)
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, f"已建立{campaign}")
                return _detail(campaign)
    return render(request, "grading/campaign_list.html", {"campaigns": campaigns, "form": form})


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(request.user, pk)
    form = CampaignSettingsForm(request.POST or None, instance=Campaign.objects.get(pk=campaign.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(
                actor=request.user, campaign=campaign, **{k: form.cleaned_data[k] for k in services.CAMPAIGN_SETTINGS}
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "设置已保存")
            return _detail(campaign)
    return render(
        request,
        "grading/campaign_detail.html",
        {
            "campaign": campaign,
            "form": form,
            "templates": selectors.templates_of(campaign),
            "variant_form": VariantForm(),
        },
    )


@login_required
@require_POST
def campaign_open(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(request.user, pk)
    try:
        services.campaign_open(actor=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, "不能启动:")
        _error_messages(request, exc)
    else:
        messages.success(request, f"{campaign}已启动,评分标准不再修改")
    return _detail(campaign)


@login_required
@require_POST
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(request.user, pk)
    try:
        services.campaign_close(actor=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, "不能结束:")
        _error_messages(request, exc)
    else:
        messages.success(request, f"{campaign}已结束")
    return _detail(campaign)
