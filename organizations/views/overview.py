"""The overviews: the district's, a township's, the list of organizations, setup findings, terms ending."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from organizations import access, selectors
from organizations.forms import OrgFilterForm
from organizations.models import Organization
from organizations.navigation import page_links
from organizations.panels import org_columns
from organizations.rules import TERM_REMINDER_DAYS
from organizations.todo import todo_panel


def _filters(filters: OrgFilterForm) -> dict[str, Any]:
    """The list's search (name or code), kind and field, when the form is valid."""
    if not filters.is_valid():
        return {}
    return {k: filters.cleaned_data.get(k) or "" for k in ("q", "kind", "field")}


@login_required
def district_overview(request: HttpRequest) -> HttpResponse:
    district = access.district_for(request.user)
    townships = selectors.townships_with_totals(request.user)
    # The first ten organizations with a finding, and how many there are, from one query (COUNT(*) OVER ()).
    first = list(selectors.organizations_with_findings(request.user).annotate(_found=Window(Count("pk")))[:10])
    soon = timezone.localdate() + timedelta(days=TERM_REMINDER_DAYS)
    expiring = selectors.terms_expiring(request.user, until=soon)
    totals = {
        "townships": len(townships),
        "graded": sum(t.graded_count for t in townships),
        "members": sum(t.member_count_total for t in townships),
    }
    return render(
        request,
        "organizations/district_overview.html",
        {
            "district": district,
            "townships": townships,
            "totals": totals,
            "findings": [selectors.OrgFindings(o, f) for o, f in selectors.with_findings(request.user, first)],
            "findings_count": first[0]._found if first else 0,
            "expiring_count": expiring.count(),
            "feature_links": page_links("district"),
            "todo": todo_panel(request.user) if selectors.is_home_of(request.user, "district") else None,
        },
    )


@login_required
def township(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk)
    if org.depth != 2:
        raise Http404
    filters = OrgFilterForm(request.GET or None)
    qs = selectors.organization_list_with_counts(request.user, under=org, **_filters(filters))
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    secretaries = selectors.current_secretaries(request.user, [o.pk for o in page])
    return render(
        request,
        "organizations/township.html",
        {
            "township": org,
            "page": page,
            "rows": [(o, f, secretaries.get(o.pk)) for o, f in selectors.with_findings(request.user, page)],
            "filters": filters,
            "perms": access.actions_for(request.user, org),
            "feature_links": page_links("township", org.pk),
            # The home of township staff and viewers: what waits for them (not for the district passing through).
            "todo": todo_panel(request.user) if selectors.is_home_of(request.user, "township", org) else None,
        },
    )


@login_required
def org_list(request: HttpRequest) -> HttpResponse:
    filters = OrgFilterForm(request.GET or None)
    qs = selectors.organization_list_with_counts(request.user, **_filters(filters))
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    liaison_home = selectors.is_home_of(request.user, "list")
    # The liaison leader's landing: the organizations assigned to them, each with its latest grade and rectification
    # status (columns the apps register: organizations.panels.register_org_column).
    columns = org_columns(request.user, list(page)) if liaison_home else None

    def extra(o: Organization) -> list[tuple[str, str]]:
        return list(zip(columns.labels, columns.rows[o.pk], strict=True)) if columns else []

    return render(
        request,
        "organizations/org_list.html",
        {
            "page": page,
            "rows": [(o, f, None, extra(o)) for o, f in selectors.with_findings(request.user, page)],
            "filters": filters,
            "columns": columns.labels if columns else [],
            "liaison_home": liaison_home,
            "todo": todo_panel(request.user) if liaison_home else None,
        },
    )


# Organizations with a setup finding per page: selected and counted in SQL from the counts kept on each
# organization; the findings are worked out for the page's rows only.
FINDINGS_PER_PAGE = 100


@login_required
def setup_findings_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.organizations_with_findings(request.user), FINDINGS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    page.object_list = [selectors.OrgFindings(o, f) for o, f in selectors.with_findings(request.user, page)]
    return render(request, "organizations/setup_findings.html", {"page": page})


# Terms listed per page: at 5,000 organizations about a thousand end within the reminder window.
TERMS_PER_PAGE = 100


@login_required
def terms_expiring(request: HttpRequest) -> HttpResponse:
    soon = timezone.localdate() + timedelta(days=TERM_REMINDER_DAYS)
    terms = selectors.terms_expiring(request.user, until=soon)
    page = Paginator(terms, TERMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "organizations/terms_expiring.html", {"page": page, "until": soon, "today": timezone.localdate()}
    )
