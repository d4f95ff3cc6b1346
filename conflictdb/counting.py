"""Counting rows without paying for an exact COUNT(*) over a large result.

An exact count of a million rows costs some 50 ms on every page (bench/baselines/counts.md), and
counting even the first 10,000 matches of a filter can mean reading most of the table. So PostgreSQL's
planner is asked first (EXPLAIN, nothing read): when it expects more than `limit` rows, its estimate is
the answer, and callers say that the figure is an estimate; otherwise the rows are counted, stopping at
limit + 1.

An estimate is kept in the cache for ESTIMATE_SECONDS, by query, or by a `key` that stands for it (a
list request's path and filters: conflictdb/pagination.py), which spares compiling the query to SQL
first: following a result's pages, or asking for it again, does not plan the query once more. (The
planner's figure itself moves only when the table's statistics do, which autovacuum refreshes after
many changes.) Without the cache a page of a large result costs 1.2 to 1.3 times the Python CPU, and
with the cache keyed by the compiled SQL 1.07 to 1.2 times (bench/baselines/counts.md). Exact counts
are never kept, but those of a release's records (`?release=`, conflictdb/points.py), which never change:
counting them exactly is most of a page's cost at a release (bench/baselines/past-reads.md).
"""

import hashlib
import json

from django.core.cache import cache
from django.db import connections

from conflictdb.points import shown, unchanging

EXACT_LIMIT = 10_000
ESTIMATE_SECONDS = 60
RELEASE_COUNT_SECONDS = 24 * 3600


def planner_estimate(queryset, key: str | None = None) -> int:
    """The number of rows PostgreSQL's planner expects `queryset` to return (EXPLAIN, not executed).
    `key`, when given, names the rows of `queryset` and no other for the cache."""

    def counted_sql():
        return queryset.order_by().values("pk").query.sql_with_params()

    # The SQL is the same at every point of the history: the point read is part of the key.
    named = repr((queryset.db, shown.get(), key if key is not None else counted_sql()))
    key = "row-estimate:" + hashlib.sha256(named.encode()).hexdigest()
    estimate = cache.get(key)
    if estimate is None:
        sql, params = counted_sql()
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            (plan,) = cursor.fetchone()
        plan = json.loads(plan) if isinstance(plan, str) else plan
        estimate = int(plan[0]["Plan"]["Plan Rows"])
        cache.set(key, estimate, ESTIMATE_SECONDS)
    return estimate


def bounded_count(queryset, limit: int | None = None, key: str | None = None) -> tuple[int, bool]:
    """(count, exact): exact up to `limit` (default EXACT_LIMIT), beyond it the planner's estimate
    (cached by `key`, when given: see planner_estimate). At a release, the answer is cached whole."""
    if not unchanging():
        return counted(queryset, limit, key)
    named = repr((queryset.db, shown.get(), limit, key or queryset.query.sql_with_params()))
    cache_key = "release-count:" + hashlib.sha256(named.encode()).hexdigest()
    found = cache.get(cache_key)
    if found is None:
        found = counted(queryset, limit, key)
        cache.set(cache_key, found, RELEASE_COUNT_SECONDS)
    return tuple(found)


def counted(queryset, limit: int | None, key: str | None) -> tuple[int, bool]:
    limit = EXACT_LIMIT if limit is None else limit
    estimate = planner_estimate(queryset, key)
    if estimate > limit:
        return estimate, False
    found = queryset.order_by().values("pk")[: limit + 1].count()
    if found <= limit:
        return found, True
    return limit + 1, False
