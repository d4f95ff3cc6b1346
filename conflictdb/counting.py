"""Counting rows without paying for an exact COUNT(*) over a large result.

An exact count of a million rows costs tens of milliseconds on every page. Below `limit` rows the count
is exact (counting stops at limit + 1); above it, PostgreSQL's planner estimate is used, and callers say
that the figure is an estimate.
"""

import json

from django.db import connections

EXACT_LIMIT = 10_000


def planner_estimate(queryset) -> int:
    """The number of rows PostgreSQL's planner expects `queryset` to return (EXPLAIN, not executed)."""
    sql, params = queryset.order_by().query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


def bounded_count(queryset, limit: int | None = None) -> tuple[int, bool]:
    """(count, exact): exact up to `limit` (default EXACT_LIMIT), beyond it the planner's estimate."""
    limit = EXACT_LIMIT if limit is None else limit
    counted = queryset.order_by()[: limit + 1].count()
    if counted <= limit:
        return counted, True
    return max(planner_estimate(queryset), limit + 1), False
