"""The boards (district, township), the categories page and one organization's management page.

Thin: objects through ``rectification.access``, reads through selectors that take the user (out of scope → 404,
not allowed → 403).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from rectification import access
from rectification.forms import CategoryFilterForm
from rectification.selectors import boards as board_selectors
from rectification.selectors import cases as case_selectors
from rectification.selectors import management as management_selectors


def _show(request: HttpRequest) -> str:
    """The to-do line whose cases the page lists (``?show=overdue``…), or "" for all."""
    show = request.GET.get("show", "")
    return show if show in case_selectors.WAITING_LABELS else ""


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The menu's way in: the district board, a township's board, or the cases a secretary or liaison follows."""
    show = _show(request)
    keep = f"?show={show}" if show else ""  # a to-do line's list: the same filter on the page of the user's level
    if access.supervises(request.user):
        return redirect(reverse("rectification:district_board") + keep)
    township = board_selectors.home_township_pk(request.user)
    if township is not None:
        return redirect(reverse("rectification:township_board", args=[township]) + keep)
    cases = case_selectors.my_cases(request.user, show=show, today=timezone.localdate())
    show_label = case_selectors.WAITING_LABELS.get(show, "")
    return render(request, "rectification/my_cases.html", {"cases": cases, "show": show, "show_label": show_label})


@login_required
def district_board(request: HttpRequest) -> HttpResponse:
    access.require_supervision(request.user, "全区整顿看板仅供区委组织部使用")
    board = board_selectors.board(request.user, timezone.localdate(), show=_show(request))
    return render(
        request, "rectification/board.html", {**board, "title": "全区软弱涣散和后进党组织整顿", "district": True}
    )


@login_required
def township_board(request: HttpRequest, pk: int) -> HttpResponse:
    township = access.township_for(request.user, pk)
    board = board_selectors.board(request.user, timezone.localdate(), township=township, show=_show(request))
    return render(
        request,
        "rectification/board.html",
        {
            **board,
            "title": f"{township.name}整顿工作",
            "township": township,
            "district": False,
            "may_manage": access.may_manage_at(request.user, township),
        },
    )


# Rows of the categories page per page: the counts per category and per township are for the whole scope.
CATEGORIES_PER_PAGE = 100


@login_required
def categories(request: HttpRequest) -> HttpResponse:
    """Each organization's current category in scope, a page at a time, with the counts per category and per
    township; ``?township=<id>`` lists one township's organizations. The district designates showcases among
    红旗支部."""
    access.require_management(request.user, "只有乡镇(街道)党(工)委和区委组织部可以查看分类管理")
    filters = CategoryFilterForm(request.GET or None)
    wanted = filters.cleaned_data["category"] if filters.is_valid() else ""
    township_pk = request.GET.get("township", "")
    township = access.township_for(request.user, int(township_pk)) if township_pk.isdigit() else None
    rows = management_selectors.current_categories_of(request.user, wanted, township=township)
    page = Paginator(rows, CATEGORIES_PER_PAGE).get_page(request.GET.get("page"))
    counts, by_township = management_selectors.category_counts(request.user)
    year = timezone.localdate().year
    return render(
        request,
        "rectification/categories.html",
        {
            "page": page,
            "filters": filters,
            "wanted": wanted,
            "township": township,
            "counts": counts,
            "by_township": by_township if len(by_township) > 1 else [],
            "showcases": management_selectors.showcase_ids(request.user, year),
            "year": year,
            "may_designate": access.supervises(request.user),
        },
    )


@login_required
def org_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One organization's differentiated management: category and its history, liaisons, pairing, helpers,
    showcases and cases, with the actions the user may take."""
    org = access.organization_for(request.user, pk)
    return render(request, "rectification/org.html", management_selectors.org_page(request.user, org))
