"""Making a release: the curated dataset read in one snapshot, written once as files, named and counted.

Everything is read in one REPEATABLE READ transaction's snapshot, so that every file shows the same moment
however long the writing takes and whatever is written meanwhile; that snapshot is the release's position
in the history (releases/models.py). The files are:
- a CSV per collection: the collection's export (`?format=csv`), its statement built by the same code
  (conflictdb/exports.csv_statement) for the whole set (link lists grouped once and joined), synthetic
  records left out;
- `records.ndjson`: every record, one JSON object a line (`{"collection": ..., "record": {...}}`), with its
  link lists, references by slug, in the collections' order and by slug, in the form of
  conflictdb/past.record_forms, written by PostgreSQL (releases/lines.py).
The CSVs and the NDJSON are written two at once, each by one of PostgreSQL's processes: the transaction
exports its snapshot and a second connection reads the CSVs in it (`SET TRANSACTION SNAPSHOT`) while the
first writes the NDJSON (bench/baselines/releases.md). Only the first writes: the release and its files are
stored in its transaction, so that a failure on either connection stores nothing. (In a transaction that
is open already, a test's, whose writes another connection cannot see, the CSVs are written in it first.)
Each file is spooled to a temporary file (on disk beyond a few megabytes) while its digest is taken, then
stored in chunks: memory stays flat however large the dataset.
"""

import hashlib
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager

import psycopg
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from psycopg import IsolationLevel, sql

from conflictdb.exports import csv_statement
from conflictdb.models import SYNTHETIC_PREFIX
from events.curators import CURATORS
from releases.collections import VIEWS, collections
from releases.lines import FLOAT_DIGITS, lines_statement
from releases.models import CHUNK_BYTES, NAME_PATTERN, Release, ReleaseFile, ReleaseFileChunk

SPOOL_BYTES = 8 * 1024 * 1024
CSV_TYPE = "text/csv; charset=utf-8"
NDJSON_TYPE = "application/x-ndjson"


class ReleaseError(Exception):
    """A release that cannot be made (bad or taken name, a user who may not): nothing was written."""


def may_release(user) -> bool:
    """Curators and administrators make releases."""
    return user.is_active and (user.is_superuser or user.groups.filter(name=CURATORS).exists())


class Spooled:
    """A file being written: its bytes spooled, its size and digest taken as they come."""

    def __init__(self, name: str, media_type: str):
        self.name, self.media_type = name, media_type
        self.file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (store() closes it)
        self.digest, self.size = hashlib.sha256(), 0

    def write(self, data: bytes):
        self.file.write(data)
        self.digest.update(data)
        self.size += len(data)

    def store(self, release: Release) -> ReleaseFile:
        stored = ReleaseFile.objects.create(
            release=release,
            name=self.name,
            media_type=self.media_type,
            size=self.size,
            sha256=self.digest.hexdigest(),
        )
        self.file.seek(0)
        # COPY, its rows in binary: an INSERT a chunk through Django binds the bytes into the statement's
        # text, 2 MB of hex for 1 MiB, which took 8 times as long (bench/baselines/releases.md).
        table, columns = ReleaseFileChunk._meta.db_table, ("file_id", "number", "data")
        with connection.cursor() as cursor:
            statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT binary)"
            with cursor.copy(statement) as copy:
                copy.set_types(["int8", "int4", "bytea"])
                number = 0
                while data := self.file.read(CHUNK_BYTES):
                    copy.write_row([stored.pk, number, data])
                    number += 1
        self.file.close()
        return stored


def csv_statements() -> dict[str, str]:
    """The COPY statement of each collection's CSV: its export of the curated records, the whole set."""
    statements = {}
    for name, view_class in VIEWS.items():
        view = view_class()
        queryset = view.get_export_queryset().exclude(slug__startswith=SYNTHETIC_PREFIX)
        statements[name] = csv_statement(queryset, view.export_columns, whole=True)
    return statements


def csv_files(cursor, statements: dict[str, str]) -> list[Spooled]:
    """Each collection's CSV, written by `cursor` (of either connection) in its transaction."""
    # One statement reads a collection whole: longer than the API's usual statement timeout.
    cursor.execute(f"SET LOCAL statement_timeout = {int(settings.EXPORT_TIMEOUT_MS)}")
    files = []
    for name, statement in statements.items():
        spooled = Spooled(f"{name}.csv", CSV_TYPE)
        with cursor.copy(statement) as copy:
            for data in copy:
                spooled.write(bytes(data))
        files.append(spooled)
    return files


def ndjson_file() -> tuple[Spooled, dict[str, int]]:
    """Every curated record, a line each, written by PostgreSQL (releases/lines.py); and how many of each
    collection (a line's JSON holds no newline of its own)."""
    spooled, counts = Spooled("records.ndjson", NDJSON_TYPE), {}
    with transaction.atomic(), connection.cursor() as cursor:
        # One statement a collection reads it whole: longer than the API's usual statement timeout.
        cursor.execute(f"SET LOCAL statement_timeout = {int(settings.EXPORT_TIMEOUT_MS)}")
        cursor.execute(f"SET LOCAL extra_float_digits = {FLOAT_DIGITS}")
        for name, model, item_keys in collections():
            counts[name] = 0
            with cursor.copy(lines_statement(name, model, item_keys)) as copy:
                for data in copy:
                    data = bytes(data)
                    spooled.write(data)
                    counts[name] += data.count(b"\n")
    return spooled, counts


def snapshot_and_moment() -> tuple[str, object]:
    """The snapshot this transaction reads in, and the clock's time. In a transaction that had written
    before (a test's), its own writes are counted in."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text, clock_timestamp(), txid_current_if_assigned()")
        snapshot, moment, own = cursor.fetchone()
    if own is not None:
        _xmin, xmax, running = snapshot.split(":")
        others = [int(xid) for xid in running.split(",") if xid and int(xid) != own]
        others += range(int(xmax), own)  # began after the snapshot, before this transaction's first write
        xmax = max(int(xmax), own + 1)
        xmin = min([*others, xmax])
        snapshot = f"{xmin}:{xmax}:{','.join(map(str, sorted(others)))}"
    return snapshot, moment


def check(name: str, user) -> None:
    if not re.fullmatch(NAME_PATTERN, name):
        raise ReleaseError(f"Bad release name {name!r}: letters, digits, '.', '_' and '-', at most 64.")
    if not may_release(user):
        raise ReleaseError(f"{user.username!r} may not make a release: only curators and administrators.")
    if Release.objects.filter(name=name).exists():
        raise ReleaseError(f"A release named {name!r} exists: a name is never reused.")


def exported_snapshot() -> str:
    """The name of this transaction's snapshot, which another transaction may read in while it lasts."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        return cursor.fetchone()[0]


@contextmanager
def beside(snapshot: str):
    """A second connection to the database (Django's parameters), a cursor of it in a read-only REPEATABLE
    READ transaction reading the exported `snapshot`, with the session's settings of Django's own."""
    with psycopg.connect(**connection.get_connection_params()) as second:  # closed on leaving
        second.isolation_level, second.read_only = IsolationLevel.REPEATABLE_READ, True
        with second.cursor() as cursor:
            cursor.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(snapshot))
            # No parallel workers: each would group the link lists anew for itself (a hash join's inner
            # side is not shared), three times the work for the CSVs, beside the first connection's.
            settings_sql = "SELECT set_config('TimeZone', %s, true), set_config(%s, '0', true)"
            cursor.execute(settings_sql, [connection.timezone_name, "max_parallel_workers_per_gather"])
            yield second, cursor
            second.rollback()  # it wrote nothing


def files_two_at_once(statements: dict[str, str]) -> tuple[list[Spooled], Spooled, dict[str, int]]:
    """The CSVs, written by a second connection in this transaction's snapshot, beside the NDJSON written
    by this one: psycopg lets the GIL go while it waits, so the two statements run at once."""
    with beside(exported_snapshot()) as (second, cursor), ThreadPoolExecutor(max_workers=1) as pool:
        csvs = pool.submit(csv_files, cursor, statements)
        try:
            records, counts = ndjson_file()
        except BaseException:
            while not csvs.done():  # the other statement would run on to its end
                second.cancel_safe()
                wait([csvs], timeout=1)
            raise
        return csvs.result(), records, counts


def files_in_turn(statements: dict[str, str]) -> tuple[list[Spooled], Spooled, dict[str, int]]:
    with transaction.atomic(), connection.cursor() as cursor:
        files = csv_files(cursor, statements)
    return (files, *ndjson_file())


def make_release(*, name: str, user, notes: str = "") -> Release:
    """Make the release `name` of the curated dataset as it is now, for `user` (a curator)."""
    check(name, user)
    raw = connection.ensure_connection() or connection.connection
    own_transaction, level = not connection.in_atomic_block, raw.isolation_level
    if own_transaction:  # one snapshot for every file (a transaction already open has its own level)
        raw.isolation_level = IsolationLevel.REPEATABLE_READ
    try:
        with transaction.atomic():
            snapshot, moment = snapshot_and_moment()
            statements = csv_statements()
            write = files_two_at_once if own_transaction else files_in_turn
            files, records, counts = write(statements)
            try:
                with transaction.atomic():
                    release = Release.objects.create(
                        name=name,
                        notes=notes,
                        created_at=moment,
                        created_by=user.username,
                        snapshot=snapshot,
                        counts=counts,
                    )
            except IntegrityError:  # made meanwhile by someone else
                raise ReleaseError(f"A release named {name!r} exists: a name is never reused.") from None
            for spooled in [*files, records]:
                spooled.store(release)
    finally:
        if own_transaction:
            raw.isolation_level = level
    return release
