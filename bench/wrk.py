"""Driving the API with wrk: requests per second and latency percentiles of one URL, and of its rounds."""

import re
import statistics
import subprocess
from pathlib import Path

from bench import CONNECTIONS


def wrk(
    url: str,
    seconds: int,
    script: Path | None = None,
    connections: int = CONNECTIONS,
    headers: dict | None = None,
) -> dict:
    """Requests/s and latency percentiles of `url` under `connections` concurrent connections (`script`:
    a wrk Lua script that writes each request; `headers`: sent with each)."""
    out = subprocess.run(
        # A 30 s timeout: wrk's own (2 s) would drop the slow requests from the latencies it reports.
        ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
        + ["--latency", url]
        + (["-s", str(script)] if script else [])
        + [f"-H{name}: {value}" for name, value in (headers or {}).items()],
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
