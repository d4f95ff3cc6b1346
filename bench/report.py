"""The report of a bench run: the machine, the targets the figures are held to, bench/results/<time>.md
and .json. Nothing here asserts a figure: the report states them, and whether each target is met."""

import json
import os
import platform

from bench import ROOT, caching, explorer
from bench.scenarios import NEW_DATES, NEW_DATES_SCRIPT, deep_page

RESULTS = ROOT / "bench" / "results"


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


def database_bytes(connection) -> dict:
    """The bench database's size on disk."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return {"database": cursor.fetchone()[0]}


def targets(results: dict, export: dict) -> dict:
    first, deep = results["unfiltered first page"], deep_page(results)
    filtered, detail = results["filtered first page"], results["event detail"]
    claims = results["claims filtered first page"]
    return {
        "deep page p50 within 1.2x of the first page's": deep["p50_ms"] <= 1.2 * first["p50_ms"],
        "filtered first page at least 10% of its ceiling": filtered["ratio_to_ceiling"] >= 0.10,
        "filtered first page p50 under 20 ms": filtered["p50_ms"] < 20,
        "CSV export within 2x of psql \\copy": export["ratio_to_psql_copy"] <= 2,
        "CSV and ACLED exports complete": all(run.get("complete", True) for run in (export, export["acled"])),
        "CSV export server peak memory under 150 MB": export["peak_worker_rss_mb"] < 150,
        "ACLED export server peak memory under 150 MB": export["acled"]["peak_worker_rss_mb"] < 150,
        "claims filtered first page at least 30% of its ceiling": claims["ratio_to_ceiling"] >= 0.3,
        "event detail in a constant number of queries": detail["queries_per_request"] <= 5,
    }


def cut_off(export: dict) -> str:
    """What a report says of an export that did not end whole (one cut off by its statement timeout);
    a report from before `complete` was recorded says nothing."""
    return "" if export.get("complete", True) else " (CUT OFF before its end)"


def aggregate_lines(report: dict) -> list[str]:
    """The aggregates beside what a user would do instead: the list's CSV export, pandas, a groupby."""
    pandas = report.get("export_and_pandas") or {}
    if not pandas:
        return []
    lines = [
        "",
        "| aggregate | p50 ms, one client | p50 ms, 8 connections | ratio to SQL ceiling "
        "| export + pandas s (rows) | times faster (one client) |",
        "|---|---|---|---|---|---|",
    ]
    for name, p in pandas.items():
        r = report["scenarios"][name]
        lines.append(
            f"| {name} | {r['p50_ms_one_client']} | {r['p50_ms']} | {r['ratio_to_ceiling']:.2f} "
            f"| {p['seconds']} ({p['rows_exported']:,}) | {p['times_slower_than_the_endpoint']} |"
        )
    return lines


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
        f"The database on disk: {report['database_bytes']['database'] / 2**30:.1f} GiB.",
        "",
        "| scenario | requests/s | p50 ms | p99 ms | queries/request | ceiling/s (same SQL) | ratio "
        "| count |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in report["scenarios"].items():
        count = f"{r['count']:,}{' (estimate)' if r['count_is_estimate'] else ''}" if "count" in r else ""
        lines.append(
            f"| {name} | {r['requests_per_second']:.0f} | {r['p50_ms']} | {r['p99_ms']} "
            f"| {r['queries_per_request']} | {r['ceiling_per_second']:.0f} | {r['ratio_to_ceiling']:.2f} "
            f"| {count} |"
        )
    e = report["csv_export"]
    if e:
        a = e["acled"]
        lines += [
            "",
            f"CSV export of every event{cut_off(e)}: {e['seconds']} s, {e['bytes'] / 2**20:.0f} MB, "
            f"server worker peak RSS {e['peak_worker_rss_mb']} MB; "
            f"`psql \\copy` of the same query: {e['psql_copy_seconds']} s (ratio {e['ratio_to_psql_copy']}).",
            f"The same events in ACLED's layout (`format=acled`){cut_off(a)}: {a['seconds']} s, "
            f"{a['bytes'] / 2**20:.0f} MB, peak RSS {a['peak_worker_rss_mb']} MB "
            f"({a['ratio_to_csv_export']} times the CSV export's time).",
        ]
    lines += aggregate_lines(report)
    lines += caching.report_lines(report.get("caching"))
    lines += explorer.lines(report.get("explorer"))
    lines += [
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
    print("\n".join(lines[: 14 + len(report["scenarios"])]))
    print(f"\nreport: {stem.with_suffix('.md').relative_to(ROOT)}")
