"""Reads for opening projects: the terms coming to an end (A13), one organization's form, a township's villages in a
batch. Always through the user's scope: out of scope is the same 404 as missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet

from elections.access import may_open_for
from elections.models import ElectionProject, Phase
from organizations.models import CommitteeTerm, Organization
from organizations.roles import Perm
from organizations.rules import TERM_REMINDER_DAYS  # A13
from organizations.scope import path_q, scope_paths
from organizations.selectors import current_secretaries, terms_expiring

DEFAULT_LEAD_DAYS = 60  # a new project's election day when the term has already ended: two months to run 32 steps


def running_projects(user: Any, org_ids: list[int]) -> dict[int, ElectionProject]:
    """The running (not closed) project of each organization; the ids come from a read in the user's scope."""
    rows = ElectionProject.objects.filter(organization_id__in=org_ids).exclude(status=Phase.CLOSED)
    return {p.organization_id: p for p in rows}


def terms_to_renew(
    user: Any, today: date, *, township: Organization | None = None, show: str = ""
) -> QuerySet[CommitteeTerm]:
    """A13: latest terms in scope ending within six months (or already ended), ended first. ``township`` (from
    ``access``): only its organizations with no running project; ``show`` "soon" or "ended": only those with no
    running project, ending later or already ended. Filtered in SQL, so that the page lists one page of them."""
    terms = terms_expiring(user, until=today + timedelta(days=TERM_REMINDER_DAYS))
    if township is not None or show in ("soon", "ended"):
        running = ElectionProject.objects.exclude(status=Phase.CLOSED).values("organization_id")
        terms = terms.exclude(organization_id__in=running)
    if township is not None:
        terms = terms.filter(organization__path__startswith=township.path)
    if show == "ended":
        terms = terms.filter(ends_on__lt=today)
    elif show == "soon":
        terms = terms.filter(ends_on__gte=today)
    return terms


def renewal_rows(user: Any, terms: Iterable[CommitteeTerm], today: date) -> list[dict[str, Any]]:
    """Each term of a page of ``terms_to_renew`` with its running project, its secretary and whether the user may
    open one (two queries whatever the number of rows)."""
    terms = list(terms)
    ids = [t.organization_id for t in terms]
    projects = running_projects(user, ids)
    secretaries = current_secretaries(user, ids)
    return [
        {
            "term": t,
            "organization": t.organization,
            "days_left": (t.ends_on - today).days,
            "project": projects.get(t.organization_id),
            "secretary": secretaries.get(t.organization_id, ""),
            "may_open": t.organization_id not in projects and may_open_for(user, t.organization),
        }
        for t in terms
    ]


def open_defaults(user: Any, org: Organization, today: date) -> dict[str, Any]:
    """The form's first values: seats as the previous term, the election day at the term's end (or in two months)."""
    term = CommitteeTerm.objects.filter(organization=org).order_by("-elected_on").first()
    election_date = today + timedelta(days=DEFAULT_LEAD_DAYS)
    if term is not None and term.ends_on > election_date:
        election_date = term.ends_on
    return {"term": term, "seats": term.seats if term else 3, "election_date": election_date}


def batch_rows(user: Any, township: Organization, today: date) -> list[dict[str, Any]]:
    """The township's organizations one level down, active and in scope, with their latest term and any running
    project (three queries)."""
    orgs = list(
        Organization.objects.filter(path_q(scope_paths(user, Perm.ELECTION_MANAGE)))
        .filter(path__startswith=township.path, depth=township.depth + 1, dissolved_on__isnull=True)
        .order_by("path")
    )
    ids = [o.pk for o in orgs]
    latest: dict[int, CommitteeTerm] = {}
    for term in CommitteeTerm.objects.filter(organization_id__in=ids).order_by("organization_id", "-elected_on"):
        latest.setdefault(term.organization_id, term)
    projects = running_projects(user, ids)
    soon = today + timedelta(days=TERM_REMINDER_DAYS)
    return [
        {
            "organization": o,
            "term": latest.get(o.pk),
            "project": projects.get(o.pk),
            "expiring": o.pk in latest and latest[o.pk].ends_on <= soon,
        }
        for o in orgs
    ]
