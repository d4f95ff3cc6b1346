"""An export whose client stops reading is ended: under gunicorn (as `make serve` runs), a write to the
client that blocks for EXPORT_STALL_SECONDS disconnects it, which ends the export and frees its slot.

The test serves its own committed data with gunicorn and reads the first bytes of a large CSV export
through a socket with a small receive buffer, then stops reading. With one export slot, a second export
is refused (429) while the first is stuck, and admitted once it is ended: within seconds, well before
gunicorn's own worker timeout would have ended it."""

import os
import signal
import socket
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import pgtrigger
import pytest
from django.conf import settings
from django.db import connection

from bench.server import start_server
from tests.throwaway import database_url

# A CSV of about 20 MB, 8 MB gzipped: more than the server's and the client's socket buffers hold (Linux
# lets a sending socket's buffer grow to 4 MB), so that neither export can end by being written whole.
# The names are hashes so that gzip cannot shrink them much.
PLACES = 100_000
HASHES = " || ".join(f"md5((n + {k})::text)" for k in range(4))
STALL_SECONDS = 2
TIMEOUT_SECONDS = 1


@pytest.fixture
def many_places(transactional_db):
    with pgtrigger.ignore("events.Place:insert_insert"), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO events_place (slug, name, aliases, country, admin1, geo_precision, created_at, "
            "updated_at, search_names, search_text) SELECT 'stall-place-' || n, 'Place ' || "
            f"{HASHES}, '{{}}', 'SYR', "
            "'Idlib', 'town', now(), now(), '', '' FROM generate_series(1, %s) AS n",
            [PLACES],
        )


@contextmanager
def serving(**limits):
    """gunicorn on the test's committed data, as the bench starts it (its worker timeout, 600 s, far
    beyond the seconds the stalled export may last), with the export `limits` given (settings)."""
    env = os.environ | {
        "DATABASE_URL": database_url(settings.DATABASES["default"]["NAME"]),
        "EXPORT_CONCURRENCY": "1",
        "API_ANON_RATE": "off",
        "API_EXPORT_RATE": "off",
        **limits,
    }
    process, base = start_server(env, workers=2)
    try:
        yield int(base.rsplit(":", 1)[1])
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(10)


@pytest.fixture
def server(many_places):
    with serving(EXPORT_STALL_SECONDS=str(STALL_SECONDS)) as port:
        yield port


@pytest.fixture
def server_of_short_exports(many_places):
    with serving(EXPORT_TIMEOUT_MS=str(TIMEOUT_SECONDS * 1000)) as port:
        yield port


def export_status(port: int) -> int:
    """The status of a new export, read no further than its headers."""
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/api/v1/places/?format=csv", timeout=10
        ) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def export_to_stall(port: int, coding: str) -> tuple[socket.socket, bytes]:
    """An export begun on a socket that will read no further than its head. The slot may still be held
    for a moment by an export whose client has just gone (the last probe's): its end is waited for."""
    request = (
        f"GET /api/v1/places/?format=csv HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: {coding}\r\n\r\n"
    )
    deadline = time.monotonic() + 4 * STALL_SECONDS
    while True:
        stalled = socket.socket()
        stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        stalled.connect(("127.0.0.1", port))
        stalled.sendall(request.encode())
        head = stalled.recv(1024)
        if not head.startswith(b"HTTP/1.1 429") or time.monotonic() > deadline:
            return stalled, head
        stalled.close()
        time.sleep(0.5)


def stalled_export_is_ended(port: int, coding: str):
    stalled, head = export_to_stall(port, coding)
    assert head.startswith(b"HTTP/1.1 200")
    assert (b"Content-Encoding: gzip" in head) == (coding == "gzip")
    try:
        time.sleep(0.5)
        # The one slot is the stalled export's.
        assert export_status(port) == 429, f"the stalled export ({coding}) ended before its stall"
        deadline = time.monotonic() + 8 * STALL_SECONDS
        while export_status(port) != 200:
            assert time.monotonic() < deadline, f"the stalled export ({coding}) still holds its slot"
            time.sleep(0.5)
    finally:
        stalled.close()


def test_an_export_whose_client_stops_reading_is_ended_and_its_slot_freed(server):
    stalled_export_is_ended(server, "identity")
    # Compressed, the rows pass through gzip before the socket: the same bound holds.
    stalled_export_is_ended(server, "gzip")


def test_an_export_its_timeout_ends_is_cut_off_not_ended_as_a_whole_response(server_of_short_exports):
    """An export whose statement runs past EXPORT_TIMEOUT_MS (its client slow here: the statement waits
    for the socket) ends without the chunked body's last chunk: a client can tell the file is not whole
    (curl exits with 18, Python's http.client raises IncompleteRead), as it cannot from a short file
    that ends as a whole one does."""
    stalled, head = export_to_stall(server_of_short_exports, "identity")
    try:
        assert head.startswith(b"HTTP/1.1 200") and b"Transfer-Encoding: chunked" in head
        time.sleep(2 * TIMEOUT_SECONDS)  # the statement, blocked on the full socket, times out
        stalled.settimeout(30)
        received = bytearray(head)
        while chunk := stalled.recv(1 << 16):
            received += chunk
    finally:
        stalled.close()
    assert len(received) > 1_000_000  # rows were sent before the cut (the buffers' worth at least)
    assert not received.endswith(b"\r\n0\r\n\r\n")  # no last chunk
