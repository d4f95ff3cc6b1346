"""gzip or not: a page of JSON and the whole-table exports, each fetched with and without
`Accept-Encoding: gzip`, in turns, on the bench's database (docs/api.md#compression).

    BENCH_DATABASE_URL=postgres://... .venv/bin/python -m bench.compression [--rounds 3] [--pages 30]
        [--no-exports]

For each: bytes sent, seconds (on loopback, where the network costs nothing and compression only costs),
and the link speed below which the compressed answer arrives first (bytes saved / seconds added). The
exports' server worker memory is sampled as in the bench's export run (bench/export.py).
"""

import argparse
import gzip
import json
import statistics
import time
import urllib.request

from bench.export import export_run
from bench.server import database_env, start_server

PAGES = ["/api/v1/events/", "/api/v1/events/?page_size=1000"]  # the default page of 50, and the largest
# The whole table as CSV; GeoJSON (written row by row in Python, minutes for the whole table) for a country.
EXPORTS = ["/api/v1/events/?format=csv", "/api/v1/events/?format=geojson&country=UKR"]


def fetch_page(url: str, compressed: bool) -> tuple[float, int, float]:
    """Seconds to receive the answer, its bytes, and the client's seconds to decompress them."""
    headers = {"Accept-Encoding": "gzip"} if compressed else {}
    started = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as answer:
        body = answer.read()
        coded = answer.headers.get("Content-Encoding") == "gzip"
    seconds = time.perf_counter() - started
    assert coded == compressed, (url, coded)
    size = len(body)
    started = time.perf_counter()
    if coded:
        body = gzip.decompress(body)
    decompressing = time.perf_counter() - started
    json.loads(body)
    return seconds, size, decompressing


def fetch_export(base: str, server, path: str, compressed: bool) -> dict:
    run = export_run(base, server, path, ("Accept-Encoding: gzip",) if compressed else ())
    assert run["status"] == 200, (path, run["status"])
    return run


def break_even(plain: dict, coded: dict) -> str:
    """The link speed below which the compressed answer arrives first."""
    added = coded["seconds"] - plain["seconds"]
    saved = plain["bytes"] - coded["bytes"]
    if added <= 0:
        return "any"
    return f"{saved * 8 / added / 1e6:,.0f} Mbit/s"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--no-exports", action="store_true", help="the pages only (minutes less)")
    arguments = parser.parse_args()
    server, base = start_server(database_env(), workers=2)
    try:
        pages = {(path, c): [] for path in PAGES for c in (False, True)}
        exports = {(path, c): [] for path in EXPORTS for c in (False, True)}
        for _ in range(arguments.rounds):
            for path in PAGES:
                for compressed in (False, True):  # in turns, so that a drifting machine drifts for both
                    for _ in range(arguments.pages):
                        pages[path, compressed].append(fetch_page(base + path, compressed))
            for path in [] if arguments.no_exports else EXPORTS:
                for compressed in (False, True):
                    exports[path, compressed].append(fetch_export(base, server, path, compressed))
    finally:
        server.terminate()
        server.wait(30)

    def page_summary(runs):
        return {
            "seconds": statistics.median(r[0] for r in runs),
            "bytes": statistics.median(r[1] for r in runs),
            "decompress_seconds": statistics.median(r[2] for r in runs),
        }

    print(
        "| answer | identity bytes | gzip bytes | bytes ratio | identity s | gzip s | time ratio "
        "| gzip first below | worker RSS MB identity / gzip |"
    )
    print("|---|---|---|---|---|---|---|---|---|")

    def row(name, plain, coded, rss=""):
        print(
            f"| {name} | {plain['bytes']:,.0f} | {coded['bytes']:,.0f} "
            f"| {plain['bytes'] / coded['bytes']:.1f} "
            f"| {plain['seconds']:.3f} | {coded['seconds']:.3f} | {coded['seconds'] / plain['seconds']:.2f} "
            f"| {break_even(plain, coded)} | {rss} |"
        )

    for path in PAGES:
        plain, coded = page_summary(pages[path, False]), page_summary(pages[path, True])
        row(f"`{path}` (median of {len(pages[path, False])})", plain, coded)
        print(f"  the client's decompression of the gzip page: {coded['decompress_seconds']:.4f} s")
    for path in [] if arguments.no_exports else EXPORTS:
        runs = {c: exports[path, c] for c in (False, True)}
        summary = {
            c: {k: statistics.median(r[k] for r in runs[c]) for k in runs[c][0]} for c in (False, True)
        }
        rss = f"{summary[False]['peak_worker_rss_mb']:.0f} / {summary[True]['peak_worker_rss_mb']:.0f}"
        row(f"`{path}` (median of {len(runs[False])})", summary[False], summary[True], rss)
        print(
            "  each run, identity then gzip seconds:",
            [
                (round(a["seconds"], 1), round(b["seconds"], 1))
                for a, b in zip(runs[False], runs[True], strict=True)
            ],
        )


if __name__ == "__main__":
    main()
