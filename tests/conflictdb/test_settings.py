"""Settings come from the environment: DATABASE_URL picks the database."""

import json
import os
import subprocess
import sys
from urllib.parse import urlparse

import pytest
from django.conf import settings

PRINT_DATABASE = (
    "import json, conflictdb.settings as s; "
    "print(json.dumps({k: s.DATABASES['default'].get(k) for k in "
    "('ENGINE', 'NAME', 'USER', 'PASSWORD', 'HOST', 'PORT', 'CONN_MAX_AGE', 'CONN_HEALTH_CHECKS')}))"
)


def import_settings(database_url: str) -> subprocess.CompletedProcess:
    """Import the settings module afresh in a child process whose DATABASE_URL is `database_url`."""
    environment = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-c", PRINT_DATABASE],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.skipif("DATABASE_URL" not in os.environ, reason="the suite runs on the embedded server")
def test_the_running_suite_uses_the_database_url():
    url = urlparse(os.environ["DATABASE_URL"])
    database = settings.DATABASES["default"]

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"]) == (url.hostname, url.port)
    assert database["CONN_HEALTH_CHECKS"] is True


def test_database_url_gives_every_connection_setting():
    child = import_settings("postgres://curator:s3cret@db.example.org:6543/conflicts")

    assert child.returncode == 0, child.stderr
    assert json.loads(child.stdout) == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "conflicts",
        "USER": "curator",
        "PASSWORD": "s3cret",
        "HOST": "db.example.org",
        "PORT": 6543,
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def test_a_database_url_that_is_not_postgresql_is_refused():
    child = import_settings("sqlite:///conflicts.sqlite3")

    assert child.returncode != 0
    assert "ImproperlyConfigured" in child.stderr
    assert "PostgreSQL" in child.stderr
