"""Opening election projects: the term-expiry list (A13), one organization, or a township's villages in a batch.
In through ``elections.access`` (out of scope 404, not allowed 403); writes through the services."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from core.edits import form_submit
from elections import access
from elections.forms import BatchOpenForm, ProjectOpenForm
from elections.models import Phase
from elections.selectors.opening import (
    DEFAULT_LEAD_DAYS,
    batch_rows,
    open_defaults,
    renewal_rows,
    running_projects,
    terms_to_renew,
)
from elections.selectors.overview import PHASE_COLOURS, elections_overview
from elections.selectors.posts import posts_summary
from elections.services.projects import project_create, projects_create_batch
from organizations.roles import Perm


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The elections board: progress per township (the district's, or one township's own), with a chart."""
    today = timezone.localdate()
    rows, total = elections_overview(request.user, today)
    legend = [(label, colour) for (_, label), colour in zip(Phase.choices, PHASE_COLOURS, strict=True)]
    post_rows, post_total = posts_summary(request.user)  # T1–T4 per township
    context = {"rows": rows, "total": total, "legend": legend, "today": today}
    context |= {"post_rows": post_rows, "post_total": post_total}
    return render(request, "elections/overview.html", context)


# Terms listed per page (about a thousand end within six months at 5,000 organizations); the filters are in SQL.
TERMS_PER_PAGE = 100


@login_required
def terms(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    township = None
    if request.GET.get("township", "").isdigit():
        township = access.organization_for(request.user, int(request.GET["township"]))
    show = request.GET.get("show", "")  # the to-do's lines: ended, or ending within six months, none started
    show = show if show in ("soon", "ended") else ""
    page = Paginator(terms_to_renew(request.user, today, township=township, show=show), TERMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    is_district = access.is_district(request.user)
    return render(
        request,
        "elections/terms.html",
        {
            "page": page,
            "rows": renewal_rows(request.user, page, today),
            "today": today,
            "is_district": is_district,
            "township": township,
            "show": show,
        },
    )


@login_required
def project_open(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk, perm=Perm.ELECTION_MANAGE)
    today = timezone.localdate()
    defaults = open_defaults(request.user, org, today)
    running = running_projects(request.user, [org.pk]).get(org.pk)
    form = ProjectOpenForm(request.POST or None, initial=defaults)
    opened = form_submit(
        request,
        form,
        lambda data: project_create(actor=request.user, organization=org, **data),
        success=lambda project: f"已启动{project},共32个环节",
        then=lambda project: redirect("elections:project", pk=project.pk),
    )
    if opened is not None:
        return opened
    return render(
        request,
        "elections/project_open.html",
        {"organization": org, "form": form, "term": defaults["term"], "running": running},
    )


@login_required
def batch_open(request: HttpRequest, org_pk: int) -> HttpResponse:
    township = access.organization_for(request.user, org_pk, perm=Perm.ELECTION_MANAGE, township=True)
    today = timezone.localdate()
    rows = batch_rows(request.user, township, today)
    choices = [(r["organization"].pk, r["organization"].name) for r in rows if r["project"] is None]
    initial = {
        "organizations": [r["organization"].pk for r in rows if r["expiring"] and r["project"] is None],
        "seats": 3,
        "election_date": today + timedelta(days=DEFAULT_LEAD_DAYS),
    }
    form = BatchOpenForm(request.POST or None, initial=initial, org_choices=choices)
    refused: dict[str, list[str]] = {}
    if request.method == "POST" and form.is_valid():
        chosen = {r["organization"].pk: r["organization"] for r in rows}
        made, refused = projects_create_batch(
            actor=request.user,
            organizations=[chosen[i] for i in form.cleaned_data["organizations"] if i in chosen],
            election_date=form.cleaned_data["election_date"],
            seats=form.cleaned_data["seats"],
            method=form.cleaned_data["method"],
            date_reason=form.cleaned_data["date_reason"],
        )
        if made:
            messages.success(request, f"已启动{len(made)}个换届选举项目:{'、'.join(p.organization.name for p in made)}")
        if not refused:
            return redirect("elections:board", org_pk=township.pk)
        rows = batch_rows(request.user, township, today)
    selected = {str(v) for v in (form["organizations"].value() or [])}
    return render(
        request,
        "elections/batch_open.html",
        {"township": township, "form": form, "rows": rows, "refused": refused, "selected": selected, "today": today},
    )
