"""The SQL behind a request: its statements, how often PostgreSQL alone runs them (the ceiling), its plan.

Everything here runs after django.setup(), in the bench's own process, against the bench's database.
"""

import multiprocessing
import time

from bench import CONNECTIONS


def statements_of(path: str, repeated: bool = True) -> list[str]:
    """Every SQL statement the API runs for `path`, with its parameters inlined: when the same request
    has just been answered (`repeated`, so a row estimate is cached), or with an empty cache."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    if repeated:
        Client().get(path, HTTP_HOST="127.0.0.1")
    with CaptureQueriesContext(connection) as captured:
        response = Client().get(path, HTTP_HOST="127.0.0.1")
    assert response.status_code == 200, (path, response.status_code)
    return [query["sql"] for query in captured.captured_queries]


def page_statement(statements: list[str]) -> str:
    """The statement that reads the page: a list's last SELECT (after the estimate and the count, if any;
    an aggregate's is followed by its transaction's COMMIT)."""
    return [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")][-1]


def psycopg_uri(connection) -> str:
    """A libpq connection string to the database Django's `connection` uses, with the server settings
    the API's connections start with (`options`: JIT off, the planner's page costs, any statement
    timeout), so that the ceiling's statements are planned and run as the API's are."""
    from psycopg.conninfo import make_conninfo

    params = connection.get_connection_params()
    named = ("dbname", "user", "password", "host", "port", "options")
    keep = {k: v for k, v in params.items() if k in named and v}
    return make_conninfo(**keep)


def _loop(uri: str, statements: list[str], seconds: float, counter):
    import psycopg

    with psycopg.connect(uri, autocommit=True) as conn:
        done, deadline = 0, time.monotonic() + seconds
        while time.monotonic() < deadline:
            for sql in statements:  # a transaction's BEGIN, SET LOCAL and COMMIT among them
                cursor = conn.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
            done += 1
    with counter.get_lock():
        counter.value += done


def ceiling(uri: str, statements: list[str], seconds: int) -> float:
    """How many times per second CONNECTIONS psycopg clients can run `statements` (one request's worth)."""
    counter = multiprocessing.Value("i", 0)
    workers = [
        multiprocessing.Process(target=_loop, args=(uri, statements, seconds, counter))
        for _ in range(CONNECTIONS)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return round(counter.value / seconds, 1)


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())
