"""Everyone's 接收方式: which channels besides the in-app notification carry their reminders (core.channel_choices)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.channel_choices import ChannelChoiceForm, channel_choices_save
from core.edits import form_submit


@login_required
@require_http_methods(["GET", "POST"])
def channel_choices(request: HttpRequest) -> HttpResponse:
    form = ChannelChoiceForm.for_user(request.user, request.POST if request.method == "POST" else None)
    done = form_submit(
        request,
        form,
        lambda data: channel_choices_save(actor=request.user, values=data),
        success="接收方式已保存",
        then=lambda _: redirect("core:channel_choices"),
    )
    return done or render(request, "partybuild/channel_choices.html", {"form": form})
