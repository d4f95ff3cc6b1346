"""The API under a database restart: a brief burst of 503s, then full recovery, with no restart of the app.

The test owns its database: an embedded PostgreSQL in a temporary folder, never the shared server. It
serves the API from it with gunicorn (as in production), sends a bounded stream of requests, restarts
the database in the middle, and checks every answer was a 200 or a 503 problem with Retry-After, and
that answers are 200 again soon after the database is back.
"""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from bench.server import answers_within, free_port
from conflictdb.embedded import start_server, stop_server

MAX_REQUESTS = 3000
MAX_SECONDS = 60
RECOVERY_SECONDS = 15
PAUSE_SECONDS = 0.01  # between requests: a steady stream, not a flood that ends before the restart does


def get(url: str) -> tuple[int, dict, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), started
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), started


@pytest.fixture
def own_database(tmp_path):
    """An embedded PostgreSQL of this test's own, migrated and loaded; stopped afterwards."""
    pgdata = tmp_path / "pgdata"
    pgdata.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"CONFLICTDB_PGDATA": str(pgdata), "API_ANON_RATE": "off"}  # measure the database only
    try:
        start_server(pgdata)
        for command in (["migrate", "--noinput", "-v0"], ["load_dataset"]):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=settings.BASE_DIR,
                env=env,
                check=True,
                capture_output=True,
            )
        yield pgdata, env
    finally:
        stop_server(pgdata)


@pytest.fixture
def server(own_database):
    pgdata, env = own_database
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "conflictdb.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert answers_within(f"http://127.0.0.1:{port}/api/v1/", 30), "the server did not start"
        yield f"http://127.0.0.1:{port}", pgdata
    finally:
        process.terminate()
        process.wait(10)


def test_a_database_restart_costs_a_brief_burst_of_503s(server, tmp_path):
    base, pgdata = server
    url = f"{base}/api/v1/events/?page_size=5"
    answers = []
    restarted = {}

    def restart():
        time.sleep(2)  # let the workers hold open connections first
        restarted["down"] = time.monotonic()
        stop_server(pgdata)
        time.sleep(1)
        start_server(pgdata)
        restarted["up"] = time.monotonic()

    restarter = threading.Thread(target=restart)
    restarter.start()
    deadline = time.monotonic() + MAX_SECONDS
    while len(answers) < MAX_REQUESTS and time.monotonic() < deadline:
        answers.append(get(url))
        time.sleep(PAUSE_SECONDS)
        if "up" in restarted and time.monotonic() - restarted["up"] > 5 and len(answers) > 50:
            break  # well past recovery: enough seen
    restarter.join()

    statuses = [status for status, _headers, _at in answers]
    unavailable = [(status, headers) for status, headers, _at in answers if status != 200]
    assert set(statuses) <= {200, 503}, f"unexpected statuses: {sorted(set(statuses))}"
    assert all(
        h.get("Retry-After") and h.get("Content-Type") == "application/problem+json" for _s, h in unavailable
    )
    after_restart = [(status, at) for status, _h, at in answers if at >= restarted["up"]]
    first_ok = next(at for status, at in after_restart if status == 200)
    recovery = first_ok - restarted["up"]
    assert recovery < RECOVERY_SECONDS
    # Once recovered, it stays recovered.
    assert all(status == 200 for status, at in after_restart if at >= first_ok)

    report = {
        "requests": len(answers),
        "status_503": statuses.count(503),
        "database_down_seconds": round(restarted["up"] - restarted["down"], 2),
        "recovery_seconds_after_database_up": round(recovery, 3),
    }
    (Path(tmp_path) / "restart.json").write_text(json.dumps(report))
    print(f"\nrestart test: {report}")
