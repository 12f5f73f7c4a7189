"""District pages of the annual campaign: list and create, settings, templates and their items, opening.

Thin: reads through ``grading.selectors`` (403 for anyone but district staff, 404 for what does not exist),
writes through ``grading.services``, whose refusals come back as form errors with the typed input kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from grading import selectors, services
from grading.forms import CampaignCreateForm, CampaignSettingsForm, DimensionForm, ItemForm, VariantForm
from grading.models import Campaign, Dimension, Item
from partybuild.edits import run_edit


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


@login_required
@require_POST
def variant_add(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(request.user, pk)
    form = VariantForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择领域")
        return _detail(campaign)
    try:
        template = services.template_variant_create(
            actor=request.user, campaign=campaign, field=form.cleaned_data["field"]
        )
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, f"已增加{template.name}(复制通用标准,可逐项修改)")
    return _detail(campaign)


@login_required
@require_POST
def variant_delete(request: HttpRequest, pk: int, template_pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(request.user, pk)
    template = selectors.template_get(request.user, campaign, template_pk)
    try:
        services.template_variant_delete(actor=request.user, template=template)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, f"已删除{template.name}")
    return _detail(campaign)


def _form_page(request: HttpRequest, campaign: Campaign, form: Any, title: str, intro: str = "") -> HttpResponse:
    return render(request, "grading/form.html", {"campaign": campaign, "form": form, "title": title, "intro": intro})


@login_required
def dimension_edit(request: HttpRequest, pk: int, dimension_pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(request.user, pk)
    dimension = selectors.dimension_get(request.user, campaign, dimension_pk)
    form = DimensionForm(request.POST or None, instance=Dimension.objects.get(pk=dimension.pk))
    # run_edit: a save from an older page (its version) and the service's refusal become form errors
    if request.method == "POST" and form.is_valid():
        saved = run_edit(
            form, lambda: (services.dimension_save(actor=request.user, dimension=dimension, **form.cleaned_data),)
        )
        if saved is not None:
            messages.success(request, "已保存")
            return _detail(campaign)
    intro = f"{dimension.template.name}。各维度分值合计应为100分,维度内各项满分之和应等于该维度分值。"
    return _form_page(request, campaign, form, f"修改维度“{dimension.name}”", intro)


@login_required
def item_add(request: HttpRequest, pk: int, dimension_pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(request.user, pk)
    dimension = selectors.dimension_get(request.user, campaign, dimension_pk)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.template_item_save(actor=request.user, dimension=dimension, **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "已增加评分项目")
            return _detail(campaign)
    intro = f"{dimension.template.name} › {dimension.name}。一票否决项满分填0。"
    return _form_page(request, campaign, form, "增加评分项目", intro)


@login_required
def item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(request.user, pk)
    item = selectors.item_get(request.user, campaign, item_pk)
    form = ItemForm(request.POST or None, instance=Item.objects.get(pk=item.pk))
    if request.method == "POST" and form.is_valid():
        saved = run_edit(
            form,
            lambda: (
                services.template_item_save(
                    actor=request.user, dimension=item.dimension, item=item, **form.cleaned_data
                ),
            ),
        )
        if saved is not None:
            messages.success(request, "已保存评分项目")
            return _detail(campaign)
    intro = f"{item.dimension.template.name} › {item.dimension.name}。一票否决项满分填0。"
    return _form_page(request, campaign, form, "修改评分项目", intro)


@login_required
@require_POST
def item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(request.user, pk)
    item = selectors.item_get(request.user, campaign, item_pk)
    try:
        services.template_item_delete(actor=request.user, item=item)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, f"已删除评分项目“{item.text}”")
    return _detail(campaign)
