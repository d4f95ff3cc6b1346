"""The data version: a number every committed write to the tables public responses read advances.

Cached responses (conflictdb/response_cache.py) are kept under a key holding the version they were read
at, so that a write makes every cached response unreachable at once, however it was made (the API, the
admin, the loaders, raw SQL). Plain triggers (conflictdb/migrations/0003_data_version.py), one before
each statement of any kind (TRUNCATE included) on each table of TRACKED_TABLES, move the one row of
DataVersion on. Not pgtrigger's triggers: `pgtrigger.ignore`, which the synthetic loader uses to skip the
history, would skip them too, and the cache would then serve what the loader replaced.

Why it is never stale (docs/internals.md, "The data version"):
- **A row, not a sequence.** The row's new value is seen by others only when the writing transaction
  commits, at the same instant as its data. A sequence's nextval() is seen at once: a reader could read
  the new number, then the data from before the commit, and keep the old data under the new number.
- **Read first, from the request's database.** The version is read by its own statement before any of
  the response's data, on the database the request reads (the replica it was given: conflictdb/routing.py).
  Each later statement sees at least what the version's statement saw, so what is kept under version V
  is as new as V or newer; never older. Read after the data, a write committed between the two would put
  the older data under the newer number, for good.
- **Before each statement.** The row is locked until the transaction ends, so writers take turns from
  their first tracked statement on; taken before the statement's own rows, it is the first lock a
  curator's write takes on the tables (a record's SELECT FOR UPDATE comes first in an update: two writes
  of one record wait on the record first). The number grows from at least the clock's microseconds, so
  that a row lost to a TRUNCATE (the test runner's flush) starts again above every number used before.
"""

from django.db import connections, router

from conflictdb.models import DataVersion

# Every table a cached response reads. The versions (history pages, not cached), the slugs' register
# (written by the records' own triggers, read by redirects, which are not cached) and the tallies (written
# by the triggers of these tables' statements, read by aggregates, which are not cached) are left out.
TRACKED_TABLES = [
    "sources_source",
    "events_actor",
    "events_place",
    "events_event",
    "events_eventactor",
    "events_eventevidence",
    "events_claim",
    "events_claimrelation",
    "releases_release",
    "releases_releasefile",
    "releases_releasefilechunk",
]
TRIGGER = "conflictdb_data_version"


# A statement written once: a hit runs nothing else, and compiling a queryset cost half of its time.
CURRENT = f"SELECT version FROM {DataVersion._meta.db_table} WHERE id = 1"


def current_version() -> int | None:
    """The data version as the request's database has it (one statement); None without its row."""
    with connections[router.db_for_read(DataVersion)].cursor() as cursor:
        cursor.execute(CURRENT)
        row = cursor.fetchone()
    return row[0] if row else None
