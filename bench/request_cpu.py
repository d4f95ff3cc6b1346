"""Python CPU and wall time per request of API paths, served in-process by the WSGI application.

Unlike wrk against gunicorn, the figure is this process's own CPU (`time.process_time()`), which other
work on the machine barely moves: what a speed trick in Python saves shows here even on a busy machine.
The request goes through Django's WSGI handler, signals included (so the connection's health check runs
before each request, as under gunicorn), against the database of DATABASE_URL.

    python bench/request_cpu.py --root <checkout> --requests 200 --repeats 5 /api/v1/events/ ...

prints one JSON object: for each path, the best of `repeats` runs of `requests` requests (CPU and wall
milliseconds per request, each the minimum over the runs) and the response's size. `--root` is the
checkout whose code serves the requests (default: this one), so that one script measures a variant
checkout and the baseline alike.
"""

import argparse
import io
import json
import os
import secrets
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit


def environ_for(path: str) -> dict:
    """A WSGI environ of an anonymous GET of `path` (with its query), as gunicorn would build it."""
    parts = urlsplit(path)
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT": "application/json",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def serve(application, path: str) -> tuple[str, int]:
    """One request of `path`: its status line and the size of its body, read to the end."""
    status = []
    response = application(environ_for(path), lambda line, headers, exc_info=None: status.append(line))
    try:
        size = sum(len(chunk) for chunk in response)
    finally:
        response.close()  # request_finished, as under a server
    return status[0], size


def measure(application, path: str, requests: int, repeats: int) -> dict:
    for _ in range(max(10, requests // 10)):  # warm: first-use compilation, caches, connection
        status, size = serve(application, path)
    if not status.startswith("200"):
        raise SystemExit(f"{path}: {status}")
    cpu, wall = [], []
    for _ in range(repeats):
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        for _ in range(requests):
            serve(application, path)
        cpu.append((time.process_time() - cpu_start) * 1000 / requests)
        wall.append((time.perf_counter() - wall_start) * 1000 / requests)
    return {"cpu_ms": round(min(cpu), 3), "wall_ms": round(min(wall), 3), "bytes": size}


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    os.chdir(args.root)
    sys.path.insert(0, str(args.root.resolve()))
    # Production-like settings, as the bench serves them: no debug, no rate limits.
    os.environ.update(
        DJANGO_SETTINGS_MODULE="conflictdb.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        API_ANON_RATE="off",
        API_USER_RATE="off",
    )
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    figures = {path: measure(application, path, args.requests, args.repeats) for path in args.paths}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
