"""Maintained counts on the organization (issue 15): current members, full members and committee seats.

The numbers are recounted, never incremented: ``counts_refresh(ids)`` counts the given organizations' rows again
(two GROUP BY queries over their members and positions only) and writes what changed, so a caller that refreshes
too often wastes a query but can never make a count drift. Every service that changes what is counted calls it inside
its transaction (members.py: create, update; tree.py: members_move; member_import.py; committee.py: position assign
and end). Anything written behind the services' back (a bulk load, a shell) is found and fixed by
``counts_repair`` (``manage.py organizations_recount``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q

from organizations.models import Member, MemberStatus, Organization, Position
from organizations.rules import ELECTED_POSTS

COUNT_FIELDS = ("member_count", "full_member_count", "seat_count")


def _counted(org_ids: Iterable[int] | None) -> dict[int, tuple[int, int, int]]:
    members = Member.objects.filter(left_on__isnull=True)
    seats = Position.objects.filter(ended_on__isnull=True, post__in=ELECTED_POSTS)
    if org_ids is not None:
        members, seats = members.filter(organization_id__in=org_ids), seats.filter(organization_id__in=org_ids)
    counts: dict[int, list[int]] = {}
    for org_id, total, full in (
        members.order_by()
        .values("organization_id")
        .annotate(total=Count("pk"), full=Count("pk", filter=Q(status=MemberStatus.FULL)))
        .values_list("organization_id", "total", "full")
    ):
        counts[org_id] = [total, full, 0]
    for org_id, n in (
        seats.order_by()
        .values("organization_id")
        .annotate(n=Count("member", distinct=True))
        .values_list("organization_id", "n")
    ):
        counts.setdefault(org_id, [0, 0, 0])[2] = n
    return {k: tuple(v) for k, v in counts.items()}


def _write(orgs: Iterable[Organization], counted: dict[int, tuple[int, int, int]]) -> int:
    stale = []
    for org in orgs:
        fresh = counted.get(org.pk, (0, 0, 0))
        if (org.member_count, org.full_member_count, org.seat_count) != fresh:
            org.member_count, org.full_member_count, org.seat_count = fresh
            stale.append(org)
    Organization.objects.bulk_update(stale, COUNT_FIELDS, batch_size=1000)
    return len(stale)


def counts_refresh(org_ids: Iterable[int | None]) -> int:
    """Count the members and seats of these organizations again and store what changed; how many changed. Called
    by the services inside their transaction (no permission of its own: it writes nothing a user typed)."""
    ids = sorted({i for i in org_ids if i is not None})
    if not ids:
        return 0
    orgs = Organization.objects.filter(pk__in=ids).only("pk", *COUNT_FIELDS)
    return _write(orgs, _counted(ids))


def counts_repair(*, fix: bool = True) -> list[tuple[Organization, tuple[int, int, int], tuple[int, int, int]]]:
    """Every organization whose stored counts differ from its rows: (organization, stored, counted); stored
    again when ``fix``. Three queries whatever the size."""
    counted = _counted(None)
    orgs = list(Organization.objects.only("pk", "code", "name", *COUNT_FIELDS))
    wrong = [
        (o, (o.member_count, o.full_member_count, o.seat_count), counted.get(o.pk, (0, 0, 0)))
        for o in orgs
        if (o.member_count, o.full_member_count, o.seat_count) != counted.get(o.pk, (0, 0, 0))
    ]
    if fix:
        _write([o for o, _stored, _counted in wrong], counted)
    return wrong
