"""The scale curve (issue 21): bench reports of several sizes side by side, each figure against the
million's.

    make bench EVENTS=100000 ONLY=scale; make bench ONLY=scale; make bench EVENTS=10000000 ONLY=scale
    python -m bench.curve bench/results/<100k>.json bench/results/<1M>.json bench/results/<10M>.json

prints a Markdown table: each scenario's p50 at each size and its ratio to the p50 at a million events
(the report nearest a million when none is), whether its count is an estimate, the CSV export's seconds
per million events and its server's peak memory, and the database's size per million events.
"""

import json
import sys
from pathlib import Path

MILLION = 1_000_000


def load(paths: list[str]) -> list[dict]:
    reports = [json.loads(Path(path).read_text()) for path in paths]
    return sorted(reports, key=lambda report: report["events"])


def reference(reports: list[dict]) -> dict:
    """The report the others are compared with: the one of a million events, or the nearest."""
    return min(reports, key=lambda report: abs(report["events"] - MILLION))


def size(events: int) -> str:
    return f"{events / MILLION:g}M" if events >= MILLION else f"{events / 1000:g}k"


def scenario_lines(reports: list[dict]) -> list[str]:
    base = reference(reports)
    head = " | ".join(f"p50 ms at {size(r['events'])} (ratio)" for r in reports)
    lines = [f"| scenario | {head} | count at each size |", "|---|" + "---|" * (len(reports) + 1)]
    for name in base["scenarios"]:
        cells, counts = [], []
        for report in reports:
            measured = next(
                (m for n, m in report["scenarios"].items() if n.split(" (")[0] == name.split(" (")[0]), None
            )
            if measured is None:
                cells.append("")
                continue
            ratio = measured["p50_ms"] / base["scenarios"][name]["p50_ms"]
            cells.append(f"{measured['p50_ms']} ({ratio:.2f})")
            if "count" in measured:
                counts.append(f"{measured['count']:,}{'~' if measured['count_is_estimate'] else ''}")
        lines.append(f"| {name} | {' | '.join(cells)} | {', '.join(counts)} |")
    return lines


def resource_lines(reports: list[dict]) -> list[str]:
    lines = [
        "",
        "| events | CSV export s (per million events) | its worker's peak RSS MB | `psql \\copy` s "
        "| database GiB (per million events) |",
        "|---|---|---|---|---|",
    ]
    for report in reports:
        millions = report["events"] / MILLION
        export = report.get("csv_export") or {}
        disk = report.get("database_bytes", {}).get("database")
        exported = f"{export['seconds']} ({export['seconds'] / millions:.1f})" if export else ""
        stored = f"{disk / 2**30:.1f} ({disk / 2**30 / millions:.2f})" if disk else ""
        lines.append(
            f"| {report['events']:,} | {exported} | {export.get('peak_worker_rss_mb', '')} "
            f"| {export.get('psql_copy_seconds', '')} | {stored} |"
        )
    return lines


def main(paths: list[str]) -> None:
    reports = load(paths)
    print("\n".join(scenario_lines(reports) + resource_lines(reports)))
    print("\n(`~`: the count is PostgreSQL's estimate, `count_is_estimate: true`.)")


if __name__ == "__main__":
    main(sys.argv[1:])
