"""The cache's scenarios (`--only caching`, and in every full run): pages and a record read again and
again by anonymous clients, uncached, as a cache hit, and as a 304, side by side and in the same rounds.

Two servers, one with the response cache off (every request computed, as the other scenarios measure)
and one with it on (conflictdb/response_cache.py), each with --workers workers, take turns with wrk.
The 304 sends back the ETag its path was answered with. The targets: a hit and a 304 each at least twice
the requests per second of the same path uncached (issue 21).

A hit and a 304 hold while the data version stands still: the database server's snapshot, which any
commit on that server moves, in any of its databases (conflictdb/data_version.py). On a server others
write to, some "hits" are misses and some "304s" are 200s: each path's ETag is read again after its
rounds, and the report says where it moved.
"""

import math
import os
import signal
import urllib.request

from bench.scenarios import DEEP, deep_page
from bench.server import start_server
from bench.wrk import combined, wrk

VARIANTS = ("uncached", "cache hit", "304")
KEPT_SECONDS = "600"


def paths(scenarios: dict) -> dict:
    """The paths read again: the unfiltered and filtered first pages, the deep page, an event."""
    chosen = ("unfiltered first page", "filtered first page", "event detail")
    return {name: scenarios[name] for name in chosen} | {DEEP: deep_page(scenarios)}


def etag_of(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as answer:
        return answer.headers["ETag"]


def measure(env, paths: dict, args) -> dict:
    """{path name: {variant: wrk's figures, and its ratio to the uncached variant}}."""
    uncached, uncached_base = start_server(env, args.workers)
    cached, cached_base = start_server(env | {"RESPONSE_CACHE_SECONDS": KEPT_SECONDS}, args.workers)
    try:
        runs = {}
        tags = {}
        for name, path in paths.items():
            tag = tags[name] = etag_of(cached_base + path)
            runs[name] = {
                "uncached": (uncached_base + path, {}),
                "cache hit": (cached_base + path, {}),
                "304": (cached_base + path, {"If-None-Match": tag}),
            }
        round_seconds = math.ceil(args.seconds / args.rounds)
        for variants in runs.values():
            for url, headers in variants.values():
                wrk(url, 2, headers=headers)  # warm up connections, caches and the kept answers
        rounds = {(name, variant): [] for name in runs for variant in VARIANTS}
        for turn in range(args.rounds):
            for (name, variant), taken in rounds.items():
                url, headers = runs[name][variant]
                taken.append(wrk(url, round_seconds, headers=headers))
                print(f"round {turn + 1}, {name}, {variant}: {taken[-1]}", flush=True)
        steady = {name: etag_of(cached_base + path) == tags[name] for name, path in paths.items()}
    finally:
        for server in (uncached, cached):
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
    results = {}
    for name in runs:
        measured = {variant: combined(rounds[name, variant]) for variant in VARIANTS}
        base = measured["uncached"]["requests_per_second"]
        for figures in measured.values():
            figures["ratio_to_uncached"] = round(figures["requests_per_second"] / base, 2)
        measured["version_stood_still"] = steady[name]
        results[name] = measured
        print(f"{name}: {measured}", flush=True)
    return results


def targets(results: dict) -> dict:
    return {
        f"{name}, {variant} at least 2x uncached": measured[variant]["ratio_to_uncached"] >= 2
        for name, measured in results.items()
        for variant in ("cache hit", "304")
    }


def report_lines(results: dict | None) -> list[str]:
    if not results:
        return []
    lines = [
        "",
        "Read again (bench/caching.py): requests/s (p50 ms), and the ratio to the same path uncached.",
        "",
        "| path | uncached | cache hit | ratio | 304 | ratio |",
        "|---|---|---|---|---|---|",
    ]
    for name, m in results.items():
        cells = [f"{m[v]['requests_per_second']:.0f} ({m[v]['p50_ms']})" for v in VARIANTS]
        lines.append(
            f"| {name} | {cells[0]} | {cells[1]} | {m['cache hit']['ratio_to_uncached']} "
            f"| {cells[2]} | {m['304']['ratio_to_uncached']} |"
        )
    moved = [name for name, m in results.items() if not m.get("version_stood_still", True)]
    if moved:
        lines += [
            "",
            f"The data version moved during the rounds of: {', '.join(moved)} (a commit on the database "
            "server): some of their hits were misses, and some 304s full answers.",
        ]
    return lines
