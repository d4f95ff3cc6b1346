"""How long making a release takes as the curated dataset grows, and a release file's download's memory.

Run against a copy of the bench's database (never the bench's own: it writes), for instance:

    createdb -T <bench database> <copy>; DATABASE_URL=.../<copy> python manage.py migrate
    DATABASE_URL=.../<copy> python -m bench.releases 2000 10000 50000
    DATABASE_URL=.../<copy> python -m bench.releases --no-versions 1000000    # every event: the whole set

Promoting is an UPDATE of every row promoted with the two tables' row-level UPDATE triggers disabled (the
tables locked meanwhile), their work done set-based (the previous slugs by the UPDATE itself, one
INSERT … SELECT per table of the versions and of the slug register), and, when most of the events are
promoted, the tables' secondary indexes built again after it rather than updated row by row: 58 s at
100,000 events, against 91 s with the row triggers ignored instead (each ignored trigger still ran, and
opened a subtransaction per row) and 297 s through every row's triggers, on the shared 2-CPU machine
(bench/baselines/synthetic-history.md): about ten minutes for a million. `--no-versions` promotes with
every trigger off.
`--phases` times the files' writing (each connection's side, and the two at once) and each file's store
apart instead, in one release rolled back, and prints each file's sha256.

Synthetic records are left out of releases, so the curated part is grown instead: before each size, the
first synthetic events (and their claims) are renamed out of the synthetic prefix, which makes them
curated-like records (with versions, as every update writes one) among the million synthetic ones. Each
size is one release, timed whole. Then the largest release's NDJSON file is downloaded from a gunicorn
worker, and the worker's peak resident memory (VmHWM) is read before and after.
"""

import os
import subprocess
import sys
import time
import urllib.request
from contextlib import nullcontext

from bench.server import start_server

PROMOTED = "benchcurated-"  # the curated-like records' slugs start with this


def promote(events: int, *, versions: bool = True, through_triggers: bool = False) -> None:
    """Make the first `events` synthetic events, and their claims, curated-like.

    With `versions`, the rows are renamed with the tables' row-level UPDATE triggers disabled (the two
    tables locked meanwhile, synthetic/tables.py `row_triggers_disabled`), their work done set-based: the
    previous slugs written by the UPDATE itself, the new slugs' register rows and the update versions
    (synthetic/history.py) by one INSERT … SELECT per table; the search columns do not change with a slug.
    The statement-level triggers (search words, claim summaries, tallies) fire as ever. With
    `through_triggers`, the same through each row's triggers (the reference the tests compare with).
    Without `versions`, the tables' triggers are all off (no versions, previous slugs, slug register or
    tallies written: a release reads none of them)."""
    from django.db import connection, transaction

    from conflictdb.models import SYNTHETIC_PREFIX
    from events.models import Claim, Event
    from synthetic.history import context
    from synthetic.loading import indexes_rebuilt
    from synthetic.tables import row_triggers_disabled

    bulk = versions and not through_triggers
    renamed = {Event: "id IN (SELECT id FROM promoted)", Claim: "event_id IN (SELECT id FROM promoted)"}
    tables = [model._meta.db_table for model in renamed]
    with transaction.atomic(), connection.cursor() as cursor:
        if not versions:
            cursor.execute("SET LOCAL session_replication_role = replica")
        # No other session writes the tables while their row triggers are disabled.
        cursor.execute(f"LOCK TABLE {', '.join(tables)} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute("SELECT count(*) FROM events_event WHERE slug LIKE %s", [PROMOTED + "%"])
        missing = events - cursor.fetchone()[0]
        if missing <= 0:
            return
        cursor.execute("DROP TABLE IF EXISTS promoted")
        cursor.execute(
            "CREATE TEMPORARY TABLE promoted ON COMMIT DROP AS SELECT id FROM events_event "
            "WHERE slug LIKE %s ORDER BY id LIMIT %s",
            [SYNTHETIC_PREFIX + "%", missing],
        )
        context_id = context(cursor, "bench promote", {"command": "bench.releases promote"}) if bulk else None
        cursor.execute("ANALYZE promoted")
        # Most of the table renamed: its secondary indexes built again afterwards rather than updated row
        # by row (the foreign keys stay: a rename leaves them be).
        cursor.execute("SELECT count(*) FROM events_event")
        rebuilt = bulk and 2 * missing >= cursor.fetchone()[0]
        with (
            row_triggers_disabled(cursor, "UPDATE", tables) if bulk else nullcontext(),
            indexes_rebuilt(cursor, None, tables, drop_foreign_keys=False) if rebuilt else nullcontext(),
        ):
            rename(cursor, renamed, bulk, context_id)
        cursor.execute("DROP TABLE promoted")
    with connection.cursor() as cursor:
        # The planner's statistics still count the renamed rows as synthetic until autovacuum comes by:
        # it would plan the release's statements for a few curated records among a million. And the
        # versions just written: with stale statistics, a claim's versions by event were estimated at
        # 5,048 rows for 3, and reads of the past planned in parallel (5 ms to start the workers) or, with
        # parallel plans off, along the slug index (2.4 s).
        cursor.execute("ANALYZE events_event, events_claim, events_eventversion, events_claimversion")


def rename(cursor, renamed: dict, bulk: bool, context_id: str | None) -> None:
    """Rename the `renamed` rows of each model (a condition on the `promoted` table) out of the prefix;
    with `bulk`, write what their row triggers would (conflictdb/slugs.py, pghistory's update version)."""
    from conflictdb.models import SYNTHETIC_PREFIX
    from synthetic.history import write_versions

    cut = len(SYNTHETIC_PREFIX) + 1
    for model, condition in renamed.items():
        table = model._meta.db_table
        # As previous_slugs_kept: the old slug appended (moved last if it was there), the new one not kept.
        kept = ", previous_slugs = array_remove(previous_slugs, slug) || slug" if bulk else ""
        cursor.execute(
            f"UPDATE {table} SET slug = %s || substr(slug, %s){kept} WHERE {condition}", [PROMOTED, cut]
        )
        if bulk:
            # As slugs_published_update: the slugs not registered yet, the new one alone (the old one is).
            cursor.execute(
                "INSERT INTO conflictdb_publishedslug (kind, slug, record_id)"
                f" SELECT %s, slug, id FROM {table} WHERE {condition} ORDER BY id",
                [table],
            )
            write_versions(cursor, model, "update", condition, context_id=context_id)


def make(name: str) -> tuple[float, object]:
    from django.contrib.auth import get_user_model

    from releases.making import make_release

    admin, _ = get_user_model().objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    started = time.perf_counter()
    release = make_release(name=name, user=admin)
    return time.perf_counter() - started, release


def phases() -> tuple[dict[str, float], dict[str, str]]:
    """Seconds of each side's files (the CSVs on the second connection, the NDJSON on the first), of the
    two at once, and of each file's store, for a release made and rolled back; and each file's sha256."""
    from django.db import connection, transaction
    from psycopg import IsolationLevel

    from releases import making
    from releases.models import Release

    spent = {}

    def timed(label, work):
        def timed_work(*arguments):
            started = time.perf_counter()
            result = work(*arguments)
            spent[label] = time.perf_counter() - started
            return result

        return timed_work

    raw = connection.ensure_connection() or connection.connection
    raw.isolation_level = IsolationLevel.REPEATABLE_READ
    sides = making.csv_files, making.ndjson_file
    making.csv_files = timed("  the CSVs (second connection)", making.csv_files)
    making.ndjson_file = timed("  records.ndjson (first connection)", making.ndjson_file)
    try:
        with transaction.atomic():
            snapshot, moment = making.snapshot_and_moment()
            statements = timed("the CSVs' statements built", making.csv_statements)()
            files, records, counts = timed("the files, two at once", making.files_two_at_once)(statements)
            release = Release.objects.create(
                name=f"phases-{os.getpid()}",
                created_at=moment,
                created_by="bench",
                snapshot=snapshot,
                counts=counts,
            )
            for spooled in [*files, records]:
                timed(f"store {spooled.name} ({spooled.size / 1e6:.0f} MB)", spooled.store)(release)
            transaction.set_rollback(True)
    finally:
        making.csv_files, making.ndjson_file = sides
    return spent, {spooled.name: spooled.digest.hexdigest() for spooled in [*files, records]}


def peak_memory_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def download_memory(url_path: str) -> tuple[int, int, int]:
    """(peak KiB before, peak KiB after, bytes) of a gunicorn worker serving `url_path` once."""
    server, base = start_server(dict(os.environ, API_ANON_RATE="off", API_USER_RATE="off"), workers=1)
    try:
        worker = int(subprocess.check_output(["pgrep", "-P", str(server.pid)]).split()[0])
        before = peak_memory_kib(worker)
        size = 0
        with urllib.request.urlopen(base + url_path, timeout=600) as response:
            while chunk := response.read(1 << 16):
                size += len(chunk)
        return before, peak_memory_kib(worker), size
    finally:
        server.terminate()
        server.wait()


def main(sizes: list[int], *, versions: bool = True, split: bool = False) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conflictdb.settings")
    django.setup()
    if split:  # where one release's time goes, at the largest size
        promote(max(sizes), versions=versions)
        spent, digests = phases()
        for label, seconds in spent.items():
            print(f"{seconds:7.1f} s  {label}")
        print(f"{sum(s for label, s in spent.items() if not label.startswith(' ')):7.1f} s  in all")
        for name, digest in sorted(digests.items()):
            print(f"sha256 {digest}  {name}")
        return
    from releases.models import ReleaseFile

    stamp = time.strftime("%H%M%S")
    last = None
    for events in sizes:
        promote(events, versions=versions)
        seconds, release = make(f"bench-{stamp}-{events}")
        files = ", ".join(f"{f.name} {f.size / 1e6:.1f} MB" for f in release.files.order_by("name"))
        print(
            f"{events:>7,} curated-like events: {release.counts}; made in {seconds:.1f} s; {files}",
            flush=True,
        )
        last = release
    largest = ReleaseFile.objects.get(release=last, name="records.ndjson")
    before, after, size = download_memory(f"/api/v1/releases/{last.name}/files/records.ndjson")
    print(
        f"download of {size / 1e6:.1f} MB (stored {largest.size / 1e6:.1f} MB): worker peak RSS "
        f"{before / 1024:.1f} MiB before, {after / 1024:.1f} MiB after"
    )


if __name__ == "__main__":
    arguments = sys.argv[1:]
    flags = {"--no-versions", "--phases"}
    sizes = [int(n) for n in arguments if n not in flags] or [2000, 10000]
    main(sizes, versions="--no-versions" not in arguments, split="--phases" in arguments)
