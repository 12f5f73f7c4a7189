"""District pages of a campaign's scoring templates: the variants per 领域, their dimensions and items.

Thin: the campaign and the template's parts come through ``grading.access`` (district staff only), writes go through
``grading.services.campaigns``; a form's refusals come back as form errors with the typed input kept, a button's as
messages.
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from core.edits import form_submit
from grading import access
from grading.forms.campaigns import DimensionForm, ItemForm, VariantForm
from grading.models import Campaign
from grading.services import campaigns as services
from grading.views.campaigns import detail_redirect, error_messages


@login_required
@require_POST
def variant_add(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.campaign_to_set_up_for(request.user, pk)
    form = VariantForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择领域")
        return detail_redirect(campaign)
    try:
        template = services.template_variant_create(
            actor=request.user, campaign=campaign, field=form.cleaned_data["field"]
        )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, f"已增加{template.name}(复制通用标准,可逐项修改)")
    return detail_redirect(campaign)


@login_required
@require_POST
def variant_delete(request: HttpRequest, pk: int, template_pk: int) -> HttpResponse:
    campaign = access.campaign_to_set_up_for(request.user, pk)
    template = access.template_for(request.user, campaign, template_pk)
    try:
        services.template_variant_delete(actor=request.user, template=template)
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, f"已删除{template.name}")
    return detail_redirect(campaign)


def _form_page(request: HttpRequest, campaign: Campaign, form: Any, title: str, intro: str = "") -> HttpResponse:
    return render(request, "grading/form.html", {"campaign": campaign, "form": form, "title": title, "intro": intro})


@login_required
def dimension_edit(request: HttpRequest, pk: int, dimension_pk: int) -> HttpResponse:
    campaign = access.campaign_to_set_up_for(request.user, pk)
    dimension = access.dimension_for(request.user, campaign, dimension_pk)
    form = DimensionForm(request.POST or None, instance=copy.copy(dimension))
    done = form_submit(
        request,
        form,
        lambda data: services.dimension_save(actor=request.user, dimension=dimension, **data),
        success="已保存",
        then=lambda _: detail_redirect(campaign),
    )
    intro = f"{dimension.template.name}。各维度分值合计应为100分,维度内各项满分之和应等于该维度分值。"
    return done or _form_page(request, campaign, form, f"修改维度“{dimension.name}”", intro)


@login_required
def item_add(request: HttpRequest, pk: int, dimension_pk: int) -> HttpResponse:
    campaign = access.campaign_to_set_up_for(request.user, pk)
    dimension = access.dimension_for(request.user, campaign, dimension_pk)
    form = ItemForm(request.POST or None)
    done = form_submit(
        request,
        form,
        lambda data: services.template_item_save(actor=request.user, dimension=dimension, **data),
        success="已增加评分项目",
        then=lambda _: detail_redirect(campaign),
    )
    intro = f"{dimension.template.name} › {dimension.name}。一票否决项满分填0。"
    return done or _form_page(request, campaign, form, "增加评分项目", intro)


@login_required
def item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    campaign = access.campaign_to_set_up_for(request.user, pk)
    item = access.item_for(request.user, campaign, item_pk)
    form = ItemForm(request.POST or None, instance=copy.copy(item))
    done = form_submit(
        request,
        form,
        lambda data: services.template_item_save(actor=request.user, dimension=item.dimension, item=item, **data),
        success="已保存评分项目",
        then=lambda _: detail_redirect(campaign),
    )
    intro = f"{item.dimension.template.name} › {item.dimension.name}。一票否决项满分填0。"
    return done or _form_page(request, campaign, form, "修改评分项目", intro)


@login_required
@require_POST
def item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    campaign = access.campaign_to_set_up_for(request.user, pk)
    item = access.item_for(request.user, campaign, item_pk)
    try:
        services.template_item_delete(actor=request.user, item=item)
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, f"已删除评分项目“{item.text}”")
    return detail_redirect(campaign)
