"""`make bench`: the API on a large synthetic dataset, against the ceilings of PostgreSQL itself.

1. builds (or reuses) a synthetic dataset of --events events in its own database: BENCH_DATABASE_URL, or
   an embedded server under .pgdata-bench/ when it is not set;
2. serves the API under gunicorn on 127.0.0.1, as in production;
3. drives each scenario with wrk (8 connections) for --seconds, in --rounds turns taken in rotation with
   the other scenarios, and after each turn measures the ceiling of the same SQL for as long:
   every statement the request runs, executed straight through psycopg by 8 processes. Each scenario
   repeats one URL, except one whose every request has a new date range (nothing cached can help it);
4. times a streamed CSV export of the whole event table (and the peak memory of the worker serving it)
   against `psql \\copy` of the same query, and the same events in ACLED's layout (`format=acled`);
5. times what a user would do instead of each aggregate: the list's CSV export read into pandas and
   grouped (bench/aggregates.py);
6. loads the explorer's `/` in headless Chromium and times an event page (bench/explorer.py);
7. writes bench/results/<time>.json and .md, with EXPLAIN plans of the main queries.

`--only aggregates` measures the aggregate scenarios alone, `--only pages` the pages and records of the
lists, `--only caching` the same pages read again, uncached, as cache hits and as 304s (bench/caching.py),
`--only explorer` the explorer alone (each skips the export and the worst cases); `--only scale` the pages
and the export, what the scale curve compares from one size to the next (bench/curve.py).

Above a million events the dataset is a million derived and copies of them (`generate_synthetic --copies`,
synthetic/copies.py): --events is then a multiple of a million.

Nothing here asserts a figure: the report states them, and the targets they are held to.
"""

import argparse
import json
import math
import os
import signal
import tempfile
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from bench import CONNECTIONS, aggregates, caching, explorer
from bench.export import export_query, export_run, psql_copy
from bench.report import database_bytes, machine, targets, write_report
from bench.scenarios import DEEP, NEW_DATES_EXAMPLE, event_with_claims, largest_country, scenarios, script_of
from bench.server import database_env, manage, start_server
from bench.sql import ceiling, explain, page_statement, psycopg_uri, statements_of
from bench.worst_cases import BESIDE_EXPORTS, exports_running, record_with_long_history
from bench.worst_cases import paths as worst_case_paths
from bench.wrk import combined, wrk

DERIVED = 1_000_000  # the most events the generator derives; above, copies of them


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=10, help="per scenario, for wrk and for the ceiling")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--rounds", type=int, default=3, help="turns each scenario takes (of seconds/rounds)")
    parser.add_argument(
        "--only",
        choices=["aggregates", "caching", "explorer", "pages", "scale"],
        help="measure these scenarios alone",
    )
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.events > DERIVED and args.events % DERIVED:
        parser.error(f"above {DERIVED:,} events, --events is a multiple of {DERIVED:,} (the rest are copies)")
    return args


def dataset(env, events: int):
    """The bench's database, migrated and holding exactly `events` synthetic events; Django set up on it."""
    os.environ.update(env)
    manage(env, "migrate", "--noinput", "-v0")
    import django

    django.setup()
    from conflictdb.models import SYNTHETIC_PREFIX
    from events.models import Event

    have = Event.objects.filter(slug__startswith=SYNTHETIC_PREFIX).count()
    if have != events:
        print(f"building {events:,} synthetic events (have {have:,})...", flush=True)
        derived = min(events, DERIVED)
        copies = ["--copies", str(events // derived)] if events > derived else []
        manage(env, "generate_synthetic", "--events", str(derived), "--seed", "1", "--replace", *copies)


def count_of(url: str) -> dict:
    """The count a list's page gives, and whether it is an estimate (a detail has none)."""
    with urllib.request.urlopen(url, timeout=120) as response:
        body = json.load(response)
    return {key: body[key] for key in ("count", "count_is_estimate") if key in body}


def measure(base: str, uri: str, paths: dict, args) -> dict:
    """Each scenario through the API (wrk), and the ceiling of its statements (psycopg), in turns."""
    round_seconds = math.ceil(args.seconds / args.rounds)
    statements = {}
    for name, path in paths.items():
        if script_of(name):  # the statements of one such request, dates as the script writes them
            statements[name] = statements_of(path + NEW_DATES_EXAMPLE, repeated=False)
        else:
            statements[name] = statements_of(path)
        wrk(base + path, 2, script_of(name))  # warm up caches and connections
    # The scenarios take turns, a round each, and each round of the API is followed by a round of its
    # ceiling, so that a machine whose speed drifts over minutes (as these do, by 15%; more when other
    # work starts or stops) drifts for all of them alike, and for a scenario and its ceiling alike.
    rounds, ceilings = {name: [] for name in paths}, {name: [] for name in paths}
    for turn in range(args.rounds):
        for name, path in paths.items():
            rounds[name].append(wrk(base + path, round_seconds, script_of(name)))
            ceilings[name].append(ceiling(uri, statements[name], round_seconds))
            print(f"round {turn + 1}, {name}: {rounds[name][-1]}, ceiling {ceilings[name][-1]}/s", flush=True)
    results = {}
    for name, path in paths.items():
        print(f"{name}: {path}", flush=True)
        measured = combined(rounds[name])
        measured["queries_per_request"] = len(statements[name])
        measured["ceiling_per_second"] = round(sum(ceilings[name]) / len(ceilings[name]), 1)
        ratio = measured["requests_per_second"] / measured["ceiling_per_second"]
        measured["ratio_to_ceiling"] = round(ratio, 3)
        pairs = zip(rounds[name], ceilings[name], strict=True)
        measured["ratio_to_ceiling_by_round"] = [round(r["requests_per_second"] / c, 3) for r, c in pairs]
        if not script_of(name):
            measured |= count_of(base + path)
        results[name] = measured
        print(f"  {measured}", flush=True)
    return results


def measure_beside_exports(base: str, uri: str, paths: dict, results: dict, args) -> dict:
    """The filtered first page while two clients export the whole event table in a loop: what exports
    under their own limits leave to everyone else."""
    path = paths["filtered first page"]
    with exports_running(base) as exports:
        seconds = math.ceil(args.seconds / args.rounds)
        measured = combined([wrk(base + path, seconds) for _ in range(args.rounds)])
    measured["queries_per_request"] = results["filtered first page"]["queries_per_request"]
    measured["ceiling_per_second"] = results["filtered first page"]["ceiling_per_second"]
    measured["ratio_to_ceiling"] = round(measured["requests_per_second"] / measured["ceiling_per_second"], 3)
    measured["exports_finished"] = len(exports)
    print(f"{BESIDE_EXPORTS}: {measured}", flush=True)
    return measured


def measure_export(base: str, server, uri: str) -> dict:
    export = export_run(base, server, "/api/v1/events/?format=csv")
    export["psql_copy_seconds"] = psql_copy(uri, export_query())
    export["ratio_to_psql_copy"] = round(export["seconds"] / export["psql_copy_seconds"], 2)
    print(f"csv export: {export}", flush=True)
    # The same events in ACLED's layout: its time and memory against the CSV export's.
    acled = export_run(base, server, "/api/v1/events/?format=acled")
    acled["ratio_to_csv_export"] = round(acled["seconds"] / export["seconds"], 2)
    export["acled"] = acled
    print(f"acled export: {acled}", flush=True)
    return export


def plans(paths: dict) -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) of the page statement of the filtered, deep, search and aggregate
    scenarios, in the scenarios' order."""
    planned = ("filtered first page", "text search")
    names = [name for name in paths if name in planned or name.startswith((DEEP, aggregates.PREFIX))]
    return {name: explain(page_statement(statements_of(paths[name]))) for name in names}


def main():
    args = arguments()
    env = database_env()
    dataset(env, args.events)
    from django.db import connection

    uri = psycopg_uri(connection)
    paths = {
        "aggregates": aggregates.paths,
        "pages": scenarios,
        "scale": scenarios,
        "caching": dict,  # the pages read again are bench/caching.py's, on servers of its own
        "explorer": dict,  # the explorer's pages are bench/explorer.py's own
        None: lambda: scenarios() | worst_case_paths(record_with_long_history()) | aggregates.paths(),
    }[args.only]()
    read_again = caching.paths(scenarios()) if args.only in (None, "caching") else {}
    with_explorer = args.only in (None, "explorer")
    if with_explorer:
        manage(env, "collectstatic", "--noinput", "-v0")  # the explorer's files, served by whitenoise
    results, pandas, export, explorer_figures = {}, {}, None, None
    if args.only != "caching":
        server, base = start_server(env, args.workers)
        try:
            results = measure(base, uri, paths, args)
            pandas = aggregates.measure(base, paths, results, runs=1, seconds=args.seconds)
            if not args.only:
                results[BESIDE_EXPORTS] = measure_beside_exports(base, uri, paths, results, args)
            export = measure_export(base, server, uri) if args.only in (None, "scale") else None
            if with_explorer:
                with tempfile.TemporaryDirectory() as profile:
                    subjects = largest_country(), event_with_claims()
                    explorer_figures = explorer.measure(base, *subjects, Path(profile))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
    cached = caching.measure(env, read_again, args) if read_again else {}
    write_report(
        {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(connection),
            "database_bytes": database_bytes(connection),
            "events": args.events,
            "seconds_per_scenario": math.ceil(args.seconds / args.rounds) * args.rounds,
            "rounds": args.rounds,
            "gunicorn_workers": args.workers,
            "connections": CONNECTIONS,
            "scenarios": results,
            "paths": paths or read_again,
            "csv_export": export,
            "export_and_pandas": pandas,
            "explorer": explorer_figures,
            "caching": cached,
            "targets": (targets(results, export) if export else {})
            | aggregates.targets(results, pandas)
            | explorer.targets(explorer_figures)
            | caching.targets(cached),
            "explain": plans(paths),
        }
    )


if __name__ == "__main__":
    main()
