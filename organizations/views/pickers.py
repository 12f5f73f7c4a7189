"""The pickers' search endpoints (``core.pickers``): the matching ``<option>``s for htmx, inside the user's scope,
with the permission of the form they serve (out of scope: 404, like the form)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from core import pickers
from organizations import access
from organizations.forms import member_label, organization_label
from organizations.roles import Perm
from organizations.selectors import pickers as picker_selectors


@login_required
@require_GET
def pick_members(request: HttpRequest, pk: int) -> HttpResponse:
    """Members of the organization's subtree for the committee-position form (``?member_q=`` a part of a name)."""
    org = access.organization_for(request.user, pk, perm=Perm.EDIT_ROSTER)
    query = pickers.typed(request, "member")
    matches = picker_selectors.member_matches(request.user, org, query, limit=pickers.SEARCH_LIMIT)
    return pickers.options_response(matches, label=member_label, empty="没有找到该姓名的党员")


@login_required
@require_GET
def pick_targets(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the organization's members may be moved, for the members-move form (``?to_org_q=`` name or code)."""
    org = access.organization_for(request.user, pk, perm=Perm.EDIT_ROSTER)
    query = pickers.typed(request, "to_org")
    matches = picker_selectors.target_matches(request.user, org, query, limit=pickers.SEARCH_LIMIT)
    return pickers.options_response(matches, label=organization_label, empty="没有找到该名称的党组织")
