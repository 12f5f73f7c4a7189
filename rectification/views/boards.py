"""The boards (district, township), the categories page and one organization's management page.

Thin: every read goes through a selector that takes the user (out of scope → 404, not allowed → 403).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from grading.rules import Category
from organizations.roles import Perm
from organizations.scope import can
from organizations.selectors import organization_get
from rectification import access
from rectification.forms import CategoryFilterForm
from rectification.models import Showcase
from rectification.rules.cases import CASE_CATEGORIES, LIAISON_CATEGORIES, Phase
from rectification.selectors import boards as board_selectors
from rectification.selectors import cases as case_selectors
from rectification.selectors import management as management_selectors
from rectification.services import yearend as yearend_services
from rectification.services.acceptance import may_accept
from rectification.services.cases import open_case_of
from rectification.services.categories import current_assignment


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The menu's way in: the district board, a township's board, or the cases a secretary or liaison follows."""
    show = _show(request)
    keep = f"?show={show}" if show else ""  # a to-do line's list: the same filter on the page of the user's level
    if board_selectors.supervises(request.user):
        return redirect(reverse("rectification:district_board") + keep)
    township = board_selectors.home_township_pk(request.user)
    if township is not None:
        return redirect(reverse("rectification:township_board", args=[township]) + keep)
    cases = list(
        case_selectors.cases_visible_to(request.user).order_by("phase", "-opened_on").select_related("organization")
    )
    if show:
        wanted = {c.pk for c in board_selectors.waiting_cases(request.user, show, timezone.localdate())}
        cases = [c for c in cases if c.pk in wanted]
    for case in cases:  # the report button only where this user may report (a reader sees the case, not the button)
        case.may_report = case.is_open and can(request.user, Perm.REPORT_PROGRESS, case.organization)
    return render(request, "rectification/my_cases.html", {"cases": cases, "show": show, "show_label": _label(show)})


def _show(request: HttpRequest) -> str:
    """The to-do line whose cases the page lists (``?show=overdue``…), or "" for all."""
    show = request.GET.get("show", "")
    return show if show in board_selectors.WAITING_LABELS else ""


def _label(show: str) -> str:
    return board_selectors.WAITING_LABELS.get(show, "")


def _board(request: HttpRequest, today: Any, township_path: str | None = None) -> dict[str, Any]:
    """The board's rows and counts; with ``?show=`` the rows are the cases of that to-do line only (the counts stay
    the board's: all open cases)."""
    show = _show(request)
    rows = board_selectors.board_rows(
        request.user, today, township_path=township_path, include_accepted=show == "report"
    )
    open_rows = [r for r in rows if r.case.phase != Phase.ACCEPTED]
    shown = open_rows
    if show:
        wanted = {c.pk for c in board_selectors.waiting_cases(request.user, show, today)}
        shown = [r for r in rows if r.case.pk in wanted]
    reports = yearend_services.statuses([r.case for r in rows], today)
    return {
        "shown": shown,
        "reports": reports,
        "show": show,
        "show_label": _label(show),
        "open_count": len(open_rows),
        "report_missing_count": sum(reports[r.case.pk].missing for r in open_rows),
        "today": today,
        "stalled_count": sum(r.stalled for r in open_rows),
        "overdue_count": sum(r.overdue for r in open_rows),
    }


@login_required
def district_board(request: HttpRequest) -> HttpResponse:
    if not board_selectors.supervises(request.user):
        raise PermissionDenied("全区整顿看板仅供区委组织部使用")
    today = timezone.localdate()
    board = _board(request, today)
    towns = board_selectors.township_names()
    return render(
        request,
        "rectification/board.html",
        {
            **board,
            "title": "全区软弱涣散和后进党组织整顿",
            "rows": [
                (r, towns.get(r.case.organization.township_path(), ""), board["reports"][r.case.pk])
                for r in board["shown"]
            ],
            "bars": board_selectors.phase_chart(request.user, year=today.year),
            "district": True,
        },
    )


@login_required
def township_board(request: HttpRequest, pk: int) -> HttpResponse:
    township = access.township_get(request.user, pk)
    today = timezone.localdate()
    board = _board(request, today, township.path)
    return render(
        request,
        "rectification/board.html",
        {
            **board,
            "title": f"{township.name}整顿工作",
            "township": township,
            "rows": [(r, township.name, board["reports"][r.case.pk]) for r in board["shown"]],
            "bars": board_selectors.phase_chart(request.user, township_path=township.path, year=today.year),
            "district": False,
            "may_manage": can(request.user, Perm.MANAGE_CASES, township),
        },
    )


@login_required
def categories(request: HttpRequest) -> HttpResponse:
    """Each organization's current category in scope; the district designates showcases among 红旗支部."""
    if not (board_selectors.manages_cases(request.user) or board_selectors.supervises(request.user)):
        raise PermissionDenied("只有乡镇(街道)党(工)委和区委组织部可以查看分类管理")
    filters = CategoryFilterForm(request.GET or None)
    wanted = filters.cleaned_data["category"] if filters.is_valid() else ""
    rows = management_selectors.current_categories(request.user)
    if wanted:
        rows = rows.filter(category=wanted)
    year = timezone.localdate().year
    showcases = set(Showcase.objects.filter(year=year).values_list("organization_id", flat=True))
    counts = {c: 0 for c in Category.values}
    for value in management_selectors.current_categories(request.user).values_list("category", flat=True):
        counts[value] += 1
    return render(
        request,
        "rectification/categories.html",
        {
            "rows": rows,
            "filters": filters,
            "wanted": wanted,
            "counts": [(c.value, c.label, counts[c.value]) for c in Category],
            "showcases": showcases,
            "year": year,
            "may_designate": board_selectors.supervises(request.user),
        },
    )


@login_required
def org_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One organization's differentiated management: category and its history, liaisons, pairing, helpers,
    showcases and cases, with the actions the user may take."""
    org = organization_get(request.user, pk)
    current = current_assignment(org)
    category = Category(current.category) if current else None
    may_manage = can(request.user, Perm.MANAGE_CASES, org)
    may_supervise = can(request.user, Perm.SUPERVISE, org)
    open_case = open_case_of(org)
    records = management_selectors.org_management(request.user, org)
    return render(
        request,
        "rectification/org.html",
        {
            "org": org,
            "current": current,
            "history": records.history,
            "liaisons": records.liaisons,
            "liaison_accounts": [(u, management_selectors.account_name(u)) for u in records.liaison_accounts],
            "pairings": records.pairings,
            "helpers": records.helpers,
            "showcases": records.showcases,
            "cases": records.cases,
            "open_case": open_case,
            "may_open": may_manage and category in CASE_CATEGORIES and open_case is None,
            "may_liaison": may_manage and category in LIAISON_CATEGORIES,
            "may_pair": may_manage and category == Category.LAGGING,
            "may_help": may_manage and category == Category.CATCH_UP,
            "may_manage": may_manage,
            "may_set_category": may_supervise,
            "may_showcase": may_supervise and category == Category.RED_FLAG,
            "may_accept": open_case is not None and may_accept(request.user, open_case),
        },
    )
