"""The processes a bench run starts: its own database, production-like settings, the API under gunicorn."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request

from bench import ROOT


def database_env() -> dict:
    """Environment for every process of the run: the bench's own database, production-like settings."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CONFLICTDB_PGDATA")}
    if os.environ.get("BENCH_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    else:
        env["CONFLICTDB_PGDATA"] = str(ROOT / ".pgdata-bench")
    return env | {
        "DJANGO_SETTINGS_MODULE": "conflictdb.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        # The API, not the rate limiter (at thousands of requests a second from one address, DRF's counter
        # of recent requests would be pickled whole on every request).
        "API_ANON_RATE": "off",
        "API_USER_RATE": "off",
        "API_EXPORT_RATE": "off",
        # Every request computed, as the scenarios measure; the cache's own scenarios turn it on
        # (bench/caching.py).
        "RESPONSE_CACHE_SECONDS": "0",
    }


def manage(env, *args, **kwargs):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (the system's choice)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers_within(url: str, seconds: float) -> bool:
    """Whether `url` answers with a success before `seconds` have passed (a server still starting, or
    whose database is away, refuses or errs)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return True
        except OSError:  # refused, reset, timed out, or an HTTP error status (HTTPError)
            time.sleep(0.2)
    return False


def start_server(env, workers: int, root=ROOT):
    """gunicorn serving the API of the checkout at `root` (this one by default, with the interpreter
    running) on a free port, as in production; (process, base URL) once it answers."""
    python = sys.executable if root == ROOT else str(root / ".venv" / "bin" / "python")
    port = free_port()
    process = subprocess.Popen(
        [python, "-m", "gunicorn", "conflictdb.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(workers), "--timeout", "600", "--log-level", "warning"],
        cwd=root,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    if not answers_within(f"{base}/api/v1/", 60):
        process.kill()
        raise SystemExit(f"the server of {root} did not start")
    return process, base
