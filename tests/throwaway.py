"""New, empty databases on the test server for tests that start from nothing (migrate, load), and
manage.py run against them as a user would run it."""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from urllib.parse import quote, urlsplit

import psycopg
from django.conf import settings


@contextmanager
def new_database(prefix: str, template: str | None = None):
    """The URL of a new database on the test server, dropped afterwards: empty, or a copy of the database
    at the URL `template` (which nothing may be connected to meanwhile)."""
    server = settings.DATABASES["default"]
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = psycopg.connect(
        host=server["HOST"],
        port=server["PORT"],
        user=server["USER"],
        password=server["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    )
    try:
        copied = f' TEMPLATE "{urlsplit(template).path.lstrip("/")}"' if template else ""
        admin.execute(f'CREATE DATABASE "{name}"{copied}')
        yield database_url(name)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def database_url(name: str) -> str:
    """The URL of the database `name` on the test server, as the test's own connection reaches it."""
    server = settings.DATABASES["default"]
    auth = f"{server['USER']}:{server['PASSWORD']}" if server["PASSWORD"] else server["USER"]
    # A Unix socket folder (the embedded server) goes in the host part percent-encoded.
    host = quote(server["HOST"], safe="") + (f":{server['PORT']}" if server["PORT"] else "")
    return f"postgres://{auth}@{host}/{name}"


def manage(database_url: str, *arguments: str) -> str:
    """Run `manage.py *arguments` on the database; its output."""
    finished = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env=os.environ | {"DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout
