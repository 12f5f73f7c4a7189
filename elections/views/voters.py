"""The voter roll page: registering it from the roster, excusing members, and the higher body's consent and the
congress's vote on excusing them (A1a, A2)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.edits import form_submit
from elections import access
from elections.forms import ExcusalConsentForm, ExcusalVoteForm
from elections.models import (
    ExcuseReason,
)
from elections.selectors import meeting as meetings
from elections.services.excusal import excusal_consent, excusal_problems, excusal_vote
from elections.services.voters import roll_counts, voter_excuse, voters_register
from elections.views.common import form_id, show_errors


def _decision_post(request: HttpRequest, project) -> HttpResponse | None:
    """A1a: the township's consent or the congress's vote, through the form flow."""
    back = redirect("elections:voters", pk=project.pk)
    if "consent" in request.POST:
        form = ExcusalConsentForm(request.POST)
        done = form_submit(
            request,
            form,
            lambda d: excusal_consent(
                actor=request.user, project=project, document=d["document"], consent_on=d["consent_on"]
            ),
            success="已记录上级党组织同意",
            then=lambda _: back,
        )
    else:
        form = ExcusalVoteForm(request.POST)
        done = form_submit(
            request,
            form,
            lambda d: excusal_vote(actor=request.user, project=project, **d),
            success="已记录党员大会表决结果",
            then=lambda _: back,
        )
    if done is None:
        show_errors(request, ValidationError([e for errs in form.errors.values() for e in errs]))
    return done or back


@login_required
def voters(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.project_for(request.user, pk)
    if request.method == "POST" and ("consent" in request.POST or "vote" in request.POST):
        return _decision_post(request, project)
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
            "excusal": meetings.excusal_of(request.user, project),
            "excusal_problems": excusal_problems(project),
            "consent_form": ExcusalConsentForm(),
            "vote_form": ExcusalVoteForm(),
            **access.actions_for(request.user, project),
        },
    )
