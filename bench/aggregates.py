"""The aggregate scenarios (issue 18), and what a user would do without the endpoint: export the rows as
CSV through the API, read them into pandas, group them the same way.

The scenarios run like the others (wrk against the ceiling of their SQL through psycopg). Then each is
asked by one client alone, one request after another: the p50 of that is the time a user waits for the
answer, and the targets' p50. (Under the bench's 8 connections, on a machine with fewer CPUs than
connections, a p50 is mostly the requests queued before it.) The pandas way is timed once per scenario,
from the first byte asked for to the grouped frame, in the same run, and compared with that one client's
p50: pandas, too, serves one user at a time.
"""

import io
import statistics
import time
import urllib.request

from bench.scenarios import largest_country
from bench.wrk import wrk

PREFIX = "aggregate: "
COUNTRY_MONTHS = f"{PREFIX}one country by month, all years"
COUNTRY_YEARS = f"{PREFIX}every event by country and year"
TYPE_WEEKS = f"{PREFIX}one type by ISO week, one year"
CLAIMANT_STATUS = f"{PREFIX}claims by claimant and status, top 1,000"
ONE_YEAR = ("2015-01-01", "2015-12-31")


def paths() -> dict[str, str]:
    """The aggregate scenarios' paths; the country is the one with the most events."""
    country = largest_country()
    events, claims = "/api/v1/events/aggregate/", "/api/v1/claims/aggregate/"
    return {
        COUNTRY_MONTHS: f"{events}?group_by=month&country={country}",
        COUNTRY_YEARS: f"{events}?group_by=country,year",
        TYPE_WEEKS: f"{events}?group_by=event_type,week&event_type=battles"
        f"&date_from={ONE_YEAR[0]}&date_to={ONE_YEAR[1]}",
        CLAIMANT_STATUS: f"{claims}?group_by=claimant,status&ordering=-claims&limit=1000",
    }


def export_of(path: str) -> str:
    """The list export a user would read instead: the same filters, as CSV."""
    collection = "claims" if path.startswith("/api/v1/claims/") else "events"
    query = path.split("?", 1)[1]
    kept = [p for p in query.split("&") if p.split("=")[0] not in ("group_by", "ordering", "limit", "fill")]
    return f"/api/v1/{collection}/?{'&'.join(kept + ['format=csv'])}"


def grouped_in_pandas(name: str, frame):
    """The scenario's grouping of the exported rows, as the endpoint defines it (an event in a period
    only when its whole range is)."""
    import pandas as pd

    if name == CLAIMANT_STATUS:
        counts = frame.groupby(["claimant", "status"], dropna=False).size()
        return counts.sort_values(ascending=False).head(1000)
    start, end = pd.to_datetime(frame["start_date"]), pd.to_datetime(frame["end_date"])
    if name == TYPE_WEEKS:
        first, last = start.dt.to_period("W-SUN"), end.dt.to_period("W-SUN")
        keys = ["event_type"]
    else:
        unit = "M" if name == COUNTRY_MONTHS else "Y"
        first, last = start.dt.to_period(unit), end.dt.to_period(unit)
        keys = [] if name == COUNTRY_MONTHS else ["country"]
    frame = frame.assign(period=first.where(first == last))
    metrics = {
        "events": ("slug", "size"),
        **{f: (f, "sum") for f in ("fatalities_low", "fatalities_best", "fatalities_high")},
        "disputed": ("disputed", "sum"),
        "claims": ("claim_count", "sum"),
    }
    return frame.groupby([*keys, "period"], dropna=False).agg(**metrics)


def export_and_pandas(base: str, name: str, path: str, runs: int) -> dict:
    """Seconds (median of `runs`) to export the rows, read them into pandas and group them."""
    import pandas as pd

    timings, rows = [], 0
    for _ in range(runs):
        started = time.monotonic()
        with urllib.request.urlopen(base + export_of(path), timeout=1800) as response:
            frame = pd.read_csv(io.BytesIO(response.read()), keep_default_na=False, na_values=[""])
        grouped_in_pandas(name, frame)
        timings.append(time.monotonic() - started)
        rows = len(frame)
    return {"seconds": round(statistics.median(timings), 2), "rows_exported": rows, "runs": runs}


def measure(base: str, paths_by_name: dict, results: dict, runs: int, seconds: int) -> dict:
    """Each aggregate scenario's p50 for one client alone (into `results`), its export-and-pandas time,
    and the ratio of the two."""
    measured = {}
    for name, path in paths_by_name.items():
        if not name.startswith(PREFIX):
            continue
        alone = wrk(base + path, seconds, connections=1)
        results[name]["p50_ms_one_client"] = alone["p50_ms"]
        print(f"{name}, one client: {alone}", flush=True)
        pandas = export_and_pandas(base, name, path, runs)
        p50 = alone["p50_ms"]  # 0 when no request finished within the scenario's time
        pandas["times_slower_than_the_endpoint"] = round(pandas["seconds"] * 1000 / p50, 1) if p50 else None
        measured[name] = pandas
        print(f"{name}, export + pandas: {pandas}", flush=True)
    return measured


def targets(results: dict, pandas: dict) -> dict:
    """Issue 18's targets for each aggregate scenario measured."""
    found = {}
    for name, r in results.items():
        if not name.startswith(PREFIX):
            continue
        limit = 30 if name == COUNTRY_MONTHS else 100
        found[f"{name}: p50 under {limit} ms (one client)"] = 0 < r["p50_ms_one_client"] < limit
        found[f"{name}: at least 0.5 of its SQL ceiling"] = r["ratio_to_ceiling"] >= 0.5
        if name in pandas:
            times = pandas[name]["times_slower_than_the_endpoint"]
            found[f"{name}: 10 times faster than export + pandas"] = times is not None and times >= 10
    return found
