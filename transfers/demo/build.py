"""Demo data of membership transfers: two open transfers, so the list, both organization pages, the home to-do and
the 介绍信 have something to show. One 区内转接 from the first township's last graded organization to the second
township's, its letter issued and waiting for the receiver to confirm (待接收); one 转出区外 from the last township,
its letter issued and its 回执 not yet back (已开出介绍信). Made through the services (letter numbers, audit events),
the last full member of each organization; a few queries. Idempotent: a district with a demo transfer is left
alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from organizations.models import Member, MemberStatus, Organization, RoleAssignment
from organizations.roles import Role
from transfers.models import TransferKind, TransferRequest
from transfers.models.requests import OPEN_STATES
from transfers.services.requests import transfer_start
from transfers.services.workflow import Action, transfer_move

WITHIN_REASON = "工作调动,到新单位所在地党组织参加组织生活"
OUT_REASON = "户籍迁往外地,到居住地社区党组织参加组织生活"
OUT_TO = "浙江省杭州市西湖区北山街道保俶塔社区党委"


@dataclass(frozen=True)
class TransferDemoSummary:
    created: bool
    transfers: int


def _holder(org: Organization, role: Role) -> Any:
    row = (
        RoleAssignment.objects.filter(organization=org, role=role, revoked_at__isnull=True, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return row.user if row else None


def _last_graded(township: Organization, but: Organization | None = None) -> Organization | None:
    qs = Organization.objects.filter(path__startswith=township.path, is_graded=True, dissolved_on__isnull=True)
    if but is not None:
        qs = qs.exclude(pk=but.pk)
    return qs.order_by("-path").first()


def _member(org: Organization) -> Member | None:
    """The organization's last full member not already in transit."""
    return (
        Member.objects.filter(organization=org, left_on__isnull=True, status=MemberStatus.FULL)
        .exclude(transfer_requests__state__in=OPEN_STATES)
        .order_by("-pk")
        .first()
    )


def _month_before(day: date) -> str:
    first = day.replace(day=1) - timedelta(days=1)
    return f"{first:%Y-%m}"


def _open(
    township: Organization, org: Organization, kind: str, reason: str, days_ago: int, **to: Any
) -> TransferRequest | None:
    member, staff = _member(org), _holder(township, Role.TOWNSHIP_STAFF)
    if member is None or staff is None:
        return None
    starter = _holder(org, Role.BRANCH_SECRETARY) or staff
    today = timezone.localdate()
    started = today - timedelta(days=days_ago)
    transfer = transfer_start(actor=starter, member=member, kind=kind, reason=reason, started_on=started, **to)
    issued = started + timedelta(days=1)
    return transfer_move(
        actor=staff, transfer=transfer, action=Action.ISSUE, on=issued, dues_paid_to=_month_before(issued)
    )


def build_transfers_demo(root: Organization) -> TransferDemoSummary:
    existing = TransferRequest.objects.filter(
        from_org__path__startswith=root.path, reason__in=(WITHIN_REASON, OUT_REASON)
    ).count()
    if existing:
        return TransferDemoSummary(False, existing)
    townships = list(Organization.objects.filter(path__startswith=root.path, depth=2).order_by("path"))
    if not townships:
        return TransferDemoSummary(False, 0)
    made = []
    with transaction.atomic():
        source = _last_graded(townships[0])
        target = _last_graded(townships[1] if len(townships) > 1 else townships[0], but=source)
        if source is not None and target is not None:
            made.append(_open(townships[0], source, TransferKind.WITHIN, WITHIN_REASON, 6, to_org=target))
        out_org = _last_graded(townships[-1], but=source)
        if out_org is not None:
            made.append(_open(townships[-1], out_org, TransferKind.OUT, OUT_REASON, 12, to_name=OUT_TO))
    return TransferDemoSummary(True, sum(1 for t in made if t is not None))
