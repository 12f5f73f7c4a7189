"""The one way in to the dues app's objects, and what a user may do with them.

``<thing>_for(user, pk, *, perm)`` returns the object inside the user's scope or raises: out of scope (or missing)
answers 404 exactly like a missing object; visible but ``perm`` not held there answers 403. Dues reuse the roster's
permissions (a member's dues are part of keeping the roster, 党员管理): reading ``view_records``; the amounts (base,
due, paid: personal data, like ID numbers) ``view_personal_data``; recording ``edit_roster``; exporting
``export_roster``; importing a past year ``import_roster``.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from dues.models import Payment
from organizations.access import member_for as member_in_scope
from organizations.access import organization_for as organization_in_scope
from organizations.models import Member, Organization
from organizations.roles import Perm
from organizations.scope import can, get_visible_or_404, require

VIEW = Perm.VIEW_RECORDS
RECORD = Perm.EDIT_ROSTER
AMOUNTS = Perm.VIEW_PERSONAL_DATA
EXPORT = Perm.EXPORT_ROSTER
IMPORT = Perm.IMPORT_ROSTER
NOT_FOUND = "对象不存在或不在您的管辖范围内"
TOWNSHIP_DEPTH = 2


def organization_for(user: Any, pk: Any, *, perm: Perm = VIEW) -> Organization:
    return organization_in_scope(user, pk, perm=perm)


def township_for(user: Any, pk: Any, *, perm: Perm = VIEW) -> Organization:
    """A township-level committee in scope (anything else, or out of scope: 404)."""
    org = organization_in_scope(user, pk, perm=perm)
    if org.depth != TOWNSHIP_DEPTH:
        raise Http404(NOT_FOUND)
    return org


def member_for(user: Any, pk: Any, *, perm: Perm = VIEW) -> Member:
    return member_in_scope(user, pk, perm=perm)


def payment_for(user: Any, pk: Any, *, perm: Perm = RECORD) -> Payment:
    qs = Payment.objects.select_related("dues_month__member", "dues_month__organization")
    payment = get_visible_or_404(qs, user, path_field="dues_month__organization__path", pk=pk)
    require(user, perm, payment.dues_month.organization)
    return payment


def may_see_amounts(user: Any, org: Organization) -> bool:
    """Personal amounts are shown only to those who may see personal data there (others see the states only)."""
    return can(user, AMOUNTS, org)


def actions_for(user: Any, org: Organization) -> dict[str, bool]:
    """The buttons a dues page of ``org`` may show."""
    return {
        "record": can(user, RECORD, org),
        "amounts": can(user, AMOUNTS, org),
        "export": can(user, EXPORT, org),
        "import": can(user, IMPORT, org),
    }
