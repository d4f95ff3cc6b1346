"""The rows an UPDATE statement changed, read by its statement triggers from their transition tables
(`old_values`, `new_values`) as sets.

PL/pgSQL plans a trigger's query at its first call in a session and keeps the plan. A transition table
has no statistics: the planner sizes it by the rows it holds at that call. A join of the old rows with
the new by id, first planned for a one-row update, stays a nested loop that scans the new rows once per
old row: quadratic in a later update of many rows (an update of 70,000 events ran for over 13 minutes).
A set difference (EXCEPT) is hashed or sorted whatever the sizes: linear, or n log n.
"""


def changed(rows: str, other: str, columns: tuple[str, ...]) -> str:
    """The rows of the transition table `rows` (id and `columns`) whose `columns` differ from those of
    the same id in `other` (the other transition table), or whose id it lacks: a subquery, for a FROM
    clause with an alias. A NULL equals a NULL here, as IS NOT DISTINCT FROM compares."""
    listed = ", ".join(("id", *columns))
    return f"(SELECT {listed} FROM {rows} EXCEPT SELECT {listed} FROM {other})"


def changed_on_either_side(column: str, columns: tuple[str, ...]) -> str:
    """The distinct values of `column` in the old and new rows whose `columns` changed (the claimants,
    or the events, whose rows an update moved or altered, before and after)."""
    return (
        f"SELECT {column} FROM {changed('old_values', 'new_values', columns)} AS old_rows"
        f" UNION SELECT {column} FROM {changed('new_values', 'old_values', columns)} AS new_rows"
    )
