"""The one way in to a transfer: ``transfer_for(user, pk)`` answers 404 for a missing transfer and for one the user
may read at neither end (the same words); the moves check their own permission (``services.workflow``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from organizations.access import member_for, organization_for
from transfers.models import TransferRequest
from transfers.selectors.requests import may_print, visible_q

NOT_FOUND = "对象不存在或不在您的管辖范围内"

__all__ = ["member_for", "organization_for", "transfer_for", "transfer_to_print"]


def transfer_for(user: Any, pk: Any) -> TransferRequest:
    qs = TransferRequest.objects.filter(visible_q(user)).select_related(
        "from_org", "to_org", "member__organization", "issuing_committee"
    )
    try:
        return qs.get(pk=pk)
    except (TransferRequest.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None


def transfer_to_print(user: Any, pk: Any) -> TransferRequest:
    transfer = transfer_for(user, pk)
    if not may_print(user, transfer):
        raise PermissionDenied("介绍信开具后,由转出或接收党组织有权查看身份证号的人员打印")
    return transfer
