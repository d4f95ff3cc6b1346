"""Counting rows without paying for an exact COUNT(*) over a large result.

An exact count of a million rows costs tens of milliseconds on every page, and counting even the first
10,000 matches of a filter can mean reading most of the table. So PostgreSQL's planner is asked first
(EXPLAIN, nothing read): when it expects more than `limit` rows, its estimate is the answer, and callers
say that the figure is an estimate; otherwise the rows are counted, stopping at limit + 1.
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
    estimate = planner_estimate(queryset)
    if estimate > limit:
        return estimate, False
    counted = queryset.order_by()[: limit + 1].count()
    if counted <= limit:
        return counted, True
    return limit + 1, False
