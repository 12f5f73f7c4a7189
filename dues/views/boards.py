"""The way in (the menu's 党费), the district's and a township's collection boards. Thin: objects through
``dues.access``, reads through selectors that take the user."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from dues import access
from dues.forms.records import year_from
from dues.selectors import boards as board_selectors
from organizations.access import district_for, is_district_staff


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The district's board for district staff, the township's for township staff and viewers, else the ledger of
    the user's own organization."""
    if is_district_staff(request.user):
        return redirect("dues:district_board")
    township = board_selectors.home_township(request.user)
    if township is not None:
        return redirect("dues:township_board", township.pk)
    org = board_selectors.home_organization(request.user)
    if org is None:
        return redirect("home")
    return redirect(reverse("dues:ledger", args=[org.pk]))


@login_required
def district_board(request: HttpRequest) -> HttpResponse:
    district = district_for(request.user)
    today = timezone.localdate()
    year = year_from(request.GET.get("year"), today)
    total, page = board_selectors.district_board(request.user, year, today, request.GET.get("page"))
    return render(
        request,
        "dues/district.html",
        {"district": district, "year": year, "today": today, "total": total, "page": page, "years": _years(today)},
    )


@login_required
def township_board(request: HttpRequest, pk: int) -> HttpResponse:
    township = access.township_for(request.user, pk)
    today = timezone.localdate()
    year = year_from(request.GET.get("year"), today)
    total, lines = board_selectors.township_board(request.user, township, year, today)
    return render(
        request,
        "dues/township.html",
        {"township": township, "year": year, "today": today, "total": total, "lines": lines, "years": _years(today)},
    )


def _years(today) -> list[int]:
    return list(range(today.year, today.year - 4, -1))
