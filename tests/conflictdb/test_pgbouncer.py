"""The API through pgbouncer in transaction mode (tests/clusters.py), with DATABASE_TRANSACTION_POOLING on:
lists, writes and their history, the changes feed, whole exports streamed (CSV in flat memory, GeoJSON a
chunk of rows at a time through its server-side cursor), and export slots, under gunicorn with two
workers. Without the GeoJSON cursor's transaction the export breaks off ("cursor does not exist"); with
session advisory locks the slots are lost on the server connections (429s with no export running).

pgbouncer there gives each transaction the next of three server connections (server_round_robin), so
that whatever a session left on one (a cursor held open, an advisory lock, a setting) is met by another
client's transactions at once, as under load, and not only now and then.
"""

import csv
import io
import json
import socket
import threading
import time
from datetime import UTC, datetime
from urllib.parse import quote

import psutil
import psycopg
import pytest

from conflictdb.exports import CHUNK
from tests.clusters import (
    APP_ROLE,
    CONNECT_QUERY,
    SUPERUSER,
    api_server,
    call,
    read,
    sql,
    stop_api_server,
    url,
)

PLACES = 10_000  # five times the rows a GeoJSON export reads at once (conflictdb/exports.py CHUNK)


@pytest.fixture(scope="module")
def many_places(cluster):
    """Places enough for exports larger than any buffer, written without triggers (no versions)."""
    with psycopg.connect(url(cluster.primary, SUPERUSER)) as connection:
        connection.execute("SET session_replication_role = replica")  # no trigger fires
        connection.execute(
            """INSERT INTO events_place (slug, name, aliases, country, admin1, geo_precision, latitude,
                                         longitude, created_at, updated_at, search_names, search_text)
               SELECT 'pooled-place-' || n, 'Place ' || n, '{}', 'SYR', 'Idlib', 'town', 35.9, 36.6,
                      now(), now(), '', ''
                 FROM generate_series(1, %s) AS n""",
            [PLACES],
        )
    return sql(cluster.primary, "SELECT count(*) FROM events_place")[0][0]


@pytest.fixture(scope="module")
def pooled(cluster, pgbouncer, many_places):
    """The API through pgbouncer: two workers, one export at a time, slots in PostgreSQL (no Redis)."""
    process, base = api_server(
        DATABASE_URL=url(pgbouncer),
        DATABASE_TRANSACTION_POOLING="true",
        EXPORT_CONCURRENCY=1,
        EXPORT_STALL_SECONDS=5,
        WORKERS=2,
    )
    yield base, process
    stop_api_server(process)


def test_the_connect_query_gives_server_connections_the_servers_settings(pgbouncer):
    with psycopg.connect(url(pgbouncer)) as connection:
        settings = [connection.execute(f"SHOW {name}").fetchone()[0] for name in ("jit", "statement_timeout")]
    assert settings == ["off", "5s"], CONNECT_QUERY


def test_lists_page_through_the_pooler(pooled):
    base, _process = pooled
    for collection in ("events", "places", "actors", "claims", "sources"):
        link, pages = f"/api/v1/{collection}/?page_size=2", 0
        while link and pages < 8:  # the same statements again and again, on every server connection
            page = read(base, link)
            link, pages = page["next"] and page["next"].removeprefix(base), pages + 1
        assert pages >= 1


def test_writes_their_history_and_the_feed_through_the_pooler(pooled, cluster):
    base, _process = pooled
    since = quote(datetime.now(UTC).isoformat())
    tokens, slug = cluster.seeded["tokens"], cluster.seeded["events"][0]
    writes = [("alice", "Pooled, by alice."), ("bob", "Pooled, by bob."), ("alice", "Pooled again.")] * 2
    for user, summary in writes:
        status, _headers, body = call(
            base, f"/api/v1/events/{slug}/", method="PATCH", token=tokens[user], body={"summary": summary}
        )
        assert status == 200, body[:300]

    # Each version names the user whose request wrote it: a request's context never strays onto another's.
    changes, link = [], f"/api/v1/changes/?since={since}&page_size=2"
    while link:
        page = read(base, link)
        changes += page["results"]
        link = page["next"] and page["next"].removeprefix(base)
    assert [(c["slug"], c["user"], c["application"]) for c in changes] == [
        (slug, user, "conflictdb") for user, _summary in writes
    ]
    assert read(base, f"/api/v1/events/{slug}/")["summary"] == "Pooled again."


def worker_memory(process) -> dict[int, int]:
    return {worker.pid: worker.memory_info().rss for worker in psutil.Process(process.pid).children()}


def exported(base: str, process, path: str) -> tuple[bytes, int]:
    """The whole body of an export, and how much any worker's memory grew while it streamed."""
    for _ in range(4):  # each worker has served an export before: its code and buffers are in place
        call(base, path.replace("?", "?country=IRQ&"))
    start = worker_memory(process)
    peak = dict(start)
    done = threading.Event()

    def sample():
        while not done.is_set():
            for pid, rss in worker_memory(process).items():
                peak[pid] = max(peak.get(pid, 0), rss)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        status, _headers, body = call(base, path)
    finally:
        done.set()
        sampler.join()
    assert status == 200, body[:300]
    return body, max(peak[pid] - start.get(pid, peak[pid]) for pid in peak)


def test_a_csv_export_streams_whole_in_flat_memory_through_the_pooler(pooled, many_places):
    base, process = pooled
    body, growth = exported(base, process, "/api/v1/places/?format=csv")

    assert len(list(csv.reader(io.StringIO(body.decode())))) == many_places + 1  # and the header
    assert growth < len(body) / 10, f"a worker grew by {growth / 2**20:.1f} MB for {len(body) / 2**20:.1f} MB"


def test_a_geojson_export_reads_its_rows_a_chunk_at_a_time_through_the_pooler(pooled, cluster, many_places):
    base, process = pooled
    fetches = cursor_fetches(cluster)
    body, _growth = exported(base, process, "/api/v1/places/?format=geojson")

    assert len(json.loads(body)["features"]) == many_places
    # Through a server-side cursor, in its transaction: the worker never holds more than a chunk of rows.
    assert cursor_fetches(cluster) - fetches >= many_places // CHUNK


def cursor_fetches(cluster) -> int:
    """How many FETCHes from a server-side cursor the primary has run for the servers' role."""
    return sql(
        cluster.primary,
        """SELECT coalesce(sum(calls), 0)::int FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
            WHERE r.rolname = %s AND s.query LIKE 'FETCH FORWARD %%'""",
        [APP_ROLE],
    )[0][0]


def export_status(base: str) -> int:
    status, _headers, _body = call(base, "/api/v1/places/?format=csv&country=IRQ")
    return status


def test_export_slots_hold_and_are_given_back_through_the_pooler(pooled):
    base, _process = pooled
    # One after another, each export finds the slot free: the one before gave it back.
    assert [export_status(base) for _ in range(4)] == [200] * 4

    # One that a client keeps open holds the only slot ...
    port = int(base.rsplit(":", 1)[1])
    held = socket.create_connection(("127.0.0.1", port))
    held.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    held.sendall(b"GET /api/v1/places/?format=csv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert held.recv(1024).startswith(b"HTTP/1.1 200")
    try:
        assert export_status(base) == 429
    finally:
        held.close()
    # ... until it ends: its client gone, the worker's next write fails and the slot is free again.
    deadline = time.monotonic() + 30
    while export_status(base) != 200:
        assert time.monotonic() < deadline, "the ended export still holds its slot"
        time.sleep(0.5)
