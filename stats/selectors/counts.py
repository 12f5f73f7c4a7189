"""The membership in figures (issue 17 §1): counts of an organization's current members by band and category, and the
same counts for each organization directly under it (for the district: one row per township).

Every count is an SQL aggregate: one query with a ``COUNT(*) FILTER``/``CASE`` per category for the whole subtree, one
grouped by the child's path prefix (the materialized path: ``substr(path, 1, len(org.path) + steplen)``), and the same
two for the free-text occupation. Nothing is counted in Python and the number of queries does not grow with the
number of members or organizations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from development.selectors.counts import pipeline_counts
from organizations.models import Education, Gender, Member, MemberStatus, Organization
from organizations.scope import path_q, scope_paths
from stats.rules.bands import AGE_BANDS, PARTY_AGE_BANDS, Band, start_bounds

HAN = "汉族"
TOP_OCCUPATIONS = 12  # the most frequent occupations get a column each; the rest are summed as 其他
OTHER = "其他"
UNFILLED = "未填写"


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    q: Q | None  # None: not one condition (the occupations' 其他), so not drilled into


@dataclass
class Row:
    label: str
    org: Organization | None
    counts: list[int]
    total: int


@dataclass
class Table:
    key: str
    title: str
    categories: list[Category]
    total: Row
    rows: list[Row] = field(default_factory=list)


TITLES = {
    "age": "年龄结构",
    "gender": "性别",
    "ethnicity": "民族",
    "education": "文化程度",
    "occupation": "从事职业",
    "party_age": "党龄",
    "status": "正式党员和预备党员",
    "migrant": "流动党员",
}


def _band_q(column: str, band: Band, day: date) -> Q:
    after, on_or_before = start_bounds(band, day)
    q = Q()
    if after is not None:
        q &= Q(**{f"{column}__gt": after})
    if on_or_before is not None:
        q &= Q(**{f"{column}__lte": on_or_before})
    return q


def _fixed_categories(day: date) -> dict[str, list[Category]]:
    """Every table but the occupations: its categories, each one condition on a member (they partition the members)."""
    return {
        "age": [Category(b.key, b.label, _band_q("birth_date", b, day)) for b in AGE_BANDS],
        "gender": [Category(v, label, Q(gender=v)) for v, label in Gender.choices],
        "ethnicity": [Category("han", HAN, Q(ethnicity=HAN)), Category("minority", "少数民族", ~Q(ethnicity=HAN))],
        "education": [Category(v, label, Q(education=v)) for v, label in Education.choices],
        "party_age": [Category(b.key, b.label, _band_q("joined_on", b, day)) for b in PARTY_AGE_BANDS],
        "status": [Category(v, label, Q(status=v)) for v, label in MemberStatus.choices],
        "migrant": [Category("yes", "流动党员", Q(is_migrant=True)), Category("no", "非流动党员", Q(is_migrant=False))],
    }


def members_under(user: Any, org: Organization) -> QuerySet[Member]:
    """Current members of ``org``'s subtree inside the user's scope (``org`` came through ``stats.access``)."""
    return Member.objects.filter(
        path_q(scope_paths(user), "organization__path"),
        organization__path__startswith=org.path,
        left_on__isnull=True,
    )


def _aggregates(categories: dict[str, list[Category]]) -> dict[str, Any]:
    out = {}
    for t, cats in categories.items():
        for i, c in enumerate(cats):
            condition = c.q if c.q is not None else _other_q(cats)
            out[f"{t}__{i}"] = Count("pk", filter=condition) if condition else Count("pk")
    return out


def _occupation_categories(user: Any, org: Organization) -> list[Category]:
    rows = (
        members_under(user, org)
        .values("occupation")
        .annotate(n=Count("pk"))
        .order_by("-n", "occupation")[:TOP_OCCUPATIONS]
    )
    top = [r["occupation"] for r in rows]
    cats = [_occupation(occ) for occ in top]
    return [*cats, Category("other", OTHER, None)]


def _occupation(text: str) -> Category:
    return Category(f"o:{text}", text or UNFILLED, Q(occupation=text))


def _other_q(categories: list[Category]) -> Q:
    """The occupations without a column of their own (empty when every one has)."""
    named = [c.key.removeprefix("o:") for c in categories if c.q is not None]
    return ~Q(occupation__in=named) if named else Q()


def membership_tables(user: Any, org: Organization, *, day: date, by_child: bool = True) -> list[Table]:
    """The tables of ``org``'s subtree on ``day``: totals, and with ``by_child`` a row per organization directly
    under ``org`` (members at ``org`` itself in a row of their own, 本级). Six queries whatever the size."""
    categories = _fixed_categories(day)
    categories["occupation"] = _occupation_categories(user, org)
    members = members_under(user, org)
    totals = members.aggregate(_all=Count("pk"), **_aggregates(categories))
    tables = {
        key: Table(
            key, TITLES[key], cats, Row("合计", org, [totals[f"{key}__{i}"] for i in range(len(cats))], totals["_all"])
        )
        for key, cats in categories.items()
    }
    if by_child:
        _add_child_rows(user, org, members, categories, tables)
    return [tables[key] for key in TITLES]


def _add_child_rows(
    user: Any, org: Organization, members: QuerySet[Member], categories: dict[str, list[Category]], tables: dict
) -> None:
    children = children_of(user, org)
    if not children:
        return  # an organization with nothing under it: its totals are the whole story
    width = len(org.path) + Organization.steplen
    grouped = {
        r["branch"]: r
        for r in members.annotate(branch=Substr("organization__path", 1, width))
        .values("branch")
        .annotate(_all=Count("pk"), **_aggregates(categories))
        .order_by()
    }
    groups: list[tuple[str, Organization | None, str]] = [
        (c.path, c, c.name)
        for c in children
        if c.dissolved_on is None or c.path in grouped  # 撤销 and empty: no row
    ]
    if org.path in grouped:
        groups.insert(0, (org.path, None, f"{org.name}本级"))
    for path, child, label in groups:
        counts = grouped.get(path, {})
        for key, cats in categories.items():
            values = [counts.get(f"{key}__{i}", 0) for i in range(len(cats))]
            tables[key].rows.append(Row(label, child, values, counts.get("_all", 0)))


def children_of(user: Any, org: Organization) -> list[Organization]:
    """The organizations directly under ``org`` (for the district: the townships), in tree order."""
    return list(
        Organization.objects.filter(path_q(scope_paths(user)), path__startswith=org.path, depth=org.depth + 1)
        .only("pk", "path", "name", "depth", "dissolved_on")
        .order_by("path")
    )


def drill_condition(user: Any, org: Organization, table: str, key: str, *, day: date) -> Category | None:
    """The category ``table``/``key`` names (no table: every current member), or None when it names none (or 其他:
    not one condition)."""
    if not table:
        return Category("all", "全部党员", Q())
    if table == "occupation":
        return _occupation(key.removeprefix("o:")) if key.startswith("o:") else None
    return next((c for c in _fixed_categories(day).get(table, []) if c.key == key), None)


def members_in_category(user: Any, org: Organization, category: Category) -> QuerySet[Member]:
    """The members behind one number: current members of ``org``'s subtree in ``category`` (a roster's page)."""
    return members_under(user, org).filter(category.q).select_related("organization")


def development_table(user: Any, org: Organization, *, day: date, like: Table) -> Table:
    """The development pipeline's figures (入党申请人, 积极分子, 发展对象, 预备党员, 本年发展党员) in the rows of
    ``like`` (another table of the page: the same organizations in the same order), read through the development app's
    selector (one query). Its categories are not conditions on members, so its numbers link nowhere."""
    figures = pipeline_counts(user, org, day=day)
    categories = [Category(f"d{i}", label, None) for i, label in enumerate(figures.labels)]
    empty = [0] * len(categories)
    rows = [Row(r.label, r.org, figures.by_path.get(r.org.path if r.org else org.path, empty), 0) for r in like.rows]
    return Table("development", "党员发展", categories, Row("合计", org, figures.total, 0), rows)
