"""Pages of the organization tree. Thin: each reads through a selector that takes the user and writes
through a service; out-of-scope objects answer 404 from the selector, forbidden actions 403."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from organizations import selectors, services
from organizations.forms import (
    EndPositionForm,
    GrantRoleForm,
    MemberForm,
    MoveMembersForm,
    OrganizationForm,
    OrgFilterForm,
    PositionForm,
    SubBranchForm,
    TermForm,
    UpgradeForm,
)
from organizations.models import CommitteeTerm, Member, Organization, Position, RoleAssignment
from organizations.panels import org_columns, panels_for
from organizations.roles import Perm
from organizations.rules import TERM_REMINDER_DAYS, setup_findings
from organizations.scope import can, get_visible_or_404
from organizations.todo import todo_panel
from partybuild.edits import add_service_errors, form_submit
from partybuild.names import account_label


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


# --- One organization ------------------------------------------------------------------------------------


@login_required
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get_with_counts(request.user, pk)
    facts = selectors.facts_of(org)
    return render(
        request,
        "organizations/org_detail.html",
        {
            "org": org,
            "ancestors": selectors.visible_ancestors(request.user, org),
            "facts": facts,
            "findings": setup_findings(facts),
            "children": selectors.children_of(request.user, org),
            "positions": selectors.positions_of(org, current_only=True),
            "past_positions": selectors.positions_of(org).filter(ended_on__isnull=False)[:20],
            "terms": selectors.terms_of(org),
            "history": selectors.history_of(org),
            "transfers": list(selectors.transfers_of(org)[:20]),
            "events": selectors.events_of_org(request.user, org, limit=30),
            "perms": _perms(request.user, org),
            "can_move_members": facts.total_members > 0
            and can(request.user, Perm.EDIT_ROSTER, org)
            and selectors.move_targets(request.user, org).exists(),
            "today": timezone.localdate(),
            "panels": panels_for(request.user, org),
            "todo": todo_panel(request.user) if selectors.is_home_of(request.user, "organization", org) else None,
        },
    )


@login_required
def org_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get(request.user, pk, perm=Perm.RESTRUCTURE)
    form = OrganizationForm(request.POST or None, instance=Organization.objects.get(pk=org.pk))
    done = form_submit(
        request,
        form,
        lambda data: services.organization_update(actor=request.user, organization=org, **data),
        success="组织信息已保存",
        then=lambda _: _org_url(org),
    )
    return done or render(
        request, "organizations/form.html", {"org": org, "form": form, "title": f"修改组织信息:{org.name}"}
    )


@login_required
def org_upgrade(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get(request.user, pk, perm=Perm.RESTRUCTURE)
    initial = {
        "new_kind": "general_branch",
        "new_name": org.name.replace("党支部", "党总支"),
        "effective_on": timezone.localdate(),
    }
    form = UpgradeForm(request.POST or None, initial=initial)
    done = form_submit(
        request,
        form,
        lambda data: services.organization_upgrade(actor=request.user, organization=org, **data),
        success="组织设置已调整,原名称和类别已记入沿革",
        then=lambda _: _org_url(org),
    )
    return done or render(
        request,
        "organizations/form.html",
        {
            "org": org,
            "form": form,
            "title": f"升格或改设:{org.name}",
            "confirm": "确定调整该组织的类别和名称吗?原名称将保留在组织沿革中。",
            "intro": "例如党员超过50人的村党支部升格为党总支。升格后可在其下设立党支部并调整党员。",
        },
    )


@login_required
def sub_branch_create(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get(request.user, pk, perm=Perm.RESTRUCTURE)
    members = selectors.member_list(request.user, organization=org).order_by("name")
    form = SubBranchForm(
        request.POST or None,
        members=members,
        initial={"effective_on": timezone.localdate(), "code": selectors.next_child_code(org)},
    )
    done = form_submit(
        request,
        form,
        lambda d: services.sub_branch_create(
            actor=request.user,
            parent=org,
            code=d["code"],
            name=d["name"],
            kind=d["kind"],
            members=d["members"],
            effective_on=d["effective_on"],
            note=d["note"],
        ),
        success=lambda child: f"已设立{child.name},调入党员{len(form.cleaned_data['members'])}名",
        then=_org_url,
    )
    return done or render(
        request, "organizations/form.html", {"org": org, "form": form, "title": f"设立下属党支部:{org.name}"}
    )


@login_required
def members_move(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get(request.user, pk, perm=Perm.EDIT_ROSTER)
    members = selectors.member_list(request.user, organization=org).order_by("name")
    targets = selectors.move_targets(request.user, org)
    form = MoveMembersForm(
        request.POST or None, members=members, targets=targets, initial={"moved_on": timezone.localdate()}
    )
    done = form_submit(
        request,
        form,
        lambda d: services.members_move(
            actor=request.user, members=d["members"], to_org=d["to_org"], moved_on=d["moved_on"], reason=d["reason"]
        ),
        success=lambda moved: f"已将{moved}名党员调整到{form.cleaned_data['to_org'].name}",
        then=lambda _: _org_url(org),
    )
    return done or render(
        request,
        "organizations/form.html",
        {
            "org": org,
            "form": form,
            "title": f"调整党员组织关系:{org.name}",
            "confirm": "确定调整所选党员的组织关系吗?调整记录将永久保留。",
        },
    )


# --- Members ---------------------------------------------------------------------------------------------


@login_required
def member_list(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get(request.user, pk)
    subtree = request.GET.get("subtree") == "1"
    qs = (
        selectors.member_list_subtree(request.user, org)
        if subtree
        else selectors.member_list(request.user, organization=org)
    )
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(name__icontains=q)
    page = Paginator(qs.order_by("organization__path", "name", "pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "organizations/member_list.html",
        {
            "org": org,
            "page": page,
            "q": q,
            "subtree": subtree,
            "perms": _perms(request.user, org),
            "show_personal": selectors.may_see_personal_data(request.user, org),
        },
    )


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(request.user, pk)
    return render(
        request,
        "organizations/member_detail.html",
        {
            "member": member,
            "org": member.organization,
            "show_personal": selectors.may_see_personal_data(request.user, member.organization),
            "perms": _perms(request.user, member.organization),
            "transfers": member.transfers.select_related("from_org", "to_org"),
            "positions": member.positions.select_related("organization"),
            "events": selectors.events_of_member(request.user, member),
        },
    )


@login_required
def member_create(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get(request.user, pk, perm=Perm.EDIT_ROSTER)
    form = MemberForm(request.POST or None)
    done = form_submit(
        request,
        form,
        lambda d: services.member_create(actor=request.user, organization=org, **_member_fields(d)),
        success=lambda member: f"已新增党员{member.name}",
        then=lambda member: redirect("organizations:member_detail", pk=member.pk),
    )
    return done or render(
        request, "organizations/form.html", {"org": org, "form": form, "title": f"新增党员:{org.name}"}
    )


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(request.user, pk, perm=Perm.EDIT_ROSTER)
    form = MemberForm(
        request.POST or None,
        instance=Member.objects.get(pk=member.pk),
        initial={"expected_updated_at": member.updated_at},
    )
    done = form_submit(
        request,
        form,
        lambda d: services.member_update(
            actor=request.user, member=member, expected_updated_at=d.get("expected_updated_at"), **_member_fields(d)
        ),
        success="党员信息已保存",
        then=lambda _: redirect("organizations:member_detail", pk=member.pk),
    )
    return done or render(
        request,
        "organizations/form.html",
        {
            "org": member.organization,
            "form": form,
            "title": f"修改党员信息:{member.name}",
        },
    )


# --- Committee: terms and positions ----------------------------------------------------------------------


@login_required
def term_create(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get(request.user, pk, perm=Perm.EDIT_ROSTER)
    form = TermForm(request.POST or None)
    done = form_submit(
        request,
        form,
        lambda data: services.term_create(actor=request.user, organization=org, **data),
        success="届次已登记,届满日期按任期规定自动计算(村、社区党组织每届5年,其他党总支、党支部每届3年)",
        then=lambda _: _org_url(org),
    )
    return done or render(
        request, "organizations/form.html", {"org": org, "form": form, "title": f"登记班子届次:{org.name}"}
    )


@login_required
def position_create(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get(request.user, pk, perm=Perm.EDIT_ROSTER)
    form = PositionForm(
        request.POST or None,
        members=selectors.member_list_subtree(request.user, org).order_by("name"),
        terms=CommitteeTerm.objects.filter(organization=org),
        initial={"started_on": timezone.localdate()},
    )
    done = form_submit(
        request,
        form,
        lambda data: services.position_assign(actor=request.user, organization=org, **data),
        success="任职已登记",
        then=lambda _: _org_url(org),
    )
    return done or render(
        request, "organizations/form.html", {"org": org, "form": form, "title": f"登记班子成员:{org.name}"}
    )


@login_required
def position_end(request: HttpRequest, pk: int) -> HttpResponse:
    position = get_visible_or_404(
        Position.objects.select_related("organization", "member"), request.user, path_field="organization__path", pk=pk
    )
    org = selectors.organization_get(request.user, position.organization_id, perm=Perm.EDIT_ROSTER)
    form = EndPositionForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    done = form_submit(
        request,
        form,
        lambda data: services.position_end(actor=request.user, position=position, **data),
        success="离任已登记",
        then=lambda _: _org_url(org),
    )
    return done or render(
        request,
        "organizations/form.html",
        {
            "org": org,
            "form": form,
            "title": f"{position.member.name}离任{position.get_post_display()}",
            "confirm": "确定登记离任吗?",
        },
    )


# --- Roles -----------------------------------------------------------------------------------------------


@login_required
def roles(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get(request.user, pk, perm=Perm.GRANT_ROLES)
    grantable = services.grantable_roles(request.user, org)
    if not grantable:
        raise PermissionDenied("您不能在此授予角色")
    form = GrantRoleForm(request.POST or None, roles=grantable)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = get_user_model().objects.filter(username=data["username"].strip()).first()
            if user is None:
                user = services.account_create(
                    actor=request.user,
                    username=data["username"].strip(),
                    full_name=data["full_name"],
                    password=data["password"],
                    organization=org,
                )
            services.role_grant(actor=request.user, user=user, organization=org, role=data["role"])
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"已授予{account_label(user)}角色")
            return redirect("organizations:roles", pk=org.pk)
    return render(
        request,
        "organizations/roles.html",
        {
            "org": org,
            "form": form,
            "assignments": selectors.role_assignments_under(request.user, org),
        },
    )


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_visible_or_404(
        RoleAssignment.objects.select_related("organization", "user"),
        request.user,
        path_field="organization__path",
        pk=pk,
        revoked_at__isnull=True,
    )
    selectors.organization_get(request.user, assignment.organization_id, perm=Perm.GRANT_ROLES)
    services.role_revoke(actor=request.user, assignment=assignment)
    messages.success(request, "角色已撤销")
    return redirect("organizations:roles", pk=assignment.organization_id)
