"""Reads of organizational life's compliance: the year's requirements, the months × kinds matrix of one
organization, a township's organizations, the district's coverage by township. Counts come from one aggregate query
per page (meetings grouped by organization, kind and month), never one query per organization; the rhythm is judged
by the pure rules (``meetings.rules.frequency``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from core.queries import count_subquery
from meetings.models import Meeting
from meetings.models import Requirement as RequirementRow
from meetings.rules import frequency as rules
from organizations.models import GRADED_KINDS, Member, MemberStatus, Organization, OrgKind
from organizations.scope import path_q, scope_paths

TOWNSHIPS_PER_PAGE = 6

MonthCounts = dict[int, dict[str, dict[int, int]]]  # org id → kind → month → meetings


def requirements(user: Any, year: int) -> dict[str, rules.Requirement]:
    """The year's requirement of every kind: the district's row where it set one, else the file's default."""
    found = rules.default_requirements()
    for row in RequirementRow.objects.filter(year=year):
        found[row.kind] = rules.Requirement(row.kind, row.rhythm, row.times, row.active)
    return found


def requirement_rows(user: Any, year: int) -> dict[str, RequirementRow]:
    return {r.kind: r for r in RequirementRow.objects.filter(year=year).select_related("updated_by")}


def _with_facts(qs: QuerySet[Organization]) -> QuerySet[Organization]:
    full = Member.objects.filter(
        organization__path__startswith=OuterRef("path"), left_on__isnull=True, status=MemberStatus.FULL
    )
    groups = Organization.objects.filter(
        path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1, kind=OrgKind.PARTY_GROUP
    )
    return qs.annotate(mt_full=count_subquery(full), mt_groups=Exists(groups))


def _facts(org: Organization) -> rules.OrgFacts:
    return rules.OrgFacts(kind=org.kind, full_members=org.mt_full, has_groups=bool(org.mt_groups))


def _month_counts(org_ids: Iterable[int], year: int) -> MonthCounts:
    """Meetings held by organization, kind and month of ``year``: one grouped query."""
    found: MonthCounts = defaultdict(lambda: defaultdict(dict))
    rows = (
        Meeting.objects.filter(organization_id__in=list(org_ids), held_on__year=year)
        .annotate(month=ExtractMonth("held_on"))
        .values("organization_id", "kind", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        found[row["organization_id"]][row["kind"]][row["month"]] = row["n"]
    return found


@dataclass(frozen=True)
class OrgCompliance:
    organization: Organization
    kinds: list[rules.KindCompliance]

    @property
    def required(self) -> list[rules.KindCompliance]:
        return [k for k in self.kinds if k.required]

    @property
    def missed(self) -> int:
        return sum(len(k.missed) for k in self.kinds)

    @property
    def ok(self) -> bool:
        return self.missed == 0


def _compliance(
    orgs: Iterable[Organization], year: int, reqs: dict[str, rules.Requirement], counts: MonthCounts
) -> list[OrgCompliance]:
    today = timezone.localdate()
    result = []
    for org in orgs:
        facts = _facts(org)
        since = org.established_on if org.established_on and org.established_on.year == year else None
        kinds = [
            rules.kind_compliance(
                req,
                counts.get(org.pk, {}).get(kind, {}),
                year=year,
                today=today,
                required=rules.applies(kind, facts),
                since=since,
            )
            for kind, req in reqs.items()
        ]
        result.append(OrgCompliance(org, kinds))
    return result


def compliance_of(user: Any, org: Organization, year: int) -> OrgCompliance:
    """The matrix of one organization the caller reached through ``meetings.access`` (three queries)."""
    annotated = _with_facts(Organization.objects.filter(pk=org.pk)).get()
    reqs = requirements(user, year)
    return _compliance([annotated], year, reqs, _month_counts([org.pk], year))[0]


def _graded_under(user: Any, township: Organization) -> QuerySet[Organization]:
    return Organization.objects.filter(
        path_q(scope_paths(user)),
        path__startswith=township.path,
        depth__gt=township.depth,
        kind__in=GRADED_KINDS,
        dissolved_on__isnull=True,
    ).order_by("path")


def township_compliance(user: Any, township: Organization, year: int) -> list[OrgCompliance]:
    """Every graded organization under the township with its matrix: four queries whatever their number."""
    orgs = list(_with_facts(_graded_under(user, township)))
    return _compliance(orgs, year, requirements(user, year), _month_counts([o.pk for o in orgs], year))


@dataclass(frozen=True)
class KindCoverage:
    label: str
    required: int  # organizations of which the kind is required
    ok: int  # … with no period missed so far

    @property
    def percent(self) -> int | None:
        return round(100 * self.ok / self.required) if self.required else None


@dataclass(frozen=True)
class TownshipCoverage:
    township: Organization
    organizations: int
    compliant: int  # organizations without a missed period
    kinds: list[KindCoverage]


def coverage(user: Any, townships: Iterable[Organization], year: int) -> list[TownshipCoverage]:
    """Coverage per township: of the organizations each kind is required of, how many kept its rhythm so far."""
    townships = list(townships)
    if not townships:
        return []
    orgs = list(
        _with_facts(
            Organization.objects.filter(
                path_q([t.path for t in townships]), kind__in=GRADED_KINDS, dissolved_on__isnull=True, depth__gt=2
            )
        )
    )
    reqs = requirements(user, year)
    all_rows = _compliance(orgs, year, reqs, _month_counts([o.pk for o in orgs], year))
    result = []
    for township in townships:
        rows = [r for r in all_rows if r.organization.path.startswith(township.path)]
        kinds = []
        for index, req in enumerate(reqs.values()):
            required = [r.kinds[index] for r in rows if r.kinds[index].required]
            kinds.append(KindCoverage(rules.type_info(req.kind).label, len(required), sum(1 for k in required if k.ok)))
        result.append(TownshipCoverage(township, len(rows), sum(1 for r in rows if r.ok), kinds))
    return result


def district_coverage(user: Any, year: int, page: Any = 1) -> tuple[Page, list[TownshipCoverage]]:
    """The district's coverage, a page of townships at a time."""
    townships = Organization.objects.filter(path_q(scope_paths(user)), depth=2).order_by("path")
    paged = Paginator(townships, TOWNSHIPS_PER_PAGE).get_page(page)
    return paged, coverage(user, paged.object_list, year)


def compliance_for_ids(user: Any, org_ids: Iterable[int], year: int) -> list[OrgCompliance]:
    """The matrices of organizations a caller has already scoped (grading's evidence asks with the ids of the pages
    it shows; ``user`` may be None there): four queries whatever their number."""
    orgs = list(_with_facts(Organization.objects.filter(pk__in=list(org_ids)).order_by("path")))
    return _compliance(orgs, year, requirements(user, year), _month_counts([o.pk for o in orgs], year))


def graded_with_counts(user: Any, year: int) -> tuple[list[Organization], MonthCounts, dict[str, rules.Requirement]]:
    """Every graded organization of the district with its facts, the year's meetings by month and the year's
    requirements (the daily reminders, run by the system: ``user`` is None)."""
    orgs = list(_with_facts(Organization.objects.filter(depth__gt=2, kind__in=GRADED_KINDS, dissolved_on__isnull=True)))
    return orgs, _month_counts([o.pk for o in orgs], year), requirements(user, year)


def facts_of(user: Any, org: Organization) -> rules.OrgFacts:
    """The facts of an organization from a list these selectors annotated."""
    return _facts(org)
