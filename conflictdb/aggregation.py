"""Aggregates of a filtered collection: metrics per group of keys, with at most one calendar period.

An aggregate is one SQL statement over the rows the collection's own filters select (the list's
FilterSet, so that every filter of the list applies, with its 400s): the rows are joined to what the keys
need, grouped, and summed by PostgreSQL. A record whose dates do not lie within one period of the kind
asked for is neither spread over periods nor assigned to a guessed one: it is grouped without the period
and reported in `imprecise`. Results are bounded (MAX_ROWS): a grouping that makes more rows is a 400.

The collections describe their keys and metrics (`Aggregation`, in events/aggregates.py); this module
knows no model. A collection may also keep a `Tally`: its records counted ahead by some of its keys, in a
table that triggers keep (events/tallies.py). A request whose keys and filters are all the tally's is
answered from it, with the same rows; any other from the records.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from django.db import connection, transaction
from rest_framework.exceptions import ValidationError

from conflictdb import points
from conflictdb.periods import PERIODS, Period
from conflictdb.renderers import JSONRows

MAX_KEYS = 3
MAX_ROWS = 10_000  # groups in one response, precise and imprecise together
WORK_MEM = "64MB"  # for one aggregate's statement: tens of thousands of groups before the limit


@dataclass(frozen=True)
class Key:
    """A grouping key: the SQL values it groups by (`columns`, where `{a}` is the key's own alias), the
    join that brings them (`join`, to the filtered rows `r`), and how a row shows them: a value, or an
    object of `fields` (a record's slug and name), null when the first column is."""

    name: str
    columns: tuple[str, ...]
    join: str = ""
    fields: tuple[str, ...] = ()
    csv: tuple[str, ...] = ()  # CSV column names, one per column; the key's name when a single value
    about: str = ""  # what the key groups by, for the docs
    # The columns of `r` whose values the key's follow one to one (a plain column, a record's id): rows
    # grouped by them first, the join brings the key's values to each group (a few rows, not every one).
    reads: tuple[str, ...] | None = None

    def sql_columns(self) -> list[str]:
        return [column.format(a=f"k_{self.name}") for column in self.columns]

    def sql_join(self) -> str:
        return self.join.format(a=f"k_{self.name}")

    def value(self, values: tuple):
        if not self.fields:
            return values[0]
        return None if values[0] is None else dict(zip(self.fields, values, strict=True))

    def csv_names(self) -> tuple[str, ...]:
        return self.csv or (self.name,)


# A filter's condition on a tally's rows `r` at a grain: SQL and its parameters, or None where the
# grain cannot tell (a date within a month, at the months' grain).
TallyFilter = Callable[[object, str | None], tuple[str, list] | None]


@dataclass(frozen=True)
class TallyTable:
    """A table of a tally: its grain (what its filters are told), the periods its dates group by, and
    the keys and filters it holds (None: all the tally's)."""

    grain: str | None
    table: str
    periods: tuple[str, ...] = ()
    holds: tuple[str, ...] | None = None
    # The columns its rows are unique by (a constraint): grouped by them, each row is a group of its own.
    unique: tuple[str, ...] = ()

    def answers(self, names: list[str], given: dict) -> bool:
        if self.holds is None:
            return True
        return all(name in self.holds or name in self.periods for name in [*names, *given])


@dataclass(frozen=True)
class Tally:
    """Records counted ahead by some of an aggregation's keys, in `tables` (coarsest first; its rows
    `r`): the `keys` it holds (as columns of `r`), the aggregation's `metrics` summed again from its
    rows, and the `filters` it can apply."""

    tables: tuple[TallyTable, ...]
    keys: dict[str, "Key"]
    metrics: dict[str, str]
    filters: dict[str, TallyFilter]

    def base(self, names: list[str], given: dict) -> tuple[str, list, bool] | None:
        """The SELECT of the tally's rows that answer a grouping by `names` with the filters `given`
        (name: cleaned value), and whether each of its rows is a group of its own; or None when the
        records must answer it."""
        if any(name not in self.keys and name not in PERIODS for name in names):
            return None
        if any(name not in self.filters for name in given):
            return None
        period = next((name for name in names if name in PERIODS), None)
        for table in self.tables:
            if period is not None and period not in table.periods or not table.answers(names, given):
                continue
            conditions = [self.filters[name](value, table.grain) for name, value in given.items()]
            if None in conditions:
                continue
            where = " AND ".join(sql for sql, _params in conditions) or "true"
            params = [param for _sql, values in conditions for param in values]
            reads = [self.keys[name].reads for name in names if name in self.keys]
            read = {column for columns in reads if columns is not None for column in columns}
            own = period is None and None not in reads and bool(table.unique) and set(table.unique) <= read
            return f"SELECT * FROM {table.table} AS r WHERE {where}", params, own
        return None


@dataclass(frozen=True)
class Aggregation:
    """What a collection's aggregate reads.

    `columns`: the columns of the filtered rows read (as `r.<column>`); `keys`, `metrics` (name: SQL
    aggregate over `r`), `empty` (each metric of a period `fill` adds, in which nothing happened);
    `start` (SQL of a row's first possible day) and `fits` (SQL: the row lies within one period of a kind).
    """

    columns: tuple[str, ...]
    keys: dict[str, Key]
    metrics: dict[str, str]
    start: str
    fits: Callable[[Period], str]
    empty: dict = field(default_factory=dict)
    tally: Tally | None = None
    rows_are_groups: bool = False  # each row read is a group of its own: its metrics are its columns

    @property
    def orderings(self) -> list[str]:
        return [*self.keys, *PERIODS, *self.metrics]


def statement(aggregation: Aggregation, base: str, names: list[str], ordering: list[str], limit: int) -> str:
    """The SQL grouping the rows of `base` (a SELECT of `aggregation.columns`) by `names`: the keys'
    columns (k<i>_<j>), the period's first day (`period`: NULL for a row that fits no single period),
    then the metrics; the rows in a period first, each part in `ordering` then the keys' order (NULLs
    last), at most `limit` rows."""
    keys = [aggregation.keys[name] for name in names if name in aggregation.keys]
    period = next((PERIODS[name] for name in names if name in PERIODS), None)
    selected = []
    for index, key in enumerate(keys):
        selected += [f"{sql} AS k{index}_{j}" for j, sql in enumerate(key.sql_columns())]
    if period is not None:
        start = f"date_trunc('{period.unit}', ({aggregation.start})::timestamp)::date"
        selected.append(f"CASE WHEN {aggregation.fits(period)} THEN {start} END AS period")
    metrics = [f"{sql} AS {name}" for name, sql in aggregation.metrics.items()]
    joins = " ".join(key.sql_join() for key in keys if key.join)
    order = order_by(aggregation, names, ordering)
    if all(key.reads is not None for key in keys):  # grouped by what the keys read, then joined
        read = [f"r.{column}" for column in dict.fromkeys(c for key in keys for c in key.reads)]
        read += [column for column in selected if column.endswith(" AS period")]
        first = f"SELECT {', '.join([*read, *metrics])} FROM ({base}) AS r"
        first += "" if aggregation.rows_are_groups else f" GROUP BY {positions(read)}"
        shown = [column for column in selected if not column.endswith(" AS period")]
        shown += ["r.period"] * (period is not None) + [f"r.{name}" for name in aggregation.metrics]
        grouped = f"SELECT {', '.join(shown)} FROM ({first}) AS r {joins}"
    else:
        grouped = f"SELECT {', '.join([*selected, *metrics])} FROM ({base}) AS r {joins}"
        grouped += f" GROUP BY {positions(selected)}" if selected else ""
    return f"SELECT * FROM ({grouped}) AS g ORDER BY {order} LIMIT {limit}"


def order_by(aggregation: Aggregation, names: list[str], ordering: list[str]) -> str:
    """The ORDER BY of `statement`'s rows, by their columns' names: the rows in a period first, then
    `ordering`, then the keys' order (NULLs last)."""
    keys = [aggregation.keys[name] for name in names if name in aggregation.keys]
    columns_of = {key.name: [f"k{i}_{j}" for j in range(len(key.columns))] for i, key in enumerate(keys)}
    has_period = any(name in PERIODS for name in names)
    order = ["period IS NULL"] if has_period else []
    for step in [*ordering, *names]:
        direction = "DESC" if step.startswith("-") else "ASC"
        name = step.lstrip("-")
        column = ["period"] if name in PERIODS else columns_of.get(name, [name])
        order += [f"{part} {direction} NULLS LAST" for part in column]
    return ", ".join(order)


def sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def json_value(column: str) -> str:
    return f"COALESCE(to_json({column})::text, 'null')"


def json_statement(aggregation: Aggregation, grouped: str, names: list[str], ordering: list[str]) -> str:
    """`grouped` (a `statement`) with its rows written by PostgreSQL as the JSON objects that `shown`
    gives (compact, in the same key order): how many rows, then the texts of the rows in a period (all
    of them when no period is grouped) and of the imprecise ones, each in order. Writing them in Python
    cost more than the statement itself for a few hundred groups (bench/baselines/aggregates.md)."""
    pieces, index = [], 0
    for name in names:
        if name in PERIODS:
            label = f"to_char(g.period, {sql_text(PERIODS[name].label_format)})"
            head, tail = sql_text(json.dumps(name) + ':"'), sql_text('",')
            pieces.append(f"CASE WHEN g.period IS NULL THEN '' ELSE {head} || {label} || {tail} END")
            continue
        key = aggregation.keys[name]
        columns = [f"g.k{index}_{j}" for j in range(len(key.columns))]
        index += 1
        if key.fields:
            fields = " || ',' || ".join(
                f"{sql_text(json.dumps(field) + ':')} || {json_value(column)}"
                for field, column in zip(key.fields, columns, strict=True)
            )
            value = f"CASE WHEN {columns[0]} IS NULL THEN 'null' ELSE '{{' || {fields} || '}}' END"
        else:
            value = json_value(columns[0])
        pieces.append(f"{sql_text(json.dumps(name) + ':')} || {value} || ','")
    pieces += [
        f"{sql_text(('' if i == 0 else ',') + json.dumps(metric) + ':')} || {json_value('g.' + metric)}"
        for i, metric in enumerate(aggregation.metrics)
    ]
    row = f"'{{' || {' || '.join(pieces)} || '}}'"
    imprecise = "g.period IS NULL" if any(name in PERIODS for name in names) else "false"
    order = order_by(aggregation, names, ordering)
    return (
        f"SELECT count(*), array_agg({row} ORDER BY {order}) FILTER (WHERE NOT {imprecise}),"
        f" array_agg({row} ORDER BY {order}) FILTER (WHERE {imprecise}) FROM ({grouped}) AS g"
    )


def positions(columns: list[str]) -> str:
    return ", ".join(str(position) for position in range(1, len(columns) + 1))


@dataclass
class Grouped:
    """The rows of an aggregate: `results` (in a period, or every row when no period is grouped) and
    `imprecise` (rows of records that fit no single period), each row a dict in the keys' order."""

    names: list[str]
    results: list[dict]
    imprecise: list[dict]


def source(aggregation: Aggregation, queryset, names: list[str], given: dict) -> tuple:
    """What the rows are grouped from: the tally's rows when it answers (with its keys and metrics), or
    the filtered records."""
    # The tallies count the records as they are: a read of the past groups the records at its point.
    tallied = aggregation.tally.base(names, given) if aggregation.tally and not points.past() else None
    if tallied is not None:
        tally, (base, params, rows_are_groups) = aggregation.tally, tallied
        # A tally's metrics are of its columns' names: grouped again, summed (or their extremes taken)
        metrics = {name: f"r.{name}" for name in tally.metrics} if rows_are_groups else tally.metrics
        tallied = replace(aggregation, keys=tally.keys, metrics=metrics, rows_are_groups=rows_are_groups)
        return tallied, base, params
    return aggregation, *queryset.order_by().values(*aggregation.columns).query.sql_with_params()


def run(
    aggregation: Aggregation, queryset, names, ordering, limit, given, json_rows: bool = False
) -> tuple[Aggregation, list[tuple]]:
    """The aggregation grouped (the tally's, or the records') and the rows of its statement, or of its
    `json_statement` with `json_rows`; at most `limit` rows, or a 400 beyond MAX_ROWS without one."""
    aggregation, base, params = source(aggregation, queryset, names, given)
    sql = statement(aggregation, base, names, ordering, limit or MAX_ROWS + 1)
    if json_rows:
        sql = json_statement(aggregation, sql, names, ordering)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")  # the groups hashed in memory, not on disk
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    if (fetched[0][0] if json_rows else len(fetched)) > MAX_ROWS:
        raise ValidationError(
            {
                "group_by": [
                    f"More than {MAX_ROWS:,} groups: narrow the filters, group by less, or give a limit."
                ]
            }
        )
    return aggregation, fetched


def aggregate_json(
    aggregation: Aggregation, queryset, names: list[str], ordering: list[str], limit: int | None, given: dict
) -> tuple[JSONRows, JSONRows]:
    """The rows of `aggregate`, as `shown` gives them, written as JSON by PostgreSQL: (results,
    imprecise)."""
    _grouped, [(_count, results, imprecise)] = run(aggregation, queryset, names, ordering, limit, given, True)
    return JSONRows(results or ()), JSONRows(imprecise or ())


def aggregate(
    aggregation: Aggregation, queryset, names: list[str], ordering: list[str], limit: int | None, given: dict
) -> Grouped:
    """Run the aggregate of `queryset` (filtered by the filters `given`) grouped by `names`; at most
    `limit` rows, or a 400 beyond MAX_ROWS without one."""
    aggregation, fetched = run(aggregation, queryset, names, ordering, limit, given)
    keys = [aggregation.keys[name] for name in names if name in aggregation.keys]
    period = next((PERIODS[name] for name in names if name in PERIODS), None)
    results, imprecise = [], []
    for values in fetched:
        row, position = {}, 0
        for name in names:
            if name in PERIODS:
                start = values[sum(len(key.columns) for key in keys)]
                if start is None:
                    continue
                row[name] = period.label(start)
                row[f"_{name}_start"] = start  # for ordering and fill; not shown
            else:
                key = aggregation.keys[name]
                row[name] = key.value(values[position : position + len(key.columns)])
                row[f"_{name}_order"] = values[position : position + len(key.columns)]
                position += len(key.columns)
        metrics = values[len(values) - len(aggregation.metrics) :]
        row.update(zip(aggregation.metrics, metrics, strict=True))
        (imprecise if period is not None and period.name not in row else results).append(row)
    return Grouped(names, results, imprecise)


def fill(grouped: Grouped, aggregation: Aggregation, first: date, last: date) -> None:
    """Adds a row of `aggregation.empty` metrics for every period of `first`..`last` in which a group
    (the same values of the other keys, as found in the result) has none."""
    period = next(PERIODS[name] for name in grouped.names if name in PERIODS)
    if period.count_between(first, last) > MAX_ROWS:
        raise ValidationError({"fill": [f"More than {MAX_ROWS:,} periods between date_from and date_to."]})
    others = [name for name in grouped.names if name != period.name]

    def group_of(row):
        return tuple(repr(row[f"_{name}_order"]) for name in others)

    groups = {group_of(row): row for row in [*grouped.results, *grouped.imprecise]}
    if not others and not groups:
        groups = {(): {}}
    starts = period.between(first, last)
    if len(groups) * len(starts) > MAX_ROWS:
        raise ValidationError({"fill": [f"More than {MAX_ROWS:,} rows once filled: narrow the filters."]})
    present = {(group_of(row), row[f"_{period.name}_start"]) for row in grouped.results}
    for group, example in groups.items():
        for start in starts:
            if (group, start) not in present:
                row = {}
                for name in grouped.names:
                    if name == period.name:
                        row[name], row[f"_{name}_start"] = period.label(start), start
                    else:
                        row[name], row[f"_{name}_order"] = example[name], example[f"_{name}_order"]
                grouped.results.append(row | aggregation.empty)


def order(rows: list[dict], names: list[str], ordering: list[str]) -> None:
    """Sorts `rows` in place by `ordering` (default: the keys as grouped), then by the keys; a value
    that is unknown (null) comes last either way."""
    steps = [*ordering, *names]
    for step in reversed(steps):
        name = step.lstrip("-")
        descending = step.startswith("-")
        if name in PERIODS:
            column = f"_{name}_start"
        elif f"_{name}_order" in (rows[0] if rows else {}):
            column = f"_{name}_order"
        else:
            column = name

        def sort_value(row, column=column, descending=descending):
            value = row.get(column)
            if isinstance(value, tuple):
                value = None if value[0] is None else value
            return (value is not None) == descending, value

        rows.sort(key=sort_value, reverse=descending)


def shown(row: dict) -> dict:
    """A row as the response shows it: without its private ordering values."""
    return {name: value for name, value in row.items() if not name.startswith("_")}
