"""The district's system page (系统运行状态): the same checks as /healthz, with the last backup and the queues."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ops.selectors import system_status


@login_required
def system(request: HttpRequest) -> HttpResponse:
    return render(request, "ops/system.html", system_status(request.user))
