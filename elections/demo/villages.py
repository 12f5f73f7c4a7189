"""Which villages the elections demo runs on: rural village branches whose latest term ends within six months (or has
ended), with enough full members for a committee, a margin, scrutineers and a quorum."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import OuterRef, Subquery

from organizations.models import CommitteeTerm, Member, MemberStatus, Organization, OrgField, OrgKind
from organizations.rules import TERM_REMINDER_DAYS

EXPIRY_WINDOW = timedelta(days=TERM_REMINDER_DAYS)  # A13: remind about six months ahead
MIN_FULL_MEMBERS = 15  # enough for a committee of up to 5, a margin, scrutineers and a quorum with room to spare


def expiring_villages(root: Organization, today: date) -> list[tuple[Organization, CommitteeTerm]]:
    """Rural village branches whose latest term ends within six months (or has ended), big enough for a demo."""
    latest = CommitteeTerm.objects.filter(organization=OuterRef("organization")).order_by("-elected_on").values("pk")
    terms = (
        CommitteeTerm.objects.filter(pk=Subquery(latest[:1]))
        .filter(
            organization__path__startswith=root.path,
            organization__field=OrgField.RURAL,
            organization__kind=OrgKind.BRANCH,
            organization__dissolved_on__isnull=True,
            ends_on__lte=today + EXPIRY_WINDOW,
            seats__gte=3,
        )
        .select_related("organization")
        .order_by("ends_on", "organization__path")
    )
    rows = []
    for term in terms:
        full = Member.objects.filter(
            organization=term.organization, status=MemberStatus.FULL, left_on__isnull=True
        ).count()
        if full >= MIN_FULL_MEMBERS:
            rows.append((term.organization, term))
    return rows
