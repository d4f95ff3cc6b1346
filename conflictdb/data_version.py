"""The data version: a text that changes whenever what a reader of the database sees may have changed.

Cached responses (conflictdb/response_cache.py) are kept under a key holding the version they were read
at, so that a committed write makes every answer kept before it unreachable at once, however it was made
(the API, the admin, the loaders, raw SQL, TRUNCATE). It is read from the server itself, in one
statement, and takes no lock, no table and no trigger: a writer never waits for another because of it.

- **On a primary**, the transaction snapshot (`pg_current_snapshot()`: xmin, xmax and the transactions
  running). Two statements with equal snapshots see the same committed data: a commit either moves xmax
  (the transaction was the newest to end) or takes its id out of the running list.
- **On a hot standby**, the position of the WAL replayed so far (`pg_last_wal_replay_lsn()`): a standby's
  snapshot text stays the same across a commit it replays, and a commit is visible there once its record
  is replayed, which moves the position.
- **Either way**, `@` and the server's start time (`pg_postmaster_start_time()`), so that a server failed
  over to, or restored from a backup, whose snapshots or positions may repeat, never reuses a key.

Why it is never stale (docs/internals.md, "The data version"):
- **Read first, on the request's database.** The version is read by its own statement before any of the
  response's data, through the alias the data is read from (the replica the request was given:
  conflictdb/routing.py). Each later statement of the request sees at least what the version's saw, so
  what is kept under a version is as new as it or newer; never older. Read after the data, a commit
  between the two would put the older data under the newer version, for good.
- **Not inside a transaction that wrote.** A snapshot leaves out its own transaction: a request (or a test)
  that has written and reads in the same transaction would see its own uncommitted rows under a version
  that does not know them. The statement says so (`pg_current_xact_id_if_assigned()`), and such a read is
  neither validated nor kept nor served from the cache.
"""

from django.db import connections, router

# A statement written once: a cache hit runs nothing else, and compiling a queryset cost half of its time.
CURRENT = (
    "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()::text"
    " ELSE pg_current_snapshot()::text END || '@' || pg_postmaster_start_time()::text,"
    " pg_current_xact_id_if_assigned() IS NOT NULL"
)


def current_version(model) -> str | None:
    """The data version of the database `model`'s reads go to (one statement); None when the connection's
    transaction has written, whose own rows no version covers."""
    with connections[router.db_for_read(model)].cursor() as cursor:
        cursor.execute(CURRENT)
        version, written = cursor.fetchone()
    return None if written else version
