"""A speed trick against its absence: two checkouts of the project measured in turn on the same paths.

The variant is a checkout with the trick disabled (`git worktree add --detach <dir> <commit>` and a small
patch there, `.venv` linked to this one's). Both serve the bench's database (BENCH_DATABASE_URL). Each
round measures the variant, then the baseline, so that a machine whose speed drifts over minutes
drifts for both alike; the ratio is taken round by round.

1. in-process Python CPU per request (bench/request_cpu.py: the best of --repeats runs of --requests
   requests, in a fresh process per round and checkout);
2. with --wrk-seconds, wrk (8 connections) against each checkout served by gunicorn, as `make bench`
   serves it: requests/s and p50 latency, each round --wrk-seconds long.

    BENCH_DATABASE_URL=postgres://... python -m bench.compare_checkouts --variant <dir> --rounds 5 PATH...

prints a markdown table per measure: each checkout's figure (best CPU and wall over the rounds; mean
requests/s, median p50) and their variant/baseline ratio, then the median and range of the rounds' own
ratios (a wide range: a noisy machine).
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
from pathlib import Path

from bench import CONNECTIONS, ROOT
from bench.server import database_env, start_server
from bench.wrk import wrk


def bench_env() -> dict:
    if not os.environ.get("BENCH_DATABASE_URL"):
        raise SystemExit("BENCH_DATABASE_URL names the bench's database (built by make bench)")
    return database_env()


def cpu_round(checkout: Path, paths, args) -> dict:
    command = [sys.executable, str(ROOT / "bench" / "request_cpu.py"), "--root", str(checkout)]
    command += ["--requests", str(args.requests), "--repeats", str(args.repeats), *paths]
    out = subprocess.run(command, env=bench_env(), capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def measured(url: str, seconds: int, script: str | None) -> dict:
    """wrk's requests/s and p50 of `url`; a run with errors stops the comparison."""
    result = wrk(url, seconds, Path(script) if script else None)
    if result["errors"]:
        raise SystemExit(f"{url}: {result['errors']} errors")
    return result


def ratio(variant: list[float], baseline: list[float], combine) -> str:
    """variant/baseline of the combined figures, then the median and range of the rounds' own ratios."""
    each = [v / b for v, b in zip(variant, baseline, strict=True)]
    overall = combine(variant) / combine(baseline)
    return f"{overall:.3f} (rounds {statistics.median(each):.2f}, {min(each):.2f}-{max(each):.2f})"


def compare_cpu(checkouts: dict, paths, args):
    rounds = {name: [] for name in checkouts}
    for turn in range(args.rounds):
        for name, checkout in checkouts.items():
            rounds[name].append(cpu_round(checkout, paths, args))
            print(f"cpu round {turn + 1}, {name}: {rounds[name][-1]}", file=sys.stderr, flush=True)
    print(
        f"\nPython CPU per request, best of {args.rounds} rounds x {args.repeats} runs of "
        f"{args.requests} requests:\n"
    )
    print("| path | variant CPU ms | baseline CPU ms | ratio | variant wall ms | baseline wall ms | ratio |")
    print("|---|---|---|---|---|---|---|")
    for path in paths:
        cells = [f"`{path}`"]
        walls = []
        for measure in ("cpu_ms", "wall_ms"):
            variant = [r[path][measure] for r in rounds["variant"]]
            baseline = [r[path][measure] for r in rounds["baseline"]]
            row = [f"{min(variant):.2f}", f"{min(baseline):.2f}", ratio(variant, baseline, min)]
            (cells if measure == "cpu_ms" else walls).extend(row)
        print("| " + " | ".join(cells + walls) + " |")


def compare_wrk(checkouts: dict, paths, args):
    servers = {
        name: start_server(bench_env(), args.workers, checkout) for name, checkout in checkouts.items()
    }
    try:
        rounds = {(name, path): [] for name in checkouts for path in paths}
        for _process, base in servers.values():
            for path in paths:
                measured(base + path, 2, args.script)  # warm up
        for turn in range(args.rounds):
            for path in paths:
                for name, (_process, base) in servers.items():
                    rounds[name, path].append(measured(base + path, args.wrk_seconds, args.script))
                    print(f"wrk round {turn + 1}, {name}, {path}: {rounds[name, path][-1]}", file=sys.stderr)
    finally:
        for process, _base in servers.values():
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(30)
    print(
        f"\nwrk, {CONNECTIONS} connections, gunicorn {args.workers} sync workers, {args.rounds} rounds of "
        f"{args.wrk_seconds} s each{', script ' + args.script if args.script else ''}:\n"
    )
    print("| path | variant req/s | baseline req/s | ratio | variant p50 ms | baseline p50 ms | ratio |")
    print("|---|---|---|---|---|---|---|")
    for path in paths:
        cells = [f"`{path}`"]
        for measure, combine in (("requests_per_second", statistics.mean), ("p50_ms", statistics.median)):
            variant = [r[measure] for r in rounds["variant", path]]
            baseline = [r[measure] for r in rounds["baseline", path]]
            cells += [
                f"{combine(variant):.1f}",
                f"{combine(baseline):.1f}",
                ratio(variant, baseline, combine),
            ]
        print("| " + " | ".join(cells) + " |")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--variant", type=Path, required=True, help="the checkout without the trick")
    parser.add_argument(
        "--baseline", type=Path, default=ROOT, help="the checkout with it (default: this one)"
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200, help="per run, for the CPU measure")
    parser.add_argument("--repeats", type=int, default=3, help="runs per round, for the CPU measure")
    parser.add_argument("--wrk-seconds", type=int, default=0, help="per round and checkout; 0: no wrk")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers, for wrk")
    parser.add_argument("--script", help="a wrk Lua script that writes each request (bench/new_dates.lua)")
    parser.add_argument("--no-cpu", action="store_true", help="wrk only")
    args = parser.parse_args()

    checkouts = {"variant": args.variant.resolve(), "baseline": args.baseline.resolve()}
    if not args.no_cpu:
        compare_cpu(checkouts, args.paths, args)
    if args.wrk_seconds:
        compare_wrk(checkouts, args.paths, args)


if __name__ == "__main__":
    main()
