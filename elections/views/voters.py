"""The voter roll page: registering it from the roster and excusing members (A1a, A2)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from elections import access
from elections.models import (
    ExcuseReason,
)
from elections.selectors import meeting as meetings
from elections.services.voters import roll_counts, voter_excuse, voters_register
from elections.views.common import form_id, show_errors


@login_required
def voters(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.project_for(request.user, pk)
    if request.method == "POST":
        voter = access.voter_for(request.user, project, form_id(request.POST.get("voter")))
        try:
            if "register" in request.POST:
                voters_register(actor=request.user, project=project)
            elif voter is None:
                messages.error(request, "没有该党员的登记")
            else:
                voter_excuse(
                    actor=request.user,
                    voter=voter,
                    reason=request.POST.get("reason", ""),
                    note=request.POST.get("note", ""),
                )
        except ValidationError as exc:
            show_errors(request, exc)
        return redirect("elections:voters", pk=project.pk)
    return render(
        request,
        "elections/voters.html",
        {
            "project": project,
            "voters": meetings.voters_of(request.user, project),
            "roll": roll_counts(project),
            "reasons": ExcuseReason.choices,
            **access.actions_for(request.user, project),
        },
    )
