"""党员统计: an organization's membership in tables and charts, the comparison of the organizations under it (for the
district: the townships), the members behind a number and the yearly workbook."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from core.documents import XLSX_CONTENT_TYPE
from core.paging import count_or_estimate, keyset_page
from organizations.access import district_for
from stats import access, documents
from stats.selectors import counts
from stats.views.charts import bar_chart

MEMBER_ORDER = ("organization__path", "name", "pk")

# The comparison's columns: (heading, table, category keys summed); 党员数 is the row's total.
COMPARISON = (
    ("女党员", "gender", ("female",)),
    ("少数民族", "ethnicity", ("minority",)),
    ("35岁及以下", "age", ("a30", "a35")),
    ("61岁及以上", "age", ("a61",)),
    ("大专及以上", "education", ("postgraduate", "bachelor", "college")),
    ("预备党员", "status", ("probationary",)),
    ("流动党员", "migrant", ("yes",)),
)


def _comparison(tables: list[counts.Table]) -> tuple[list[str], list[tuple[counts.Row, list[int]]]]:
    """One row per organization under the one counted, a few columns summed from the tables (no query)."""
    by_key = {t.key: t for t in tables}
    picks = [(title, by_key[t], {c.key for c in by_key[t].categories} & set(keys)) for title, t, keys in COMPARISON]
    index = [[i for i, c in enumerate(table.categories) if c.key in keys] for _, table, keys in picks]
    rows = []
    for n, row in enumerate([*by_key["gender"].rows, by_key["gender"].total]):
        values = []
        for (_, table, _), cols in zip(picks, index, strict=True):
            source = table.rows[n] if n < len(table.rows) else table.total
            values.append(sum(source.counts[i] for i in cols))
        rows.append((row, values))
    return [title for title, _, _ in picks], rows


def _grid(table: counts.Table) -> tuple[list, tuple]:
    """The table's rows and its 合计 row, each count with the category it counts (for the link to its members)."""

    def cells(row: counts.Row) -> tuple[counts.Row, list[tuple[int, counts.Category]]]:
        return row, list(zip(row.counts, table.categories, strict=True))

    return [cells(r) for r in table.rows], cells(table.total)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The menu's 党员统计: the widest organization the user reads."""
    org = access.home_organization(request.user)
    if org is None:
        return redirect("home")
    return redirect("stats:org", pk=org.pk)


@login_required
@require_GET
def district(request: HttpRequest) -> HttpResponse:
    """The district overview's button (a page link without an id)."""
    return redirect("stats:org", pk=district_for(request.user).pk)


@login_required
@require_GET
def org_statistics(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.statistics_of(request.user, pk)
    day = timezone.localdate()
    tables = counts.membership_tables(request.user, org, day=day)
    headings, comparison = _comparison(tables)
    by_child = tables[0].rows
    return render(
        request,
        "stats/organization.html",
        {
            "org": org,
            "day": day,
            "tables": [
                (
                    t,
                    *_grid(t),
                    bar_chart(t.title, [(c.label, n) for c, n in zip(t.categories, t.total.counts, strict=True)]),
                )
                for t in tables
            ],
            "total": tables[0].total.total,
            "development": counts.development_table(request.user, org, day=day, like=tables[0]),
            "headings": headings,
            "comparison": comparison,
            "comparison_chart": bar_chart("党员数", [(r.label, r.total) for r in by_child]) if by_child else None,
            "child_word": "乡镇(街道)" if org.depth == 1 else "下属党组织",
        },
    )


@login_required
@require_GET
def members(request: HttpRequest, pk: int) -> HttpResponse:
    """The members behind one number of the page (a roster page, masked like the roster)."""
    org = access.statistics_of(request.user, pk)
    day = timezone.localdate()
    table = request.GET.get("table", "")
    category = counts.drill_condition(request.user, org, table, request.GET.get("key", ""), day=day)
    if category is None:
        raise Http404("没有这一项统计")
    qs = counts.members_in_category(request.user, org, category)
    page = keyset_page(qs, order=MEMBER_ORDER, after=request.GET.get("after"), before=request.GET.get("before"))
    return render(
        request,
        "stats/members.html",
        {
            "org": org,
            "title": counts.TITLES.get(table, "党员统计"),
            "category": category,
            "page": page,
            "total": count_or_estimate(qs),
        },
    )


@login_required
@require_GET
def workbook(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.statistics_of(request.user, pk)
    filename, content = documents.workbook(request.user, org, day=timezone.localdate())
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response
