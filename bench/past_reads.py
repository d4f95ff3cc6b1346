"""Reads of the past against the same reads live (issue 19 item 6): a list at a release, a record as of a
moment, each as requests/s of the live one, in turns.

Run against a copy of the bench's database (never the bench's own: it writes), for instance:

    createdb -T <bench database> <copy>; DATABASE_URL=.../<copy> python manage.py migrate
    DATABASE_URL=.../<copy> python -m bench.past_reads 20000 10

A history first, once per copy: the first N synthetic events and their claims are made curated-like
(bench/releases.py's `promote`, one version each), release `past-a` is made, a tenth of those events are
edited twice (two more versions each, a moment taken between the edits), and release `past-b` is made.
Then gunicorn serves the API (4 workers, as `make bench`) and wrk measures, live then past, three rounds
each in turns: the first page of events (live, and `release=past-b`), the first page filtered by type, and
an edited event's detail (live, and `as_of` the moment between its edits). The live pages read the million
events; the past pages the curated-like ones (synthetic records have no versions).
"""

import os
import sys
import time

from bench.releases import PROMOTED, make, promote
from bench.server import database_env, start_server
from bench.wrk import combined, wrk


def history(events: int) -> str:
    """Make the history (unless this copy has it): the moment between the edits, kept in a table of the
    copy's own."""
    from django.db import connection, transaction

    from releases.models import Release

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_past_moment (moment timestamptz)")
        cursor.execute("SELECT moment FROM bench_past_moment")
        found = cursor.fetchone()
    if found and Release.objects.filter(name="past-b").exists():
        return found[0].isoformat()
    promote(events)
    make("past-a")
    edited = "UPDATE events_event SET title = title || %s WHERE slug LIKE %s AND id %% 10 = 0"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(edited, [" (first edit)", PROMOTED + "%"])
    time.sleep(1)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM bench_past_moment")
        cursor.execute("INSERT INTO bench_past_moment VALUES (now()) RETURNING moment")
        moment = cursor.fetchone()[0]
    time.sleep(1)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(edited, [" (second edit)", PROMOTED + "%"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE events_eventversion")  # the edits' versions, as autovacuum would
    make("past-b")
    return moment.isoformat()


def main(events: int, seconds: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conflictdb.settings")
    django.setup()
    from urllib.parse import quote

    from django.db import connection

    moment = history(events)
    with connection.cursor() as cursor:
        edited = "SELECT slug FROM events_event WHERE slug LIKE %s AND id %% 10 = 0 ORDER BY id LIMIT 1"
        cursor.execute(edited, [PROMOTED + "%"])
        (slug,) = cursor.fetchone()
    pairs = {
        "first page": ("/api/v1/events/", "/api/v1/events/?release=past-b"),
        "filtered first page": (
            "/api/v1/events/?event_type=battles",
            "/api/v1/events/?event_type=battles&release=past-b",
        ),
        "event detail": (f"/api/v1/events/{slug}/", f"/api/v1/events/{slug}/?as_of={quote(moment)}"),
    }
    env = database_env() | {"DATABASE_URL": os.environ["DATABASE_URL"]}
    server, base = start_server(env, workers=4)
    try:
        rounds = {(name, side): [] for name in pairs for side in (0, 1)}
        for _round in range(3):
            for name, paths in pairs.items():
                for side, path in enumerate(paths):
                    rounds[name, side].append(wrk(base + path, seconds))
        for name in pairs:
            live, past = combined(rounds[name, 0]), combined(rounds[name, 1])
            ratio = past["requests_per_second"] / live["requests_per_second"]
            print(
                f"{name}: live {live['requests_per_second']:.0f} req/s (p50 {live['p50_ms']} ms), "
                f"past {past['requests_per_second']:.0f} req/s (p50 {past['p50_ms']} ms), "
                f"past/live {ratio:.2f}; "
                f"errors {live['errors']}/{past['errors']}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main(*(int(n) for n in sys.argv[1:3]))
