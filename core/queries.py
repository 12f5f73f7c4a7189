"""Small query helpers shared by every app's selectors."""

from typing import Any

from django.db.models import Count, F, Func, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce, Substr


def count_subquery(qs: QuerySet[Any]) -> Coalesce:
    """COUNT(*) of a correlated queryset as an annotation, without GROUP BY and without multiplying rows."""
    counted = qs.order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def counts_by_prefix(qs: QuerySet[Any], path_field: str, width: int, *fields: str) -> dict[tuple[Any, ...], int]:
    """How many rows of ``qs`` per prefix of ``path_field`` of ``width`` characters (a township's path when the
    prefix is two tree steps) and per value of ``fields``: one GROUP BY in SQL, whatever the number of rows.
    Keys are ``(prefix, *values)``."""
    grouped = (
        qs.order_by()
        .annotate(_prefix=Substr(path_field, 1, width))
        .values("_prefix", *fields)
        .annotate(_n=Count("pk"))
        .values_list("_prefix", *fields, "_n")
    )
    return {tuple(row[:-1]): row[-1] for row in grouped}
