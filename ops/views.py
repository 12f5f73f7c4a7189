"""The district's system pages: 系统运行状态 (the same checks as /healthz, with the last backup and the queues) and
发送记录 (the reminders sent by e-mail, SMS and group robots, with 重发 for the failed ones)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core import deliveries
from ops.selectors import system_status


@login_required
def system(request: HttpRequest) -> HttpResponse:
    return render(request, "ops/system.html", system_status(request.user))


@login_required
def delivery_list(request: HttpRequest) -> HttpResponse:
    page = deliveries.delivery_list(
        request.user, status=request.GET.get("status", ""), before=request.GET.get("before")
    )
    return render(request, "ops/deliveries.html", {"page": page, "statuses": deliveries.STATUS_FILTERS})


@login_required
@require_POST
def delivery_resend(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = deliveries.delivery_for(request.user, pk)
    try:
        deliveries.delivery_resend(actor=request.user, delivery=delivery)
    except ValidationError as exc:
        messages.error(request, ";".join(exc.messages))
    else:
        messages.success(request, "已重新加入发送队列")
    return redirect(f"{reverse('ops:deliveries')}?status=failed")
