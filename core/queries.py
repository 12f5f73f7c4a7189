"""Small query helpers shared by every app's selectors."""

from typing import Any

from django.db.models import F, Func, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce


def count_subquery(qs: QuerySet[Any]) -> Coalesce:
    """COUNT(*) of a correlated queryset as an annotation, without GROUP BY and without multiplying rows."""
    counted = qs.order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
