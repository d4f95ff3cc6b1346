"""The tables synthetic rows go into, and how they are written there without the history's row triggers.

Synthetic rows are loaded and removed without the history's triggers, so that a million events do not
fire a million of them. A load fires no row trigger at all (`row_triggers_disabled`): each one, even when
told to ignore itself (`pgtrigger.ignore`), costs a subtransaction per row, three per event and per claim,
which kept PostgreSQL busy for most of a load. What they would write on insert is written with the rows
instead (the search columns, synthetic/columns.py; `previous_slugs` is left empty), and the statement
triggers (the vocabulary of search words, the published slugs, the tallies) still fire, once per COPY.
When a load writes a history, the versions are written in bulk (synthetic/history.py). Removal deletes
far fewer rows at a time: it ignores the pghistory triggers (`without_history`), and removes the rows'
versions with the version tables' append-only triggers ignored too. A promotion of synthetic records
(bench/releases.py `promote`) disables the row-level UPDATE triggers of the tables it renames rows of the
same way, and does their work set-based.
"""

from collections.abc import Sequence
from contextlib import contextmanager

import pgtrigger
from django.db import connection

from conflictdb.models import SYNTHETIC_PREFIX
from conflictdb.past import versions_of
from events.models import Actor, Claim, ClaimRelation, Event, EventActor, Place
from sources.models import Source

TRACKED = (Source, Actor, Place, Event, EventActor, Claim, ClaimRelation)  # in loading order
PUBLIC = (Source, Actor, Place, Event, Claim)  # the models with slugs


def table_names() -> list[str]:
    return [model._meta.db_table for model in TRACKED]


def exists() -> bool:
    """Whether any synthetic row is in the database."""
    return any(model.objects.filter(slug__startswith=SYNTHETIC_PREFIX).exists() for model in PUBLIC)


def execute(cursor, sql: str, params: Sequence | None = None):
    # pgtrigger.ignore() adds a parameter to every statement, so a literal % must always be doubled.
    cursor.execute(sql if params else sql.replace("%", "%%"), params or [])


def history_triggers(*operations: str) -> list[str]:
    """The URIs of the pghistory triggers of every tracked model for `operations` ("insert", "update",
    "delete"), and with "append_only" the triggers that keep their version tables' rows from deletion."""
    return [
        f"{versions_of(model)._meta.label}:append_only"
        if operation == "append_only"
        else f"{model._meta.label}:{operation}_{operation}"
        for model in TRACKED
        for operation in operations
    ]


# The user triggers of tables (not the internal ones of foreign keys) fired FOR EACH ROW on an operation
# (pg_trigger.tgtype: bit 0 for a row trigger, bits 2, 3 and 4 for INSERT, DELETE and UPDATE).
OPERATION_BITS = {"INSERT": 4, "DELETE": 8, "UPDATE": 16}
ROW_TRIGGERS = (
    "SELECT tgrelid::regclass::text, quote_ident(tgname) FROM pg_trigger WHERE tgrelid = ANY(%s::regclass[])"
    " AND NOT tgisinternal AND tgtype & 1 = 1 AND tgtype & %s <> 0 ORDER BY 1, 2"
)


def row_triggers(
    cursor, operation: str = "INSERT", tables: Sequence[str] | None = None
) -> list[tuple[str, str]]:
    """(table, trigger) of each row-level trigger on `operation` ("INSERT", "UPDATE" or "DELETE") of
    `tables`, by default the tables synthetic rows go into."""
    execute(cursor, ROW_TRIGGERS, [list(tables or table_names()), OPERATION_BITS[operation]])
    return cursor.fetchall()


@contextmanager
def row_triggers_disabled(cursor, operation: str = "INSERT", tables: Sequence[str] | None = None):
    """Inside a transaction that locks the tables: their row-level triggers on `operation` (those of
    `row_triggers`) are disabled until the block ends, enabled again before it does. The ALTER TABLEs are
    part of the transaction: when the block fails, rolling it back enables them again, and no other session
    ever writes without them (the lock). A trigger on two operations is off for both meanwhile.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("row_triggers_disabled() must run inside transaction.atomic()")
    triggers = row_triggers(cursor, operation, tables)
    switched(cursor, triggers, "DISABLE")
    yield
    switched(cursor, triggers, "ENABLE")


def pending_checks_run(cursor):
    """Run the deferred checks pending (the foreign keys of rows just written or deleted) now, and defer
    later ones again: ALTER TABLE and CREATE INDEX are refused on a table with pending trigger events."""
    execute(cursor, "SET CONSTRAINTS ALL IMMEDIATE")
    execute(cursor, "SET CONSTRAINTS ALL DEFERRED")


def switched(cursor, triggers: list[tuple[str, str]], action: str):
    pending_checks_run(cursor)
    for table, trigger in triggers:
        execute(cursor, f"ALTER TABLE {table} {action} TRIGGER {trigger}")


@contextmanager
def without_history(*operations: str):
    """Inside a transaction: a cursor whose writes, COPY included, fire no pghistory trigger of `operations`.

    pgtrigger sets its ignore list (a transaction-local setting) with each statement Django executes; COPY
    bypasses Django's execute wrappers, so the list is set here, by a first statement, and checked.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("without_history() must run inside transaction.atomic()")
    uris = history_triggers(*operations)
    pgids = [trigger.get_pgid(model) for model, trigger in pgtrigger.registered(*uris)]
    with pgtrigger.ignore(*uris), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('pgtrigger.ignore', true)")
        ignored = cursor.fetchone()[0] or ""
        missing = [pgid for pgid in pgids if pgid not in ignored]
        if missing:
            raise RuntimeError(f"history triggers would fire: {', '.join(missing)}")
        yield cursor
