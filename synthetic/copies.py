"""Copies of a synthetic load, made by PostgreSQL: ten million events without deriving ten million in Python.

`generate_synthetic --events N --copies K` loads N events as usual, then K - 1 copies of them, in the same
transaction, by one `INSERT … SELECT` per table and copy: events, their actors' links, claims and the
relations between claims. A copy's rows have their own ids and slugs, numbered on from the load's
(the first copy of `synthetic-event-1` is `synthetic-event-<N + 1>`), and refer to the copy's own events
and claims; places, actors and sources are shared (the same world, K times as many events in it). A copy's
texts, dates, places and figures are the original's: a filter or a word matches K times as many records,
as in a dataset K times as dense, and the vocabulary of words does not grow (docs/internals.md says what
that leaves out). The vocabulary's trigger is disabled meanwhile, as a copy has no word the load has not.
So are the tallies' insert triggers, and every tally is counted again once after the copies
(`tallies.rebuild`): a copy adds to the tallies the load made, and its upsert rewrote each of them (700,000
day tallies per copy of a million events: 38 of a copy's 53 s in its events' statement). The slug
register's trigger fires once per statement.
"""

from django.db import connection

from events import tallies
from events.models import Claim, ClaimRelation, Event, EventActor
from synthetic.tables import execute, switched

COPIED = (Event, EventActor, Claim, ClaimRelation)  # in dependency order
# pgtrigger's names of the insert triggers that a copy does without: the vocabulary's and the tallies'
SKIPPED_TRIGGERS = ("search_words_insert", "event_tally_insert", "claim_tally_insert")


def references(model) -> dict[str, type]:
    """{column: copied model} of the model's foreign keys to copied models."""
    return {
        field.column: field.related_model
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model in COPIED
    }


def copy_statement(model, first: dict, counts: dict, copy: int, pages: int) -> str:
    """INSERT … SELECT of copy number `copy` of the model's rows loaded (ids first[model] + 1 to
    first[model] + counts[model], all in the table's first `pages` pages): its ids and references are the
    original's plus `copy` times the count, its slug's number too. The rows are read by their place in the
    table (a TID range scan of those pages, in the order they were loaded), so that each copy reads the
    loaded rows only, not the copies before it, and is written in the same order."""
    table = model._meta.db_table
    referred = references(model)

    def value(column: str) -> str:
        if column == "id":
            return f"t.id + {copy * counts[model]}"
        if column == "slug":
            number = r"substring(t.slug from '[0-9]+$')::bigint"
            return rf"regexp_replace(t.slug, '[0-9]+$', '') || ({number} + {copy * counts[model]})"
        if column in referred:
            return f"t.{column} + {copy * counts[referred[column]]}"
        return f"t.{column}"

    columns = [field.column for field in model._meta.concrete_fields]  # the table's, as migrations keep it
    loaded = f"t.id > {first[model]} AND t.id <= {first[model] + counts[model]}"
    return (
        f"INSERT INTO {table} ({', '.join(columns)})"
        f" SELECT {', '.join(value(column) for column in columns)} FROM {table} t"
        f" WHERE t.ctid < '({pages},0)'::tid AND {loaded}"
    )


def skipped_triggers(cursor) -> list[tuple[str, str]]:
    tables = [model._meta.db_table for model in COPIED]
    execute(
        cursor,
        "SELECT tgrelid::regclass::text, quote_ident(tgname) FROM pg_trigger"
        " WHERE tgrelid = ANY(%s::regclass[]) AND tgname LIKE ANY(%s) ORDER BY 1, 2",
        [tables, [f"pgtrigger_{name}_%" for name in SKIPPED_TRIGGERS]],
    )
    return cursor.fetchall()


def write_copies(cursor, first: dict, counts: dict, copies: int) -> dict[str, int]:
    """`copies` more copies of the rows just loaded (`counts[model]` rows after id `first[model]`), inside
    the load's transaction (its tables locked, its row triggers disabled); the rows written per table."""
    if not connection.in_atomic_block:
        raise RuntimeError("write_copies() must run inside the load's transaction")
    triggers = skipped_triggers(cursor)
    switched(cursor, triggers, "DISABLE")
    written = {}
    for model in COPIED:
        table = model._meta.db_table
        execute(cursor, "SELECT pg_relation_size(%s) / current_setting('block_size')::int", [table])
        pages = cursor.fetchone()[0]
        written[table] = 0
        for copy in range(1, copies + 1):
            execute(cursor, copy_statement(model, first, counts, copy, pages))
            written[table] += cursor.rowcount
        last = first[model] + counts[model] * (copies + 1)
        execute(cursor, "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, last])
    switched(cursor, triggers, "ENABLE")
    # The recount's groups in memory rather than in batches on disk: 105 s against 115 s at ten million.
    execute(cursor, "SET LOCAL work_mem = '256MB'")
    tallies.rebuild(cursor)
    return written
