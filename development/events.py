"""What the development app gives other apps through their registries: the people of an organization trained in a
year, for the rectification case's 3/2/1 targets (``rectification.events.register_development_source``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q

from development.models import Applicant
from rectification.rules.ledger import DevelopmentPerson, TargetKind

# Which date of a record counts toward which target (part 2 §五(六): 培养成积极分子, 发展对象, 发展党员).
COUNTED = (
    ("activist_on", TargetKind("activist")),
    ("target_on", TargetKind("development_target")),
    ("admitted_on", TargetKind("new_member")),
)


def development_people(organization: Any, year: int) -> list[DevelopmentPerson] | None:
    """One row per stage a person of ``organization``'s subtree reached in ``year`` (dated that day); None when the
    subtree has no record with any date in the year (the case's ledger then counts its own entries). One query."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    in_year = Q()
    for name in ("applied_on", *(f for f, _ in COUNTED)):
        in_year |= Q(**{f"{name}__gte": start, f"{name}__lte": end})
    rows = Applicant.objects.filter(in_year, organization__path__startswith=organization.path).values(
        "birth_date", "education", *(f for f, _ in COUNTED)
    )
    found = None
    for row in rows:
        found = found or []
        for name, kind in COUNTED:
            day = row[name]
            if day is not None and start <= day <= end:
                found.append(DevelopmentPerson(kind, row["birth_date"], row["education"], day))
    return found
