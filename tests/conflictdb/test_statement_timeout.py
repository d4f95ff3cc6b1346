"""A server's database connections get the servers' statement timeout, whichever its entry point (WSGI,
ASGI); a command, the shell or a script gets none; DB_STATEMENT_TIMEOUT_MS sets it for any process.

Each case is a child process, because the settings are read once per process, at start-up."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

SHOW_TIMEOUT = (
    "from django.db import connection; cursor = connection.cursor(); "
    "cursor.execute(\"SELECT setting FROM pg_settings WHERE name = 'statement_timeout'\"); "
    "print(cursor.fetchone()[0])"
)
ENTRY_POINTS = {
    "asgi": [sys.executable, "-c", f"import conflictdb.asgi; {SHOW_TIMEOUT}"],
    "wsgi": [sys.executable, "-c", f"import conflictdb.wsgi; {SHOW_TIMEOUT}"],
    "a script": [sys.executable, "-c", f"import django; django.setup(); {SHOW_TIMEOUT}"],
    "a command": [sys.executable, "manage.py", "shell", "-c", SHOW_TIMEOUT],
}


def timeout_ms(entry_point: str, **environment) -> int:
    """The statement timeout of a database connection of a process started by `entry_point`."""
    inherited = {k: v for k, v in os.environ.items() if k != "DB_STATEMENT_TIMEOUT_MS"}
    child = subprocess.run(
        ENTRY_POINTS[entry_point],
        env=inherited | {"DJANGO_SETTINGS_MODULE": "conflictdb.settings"} | environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == 0, child.stderr
    return int(child.stdout.split()[-1])


@pytest.mark.parametrize("server", ["asgi", "wsgi"])
def test_a_server_gets_the_servers_statement_timeout(server):
    assert settings.SERVER_STATEMENT_TIMEOUT_MS > 0
    assert timeout_ms(server) == settings.SERVER_STATEMENT_TIMEOUT_MS


@pytest.mark.parametrize("other", ["a script", "a command"])
def test_other_processes_get_no_statement_timeout(other):
    assert timeout_ms(other) == 0


@pytest.mark.parametrize("entry_point", ["asgi", "a command"])
def test_the_environment_sets_the_statement_timeout_of_any_process(entry_point):
    assert timeout_ms(entry_point, DB_STATEMENT_TIMEOUT_MS="1234") == 1234
