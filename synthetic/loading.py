"""Loading a synthetic dataset: COPY, one stream per table, in one transaction, with the history's triggers
ignored; with `history`, the rows' creation versions written in bulk in the same transaction, then
generations of edits, each in a transaction of its own (synthetic/generations.py).

Ids are written explicitly, above the largest id in use, and each table's identity sequence is moved past
them afterwards (the tables are locked against other writers meanwhile), so that foreign keys need no
reading back. No row trigger fires (`synthetic.tables.row_triggers_disabled`): each row is written with
its search columns, and the triggers that keep each event's claim summary are paused
(`events.summary.triggers_paused`): each event row is written with its summary, from the same random
streams as its claims and relations, instead of a million events being updated again after their claims.
A load at least as large as what the tables hold drops their secondary indexes, unique constraints and
foreign keys first and builds them again before committing (`indexes_rebuilt`): much faster than
maintaining them row by row.
"""

import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from conflictdb.fieldlists import TIMESTAMPS
from conflictdb.models import PublishedSlug, SearchWord
from conflictdb.past import versions_of
from events.models import Event
from events.summary import triggers_paused
from events.tallies import CLAIM_TALLIES, EVENT_TALLIES
from synthetic import generations
from synthetic.columns import SEARCH_COLUMNS, search_values
from synthetic.copies import write_copies
from synthetic.history import context, generator_metadata, write_versions
from synthetic.removal import delete
from synthetic.synthesis import Synthesis
from synthetic.tables import (
    PUBLIC,
    TRACKED,
    execute,
    exists,
    pending_checks_run,
    row_triggers_disabled,
    table_names,
    without_history,
)

REGISTER = PublishedSlug._meta.db_table
# The tables the loaded tables' statement triggers write a load's worth of rows to: vacuumed and analysed
# with them, for the planner's statistics and the visibility map.
TRIGGERS_WRITE = (
    REGISTER,
    SearchWord._meta.db_table,
    *(m._meta.db_table for m in (*EVENT_TALLIES, *CLAIM_TALLIES)),
)


class SyntheticDataExists(Exception):
    """Synthetic rows are already in the database (remove them first, or replace them)."""


@dataclass
class Report:
    """Rows written per table, seconds taken, and what a replaced dataset had."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    rebuilt_indexes: bool = False
    versions: int = 0
    total_seconds: float = 0.0


def generate(
    *,
    events: int,
    seed: int,
    replace: bool = False,
    rebuild_indexes: bool | None = None,
    history: int = 0,
    copies: int = 1,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Load a synthetic dataset of `events` events for `seed`, in one transaction, without history, or
    with `history` generations of it: the rows' creation versions, written in bulk in the load's
    transaction, then `history` generations of edits, each committed alone (synthetic/generations.py).

    Raises SyntheticDataExists when synthetic rows are present, unless `replace` (they are removed first).
    With `copies` above 1, the events, their claims and links are that many times the `events` derived,
    the others copies made by PostgreSQL (synthetic/copies.py), before the history's versions if any.
    `rebuild_indexes` (by default: when the load at least doubles the events table) drops the secondary
    indexes and foreign keys of the tables loaded and builds them again afterwards (`indexes_rebuilt`).
    """
    if events < 1:
        raise ValueError("the number of events must be at least 1")
    started = time.monotonic()
    report = Report()
    with transaction.atomic(), connection.cursor() as cursor, triggers_paused(cursor):
        # Other writers wait until the load commits: the ids written here stay free, the sequences right,
        # and no row is written while the row triggers are disabled.
        # (The events' claim summaries are written with the events: EventRows.events.)
        execute(cursor, f"LOCK TABLE {', '.join(table_names())} IN SHARE ROW EXCLUSIVE MODE")
        if exists():
            if not replace:
                raise SyntheticDataExists("synthetic data is already loaded; remove or replace it")
            with without_history("delete", "append_only") as deleting:
                report.removed = delete(deleting)
            for table, count in report.removed.items():
                if progress:
                    progress(f"removed {table}: {count} rows")
        ids = {model: last_id(cursor, model) for model in TRACKED}
        synthesis = Synthesis(events=events, seed=seed, ids=ids)
        if rebuild_indexes is None:
            rebuild_indexes = events * copies >= Event.objects.count()
        report.rebuilt_indexes = rebuild_indexes
        rebuilt = indexes_rebuilt(cursor, report) if rebuild_indexes else nullcontext()
        with rebuilt, row_triggers_disabled(cursor):
            load(cursor, synthesis, report, progress)
            if copies > 1:
                began = time.monotonic()
                written = write_copies(cursor, synthesis.ids.before, counts(report), copies - 1)
                for table, count in written.items():
                    report.rows[table] += count
                report.seconds["copies"] = time.monotonic() - began
        if history:
            began = time.monotonic()
            report.versions = creation_versions(cursor, synthesis.ids.before)
            report.seconds["history generation 0"] = time.monotonic() - began
    if history:  # the generations' statements planned on the rows loaded: without statistics, choosing
        # the events to delete read the claims' relations once per claim (minutes at a million events)
        with connection.cursor() as cursor:
            execute(cursor, f"ANALYZE {', '.join(table_names())}")
    for generation in range(1, history + 1):
        began = time.monotonic()
        changed = generations.commit(generation)
        report.versions += changed.pop("versions")
        report.seconds[f"history generation {generation}"] = time.monotonic() - began
        if progress:
            done = ", ".join(f"{count} {kind}" for kind, count in changed.items())
            progress(f"history generation {generation}: {done} in {time.monotonic() - began:.1f}s")
    # After the commit (VACUUM cannot run in a transaction): statistics for the planner, and the
    # visibility map, without which PostgreSQL cannot answer from an index alone (a bounded count).
    # Inside an outer transaction (a test), ANALYZE alone.
    began = time.monotonic()
    with connection.cursor() as cursor:
        vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        tables = [*table_names(), *TRIGGERS_WRITE, *(version_tables() if history else ())]
        execute(cursor, f"{vacuum} {', '.join(tables)}")
    report.seconds["vacuum and analyze"] = time.monotonic() - began
    report.total_seconds = time.monotonic() - started
    return report


def creation_versions(cursor, before: dict) -> int:
    """The insert versions of every row this load wrote (ids after `before[model]`), in bulk."""
    context_id = context(cursor, "generation 0", generator_metadata(0))
    return sum(
        write_versions(cursor, model, "insert", "id > %s", [before[model]], context_id=context_id)
        for model in TRACKED
    )


def counts(report: Report) -> dict:
    """{model: rows loaded} of the models a load writes."""
    return {model: report.rows[model._meta.db_table] for model in TRACKED}


def version_tables() -> list[str]:
    return [versions_of(model)._meta.db_table for model in TRACKED]


def load(cursor, synthesis: Synthesis, report: Report, progress: Callable[[str], None] | None = None):
    """COPY each table's rows, in dependency order."""
    stamp = timezone.now().isoformat()
    for model, columns, rows in synthesis.streams():
        table, began = model._meta.db_table, time.monotonic()
        report.rows[table] = copy_rows(cursor, model, columns, rows, synthesis.ids.before[model], stamp)
        report.seconds[table] = time.monotonic() - began
        if progress:
            progress(f"{table}: {report.rows[table]} rows in {report.seconds[table]:.1f}s")


def last_id(cursor, model) -> int:
    """The largest id the table or its sequence has given out; this load writes ids above it."""
    table = model._meta.db_table
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    (sequence,) = cursor.fetchone()
    cursor.execute(
        f"SELECT GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}),"
        f" (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {sequence}))"
    )
    return cursor.fetchone()[0]


def copy_rows(cursor, model, columns: list[str], rows: Iterable[tuple], first_id: int, stamp: str) -> int:
    """COPY `rows` into the model's table with ids after `first_id`, with their search columns (the search
    trigger does not fire); move the sequence past them."""
    table = model._meta.db_table
    stamped = model in PUBLIC
    search = search_values(model, columns)
    names = ["id", *columns, *(SEARCH_COLUMNS if search else ()), *(TIMESTAMPS if stamped else ())]
    searched = search or (lambda row: ())
    tail = (stamp, stamp) if stamped else ()
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
        for count, row in enumerate(rows, 1):
            copy.write_row((first_id + count, *row, *searched(row), *tail))
    if count:
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, first_id + count])
    return count


@contextmanager
def indexes_rebuilt(
    cursor,
    report: Report | None,
    tables: list[str] | None = None,
    drop_foreign_keys: bool = True,
    registers: tuple[str, ...] = (REGISTER,),
):
    """Drop the secondary indexes, unique constraints and foreign keys of the loaded tables (or of
    `tables`; their foreign keys kept unless `drop_foreign_keys`), and the unique constraints and indexes
    of `registers` (by default the slug register, which the loaded tables' statement triggers write a row
    to per record); create them again on leaving, timed in `report` if given.

    PostgreSQL's advice for populating a database: building an index (a GIN index above all) over
    a million rows at once is several times faster than updating it row by row, and adding a foreign key
    checks every row in one join instead of a query per row. Only the primary keys stay (ids rise, so
    their index is appended to). A unique index of slugs took a slug a row in no order, into an index
    larger than the server's buffers: the register's were most of a load's time (35 million slugs at ten
    million events). The load's statements need none of them (no ON CONFLICT but on a primary key); adding
    a constraint back checks every row at once, and a slug taken twice fails the load. The tables are
    locked meanwhile (the ALTER TABLE's lock), so no other writer writes a row unchecked. The indexes and
    constraints come back exactly as the catalog defined them, in the same transaction.
    """
    names = tables or table_names()
    pending_checks_run(cursor)  # e.g. from removing the last load
    constraints = (
        "SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE contype = %s AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2"
    )
    execute(cursor, constraints, ["f", names])
    foreign_keys = cursor.fetchall() if drop_foreign_keys else []
    execute(cursor, constraints, ["u", [*names, *registers]])
    unique = cursor.fetchall()
    execute(
        cursor,
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i"
        " WHERE indrelid = ANY(%s::regclass[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
        " WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x'))"
        " ORDER BY 1",
        [[*names, *registers]],
    )
    indexes = cursor.fetchall()
    for table, name, _ in [*foreign_keys, *unique]:
        execute(cursor, f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for name, _ in indexes:
        execute(cursor, f"DROP INDEX {name}")
    yield
    began = time.monotonic()
    pending_checks_run(cursor)  # the checks of the block's writes
    execute(cursor, "SET LOCAL maintenance_work_mem = '1GB'")
    for table, name, definition in unique:
        execute(cursor, f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
    for _, definition in indexes:
        execute(cursor, definition)
    spent = {"indexes": time.monotonic() - began}
    began = time.monotonic()
    for table, name, definition in foreign_keys:
        execute(cursor, f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
    spent["foreign keys"] = time.monotonic() - began
    if report:
        report.seconds.update(spent)
