"""A database host that accepts connections and never answers: the API gives up within seconds, with a
503 and Retry-After, instead of hanging its worker until the kernel gives up (minutes)."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
# One request through the whole stack (middleware, view, error handler), in a process of its own whose
# settings point at the silent host.
REQUEST = """
import json, django
django.setup()
from django.test import Client
response = Client(raise_request_exception=False).get("/api/v1/events/")
print(json.dumps({"status": response.status_code, "retry_after": response.get("Retry-After")}))
"""


def silent_host():
    """A TCP endpoint on a free port that accepts connections and never sends a byte."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = []

    def accept():
        while True:
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    return listener, accepted


def test_connections_to_a_host_that_never_answers_are_bounded():
    assert settings.DATABASES["default"]["OPTIONS"]["connect_timeout"] == settings.DB_CONNECT_TIMEOUT_S
    assert settings.DATABASES["default"]["OPTIONS"]["keepalives"] == 1


def test_a_silent_database_host_is_a_503_within_seconds():
    listener, accepted = silent_host()
    port = listener.getsockname()[1]
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://nobody@127.0.0.1:{port}/conflictdb",
        "DB_CONNECT_TIMEOUT_S": "2",
        "DJANGO_SETTINGS_MODULE": "conflictdb.settings",
    }
    started = time.monotonic()
    try:
        finished = subprocess.run(
            [sys.executable, "-c", REQUEST],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        listener.close()
        for connection in accepted:
            connection.close()
    elapsed = time.monotonic() - started

    assert accepted, "the request never tried the silent host"
    answer = json.loads(finished.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503, finished.stderr[-2000:]
    assert int(answer["retry_after"]) > 0
    assert elapsed < 30  # without connect_timeout, libpq waits for the server as long as the kernel does
