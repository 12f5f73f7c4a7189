"""The one way in to circulars' objects, and the actions a user may take on them.

A circular is seen by those whose scope holds its sender (the sender's staff and the levels above) and, once sent,
by those whose scope holds one of its recipients (a branch sees only the circulars addressed to it); anything else
is 404 exactly like a missing one. Sending, reminding and closing need ``send_circulars`` on the sender; reading and
replying for a recipient organization need a role held at that organization itself with ``edit_roster`` (its
secretary; the township for a circular the district addressed to the township).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from circulars.models import Circular, CircularFile, Receipt
from circulars.rules.receipts import CircularState
from organizations.access import own_member
from organizations.models import Organization
from organizations.roles import Perm
from organizations.scope import can, get_visible_or_404, grants_for, path_q, scope_paths

VIEW = Perm.VIEW_RECORDS
SEND = Perm.SEND_CIRCULARS
ANSWER = Perm.EDIT_ROSTER  # who keeps an organization's records answers its circulars
NOT_FOUND = "对象不存在或不在您的管辖范围内"


def visible_q(user: Any) -> Q:
    """Circulars the user may open: the sender in scope, or (once sent) a recipient in scope."""
    paths = scope_paths(user)
    addressed = Exists(Receipt.objects.filter(path_q(paths, "organization__path"), circular=OuterRef("pk")))
    return path_q(paths, "sender__path") | (~Q(state=CircularState.DRAFT) & addressed)


def circular_for(user: Any, pk: Any, *, perm: Perm = VIEW) -> Circular:
    qs = Circular.objects.select_related("sender", "created_by", "sent_by").filter(visible_q(user))
    try:
        circular = qs.get(pk=pk)
    except (Circular.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None
    if perm == SEND and not can(user, SEND, circular.sender):
        raise PermissionDenied("只有发文单位的工作人员可以执行此操作")
    return circular


def circular_to_edit(user: Any, pk: Any) -> Circular:
    circular = circular_for(user, pk, perm=SEND)
    if circular.state != CircularState.DRAFT:
        raise PermissionDenied("通知已发送,不能再修改")
    return circular


def receipt_for(user: Any, pk: Any, *, answer: bool = False) -> Receipt:
    """A receipt of a sent circular whose organization is in scope; ``answer``: the user must answer for it (403)."""
    qs = Receipt.objects.select_related("circular__sender", "organization").exclude(circular__state=CircularState.DRAFT)
    receipt = get_visible_or_404(qs, user, path_field="organization__path", pk=pk)
    if answer and not may_answer(user, receipt):
        raise PermissionDenied(f"只有{receipt.organization.name}的书记或工作人员可以签收和回复")
    return receipt


def file_for(user: Any, pk: Any) -> CircularFile:
    """An attachment (seen with its circular) or a reply's file (seen by the sender's side and the replier's)."""
    qs = CircularFile.objects.select_related("circular__sender", "receipt__organization")
    try:
        row = qs.get(pk=pk)
    except (CircularFile.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None
    paths = scope_paths(user)
    sender_side = any(row.circular.sender.path.startswith(p) for p in paths)
    if row.receipt_id is None:
        if sender_side or Circular.objects.filter(visible_q(user), pk=row.circular_id).exists():
            return row
        if own_circular_for(user, row.circular_id) is not None:  # a member reads the attachments, not the replies
            return row
    elif sender_side or any(row.receipt.organization.path.startswith(p) for p in paths):
        return row
    raise Http404(NOT_FOUND)


def sender_choices(user: Any) -> list[Organization]:
    """The organizations the user may send from: where a role with ``send_circulars`` is held (a township, the
    district), widest first."""
    ids = [g.org_id for g in grants_for(user) if SEND in g.perms]
    return list(Organization.objects.filter(pk__in=ids, dissolved_on__isnull=True).order_by("path"))


def require_sender(user: Any) -> list[Organization]:
    choices = sender_choices(user)
    if not choices:
        raise PermissionDenied("只有区委组织部和乡镇(街道)的工作人员可以发送通知公告")
    return choices


def answering_ids(user: Any) -> set[int]:
    """The organizations the user answers circulars for: a role with ``edit_roster`` held at the organization. The
    district's root receives none (a circular goes down the tree), so district staff answer for nothing."""
    return {g.org_id for g in grants_for(user) if ANSWER in g.perms and len(g.path) > Organization.steplen}


def may_answer(user: Any, receipt: Receipt) -> bool:
    return receipt.organization_id in answering_ids(user)


def may_send(user: Any, circular: Circular) -> bool:
    return can(user, SEND, circular.sender)


def own_circular_for(user: Any, pk: Any) -> Circular | None:
    """A sent circular addressed to the organization of the member linked to ``user`` (their home's 通知, read-only);
    None when the user is no such member or the circular is not addressed to their organization."""
    member = own_member(user)
    if member is None:
        return None
    addressed = Exists(Receipt.objects.filter(circular=OuterRef("pk"), organization_id=member.organization_id))
    qs = Circular.objects.select_related("sender").exclude(state=CircularState.DRAFT).filter(addressed)
    try:
        return qs.get(pk=pk)
    except (Circular.DoesNotExist, ValueError, TypeError):
        return None
