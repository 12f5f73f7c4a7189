"""The overviews: the district's, a township's, the list of organizations, setup findings, terms ending."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from organizations import selectors
from organizations.forms import (
    OrgFilterForm,
)
from organizations.models import Organization
from organizations.panels import org_columns
from organizations.roles import Perm
from organizations.rules import TERM_REMINDER_DAYS, setup_findings
from organizations.scope import can
from organizations.todo import todo_panel
from partybuild.edits import add_service_errors


def _form_error(form: Any, exc: ValidationError) -> None:
    add_service_errors(form, exc)


def _member_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The member's own fields of MemberForm's data (without the version the page was loaded with)."""
    return {k: v for k, v in data.items() if k != "expected_updated_at"}


def _perms(user: Any, org: Organization) -> dict[str, bool]:
    """Which actions the page offers (no dead buttons: only what the user may do)."""
    return {p.name.lower(): can(user, p, org) for p in Perm}


def _org_url(org: Organization) -> Any:
    return redirect("organizations:org_detail", pk=org.pk)


# --- Overviews -------------------------------------------------------------------------------------------


@login_required
def district_overview(request: HttpRequest) -> HttpResponse:
    root = Organization.objects.get_first_root_node()
    if root is None:
        raise Http404("尚未建立组织")
    district = selectors.organization_get(request.user, root.pk)
    if not can(request.user, Perm.VIEW_RECORDS, district):
        raise Http404
    orgs = selectors.organizations_with_member_counts(request.user)
    townships = _townships_with_stats(orgs)
    findings = selectors.setup_findings_of(orgs)
    soon = timezone.localdate() + timedelta(days=TERM_REMINDER_DAYS)
    expiring = selectors.terms_expiring(request.user, until=soon)
    totals = {
        "townships": len(townships),
        "graded": sum(t.graded_count for t in townships),
        "members": sum(t.member_count for t in townships),
    }
    return render(
        request,
        "organizations/district_overview.html",
        {
            "district": district,
            "townships": townships,
            "totals": totals,
            "findings": findings[:10],
            "findings_count": len(findings),
            "expiring_count": expiring.count(),
            "todo": todo_panel(request.user) if selectors.is_home_of(request.user, "district") else None,
        },
    )


def _townships_with_stats(orgs: list[Organization]) -> list[Organization]:
    """The townships among ``orgs`` (from ``organizations_with_member_counts``, in tree order) with, summed from
    the organizations below each: ``graded_count`` (graded, not dissolved) and ``member_count`` (current members).
    No query: the counts were taken once for the whole scope, instead of two correlated subqueries per township
    over 150,000 members."""
    townships = [o for o in orgs if o.depth == 2]
    by_path = {t.path: t for t in townships}
    for t in townships:
        t.graded_count = t.member_count = 0
    width = 2 * Organization.steplen
    for o in orgs:
        t = by_path.get(o.path[:width])
        if t is not None:
            t.member_count += o.total_members
            if o.is_graded and o.dissolved_on is None:
                t.graded_count += 1
    return townships


@login_required
def township(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get(request.user, pk)
    if org.depth != 2:
        raise Http404
    filters = OrgFilterForm(request.GET or None)
    qs = selectors.organizations_with_counts(
        selectors.organization_list(request.user).filter(path__startswith=org.path, depth__gt=2)
    )
    qs = _apply_filters(qs, filters)
    page = Paginator(qs.order_by("path"), 100).get_page(request.GET.get("page"))
    rows = [(o, setup_findings(selectors.facts_of(o))) for o in page]
    secretaries = selectors.current_secretaries([o.pk for o in page])
    return render(
        request,
        "organizations/township.html",
        {
            "township": org,
            "page": page,
            "rows": [(o, f, secretaries.get(o.pk)) for o, f in rows],
            "filters": filters,
            "perms": _perms(request.user, org),
            # The home of township staff and viewers: what waits for them (not for the district passing through).
            "todo": todo_panel(request.user) if selectors.is_home_of(request.user, "township", org) else None,
        },
    )


def _apply_filters(qs: Any, filters: OrgFilterForm) -> Any:
    if filters.is_valid():
        data = filters.cleaned_data
        if data.get("q"):
            qs = qs.filter(Q(name__icontains=data["q"]) | Q(code__icontains=data["q"]))
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("field"):
            qs = qs.filter(field=data["field"])
    return qs


@login_required
def org_list(request: HttpRequest) -> HttpResponse:
    filters = OrgFilterForm(request.GET or None)
    qs = _apply_filters(selectors.organization_list_with_counts(request.user), filters).order_by("path")
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
            "rows": [(o, setup_findings(selectors.facts_of(o)), None, extra(o)) for o in page],
            "filters": filters,
            "columns": columns.labels if columns else [],
            "liaison_home": liaison_home,
            "todo": todo_panel(request.user) if liaison_home else None,
        },
    )


@login_required
def setup_findings_list(request: HttpRequest) -> HttpResponse:
    findings = selectors.setup_findings_list(request.user)
    return render(request, "organizations/setup_findings.html", {"items": findings})


@login_required
def terms_expiring(request: HttpRequest) -> HttpResponse:
    soon = timezone.localdate() + timedelta(days=TERM_REMINDER_DAYS)
    terms = selectors.terms_expiring(request.user, until=soon)
    return render(
        request, "organizations/terms_expiring.html", {"terms": terms, "until": soon, "today": timezone.localdate()}
    )
