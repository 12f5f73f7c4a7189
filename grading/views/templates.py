"""District pages of a campaign's scoring templates: the variants per 领域, their dimensions and items."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from grading.forms.campaigns import DimensionForm, ItemForm, VariantForm
from grading.models import Campaign, Dimension, Item
from grading.selectors import campaigns as selectors
from grading.services import campaigns as services
from grading.views.campaigns import _detail, _error_messages, _form_error
from partybuild.edits import run_edit


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
