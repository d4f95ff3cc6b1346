"""The worst cases a client can ask for, measured beside the ordinary scenarios: a one-letter search, a
history page of a record with HISTORY_VERSIONS versions, and a page while two clients export in a loop.

Each is bounded by design (conflictdb/search.py, conflictdb/versions.py, conflictdb/export_limits.py);
the bench says how far.
"""

import subprocess
import threading
import time
from contextlib import contextmanager

HISTORY_VERSIONS = 20_000
ONE_LETTER = "text search, one letter"
HISTORY = f"history page ({HISTORY_VERSIONS:,} versions)"
BESIDE_EXPORTS = "filtered first page, two exports running"


def record_with_long_history() -> str:
    """The slug of a synthetic actor with HISTORY_VERSIONS versions, made once by updates in SQL."""
    from django.db import connection

    from conflictdb.models import SYNTHETIC_PREFIX
    from events.models import Actor

    actor = Actor.objects.filter(slug__startswith=SYNTHETIC_PREFIX).order_by("slug").first()
    missing = HISTORY_VERSIONS - actor.history.count()
    if missing > 0:
        print(f"writing {missing:,} versions of {actor.slug}...", flush=True)
        with connection.cursor() as cursor:  # one update a version, each firing the history trigger
            cursor.execute(
                f"DO $$ BEGIN FOR n IN 1..{int(missing)} LOOP UPDATE events_actor SET description = "
                f"'Synthetic benchmark history, version ' || n WHERE id = {int(actor.pk)}; END LOOP; END $$"
            )
    return actor.slug


def paths(history_slug: str) -> dict[str, str]:
    """The worst-case scenarios measured like the others (wrk against the SQL's ceiling)."""
    from conflictdb.pagination import cursor_order, encode_cursor
    from events.models import Actor

    actor = Actor.objects.get(slug=history_slug)
    versions = actor.history.order_by("pgh_created_at", "pgh_id")
    middle = versions.values("pgh_created_at", "pgh_id")[HISTORY_VERSIONS // 2]
    keys = [("pgh_created_at", False), ("pgh_id", False), ("slug", False)]
    position = encode_cursor(
        [middle["pgh_created_at"], middle["pgh_id"], history_slug], False, cursor_order(versions, keys)
    )
    return {
        ONE_LETTER: "/api/v1/events/?search=a",
        HISTORY: f"/api/v1/actors/{history_slug}/history/?cursor={position}",
    }


@contextmanager
def exports_running(base: str, clients: int = 2):
    """`clients` loops each streaming the whole event CSV to nowhere, until the block ends."""
    stop = threading.Event()
    finished = []

    def loop():
        while not stop.is_set():
            done = subprocess.run(
                ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", f"{base}/api/v1/events/?format=csv"],
                capture_output=True,
                text=True,
            )
            finished.append(done.stdout)
            time.sleep(0.1)

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(2)  # both under way
    try:
        yield finished
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
