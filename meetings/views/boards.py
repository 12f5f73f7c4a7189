"""Boards of organizational life: a township's compliance board (every organization's year at a glance), the
district's coverage by township (paginated), the district's page to adjust a year's requirements, and the 党章 Art. 9
list (M10) of an organization or a township."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.edits import form_submit
from meetings import access
from meetings.forms.meetings import RequirementsForm
from meetings.rules.frequency import CellStatus
from meetings.selectors import compliance, participation
from meetings.services.requirements import requirements_set
from meetings.views.records import year_of
from organizations.access import district_for
from organizations.selectors import home_grant


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The menu's entry: the district's coverage for district staff, else the user's township or organization."""
    if access.may_adjust(request.user):
        return redirect("meetings:district_board")
    grant = home_grant(request.user)
    if grant is None:
        return redirect("home")
    _, org = grant
    if org.depth == 2:
        return redirect("meetings:township_board", pk=org.pk)
    if org.depth == 1:
        return redirect("meetings:district_board")
    return redirect("meetings:org_meetings", pk=org.pk)


@login_required
@require_GET
def township_board(request: HttpRequest, pk: int) -> HttpResponse:
    township = access.township_for(request.user, pk)
    year = year_of(request)
    rows = compliance.township_compliance(request.user, township, year)
    labels = [k.label for k in rows[0].kinds] if rows else []
    return render(
        request,
        "meetings/township.html",
        {
            "township": township,
            "org": township,
            "year": year,
            "rows": rows,
            "labels": labels,
            "compliant": sum(1 for r in rows if r.ok),
            "missed_status": CellStatus.MISSED,
        },
    )


@login_required
@require_GET
def district_board(request: HttpRequest) -> HttpResponse:
    district = district_for(request.user)
    year = year_of(request)
    page, rows = compliance.district_coverage(request.user, year, request.GET.get("page", 1))
    return render(
        request,
        "meetings/district.html",
        {
            "district": district,
            "year": year,
            "page": page,
            "rows": rows,
            "labels": [k.label for k in rows[0].kinds] if rows else [],
            "may_adjust": access.may_adjust(request.user),
        },
    )


@login_required
def requirements(request: HttpRequest, year: int) -> HttpResponse:
    access.require_district(request.user)
    current = compliance.requirements(request.user, year)
    form = RequirementsForm(request.POST or None, current=current)
    done = form_submit(
        request,
        form,
        lambda d: requirements_set(actor=request.user, year=year, values=form.values(), note=d["note"]),
        success=lambda saved: f"已调整{year}年度组织生活要求({len(saved)}项)" if saved else "未作改动",
        then=lambda _: redirect(f"{request.path}"),
    )
    return done or render(
        request,
        "meetings/requirements.html",
        {
            "year": year,
            "form": form,
            "rows": compliance.requirement_rows(request.user, year),
            "years": [year - 1, year, year + 1],
        },
    )


@login_required
@require_GET
def lapses(request: HttpRequest, pk: int) -> HttpResponse:
    """Members to talk to (M10): never a sanction, a list to act on."""
    org = access.organization_for(request.user, pk)
    today = timezone.localdate()
    return render(
        request,
        "meetings/lapses.html",
        {"org": org, "lapses": participation.lapses_under(request.user, org, today), "today": today},
    )
