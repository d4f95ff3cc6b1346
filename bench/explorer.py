"""The explorer at scale (issue 20): `/` loaded in Debian's headless Chromium, and an event page's
server time, against the bench's gunicorn.

A load of `/` is timed from the navigation's start to the end of its load event (PerformanceNavigation-
Timing): the HTML, the map and the timeline drawn by the server, the page's stylesheet, outlines and
script fetched and the script run, which is when a reader can use every control. Each page is loaded
once to warm the server's connections and caches, then LOADS times in a fresh tab of the same browser.
An event page's server time is the time to its last byte from one client alone (urllib over loopback),
the event with the most claims among the synthetic ones.

The browser is Debian's chromium and chromium-driver (`make browser` installs them): without them the
explorer is left out of the report, saying why.
"""

import statistics
import time
import urllib.request
from pathlib import Path

LOADS = 5
EVENT_REQUESTS = 20
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
PAGES = {
    "/ (every event)": "/",
    "/ filtered by the largest country": "/?country={country}",
    "/ filtered by country, type and year": "/?country={country}&event_type=battles"
    "&date_from=2015-01-01&date_to=2015-12-31",
}
LOAD_TARGET_S = 1.5
EVENT_TARGET_MS = 300


def headless_chromium(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_argument("--window-size=1400,1000")
    options.add_argument(f"--user-data-dir={profile}")
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


def load_seconds(browser, url: str) -> float:
    """Seconds from the start of the navigation to `url` to the end of its load event."""
    browser.get(url)  # returns once the page has loaded
    script = "return performance.getEntriesByType('navigation')[0].loadEventEnd"
    return browser.execute_script(script) / 1000


def event_page_ms(url: str) -> list[float]:
    times = []
    for _ in range(EVENT_REQUESTS):
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=60) as answer:
            answer.read()
        times.append((time.perf_counter() - started) * 1000)
    return times


def measure(base: str, country: str, event_slug: str, profile: Path) -> dict | None:
    """The explorer's figures, or None (and why, printed) without a browser."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        print(f"explorer not measured: {' and '.join(missing)} not installed (make browser)", flush=True)
        return None
    browser = headless_chromium(profile)
    pages = {}
    try:
        for name, path in PAGES.items():
            url = base + path.format(country=country)
            load_seconds(browser, url)  # warm
            loads = []
            for _ in range(LOADS):
                browser.switch_to.new_window("tab")
                loads.append(load_seconds(browser, url))
                browser.close()
                browser.switch_to.window(browser.window_handles[0])
            pages[name] = {"median_s": round(statistics.median(loads), 3), "loads_s": sorted(loads)}
            print(f"explorer {name}: {pages[name]}", flush=True)
    finally:
        browser.quit()
    event = event_page_ms(f"{base}/events/{event_slug}/")
    measured = {
        "pages": pages,
        "event_page": {"slug": event_slug, "p50_ms": round(statistics.median(event), 1)},
    }
    print(f"explorer event page: {measured['event_page']}", flush=True)
    return measured


def targets(explorer: dict | None) -> dict:
    if not explorer:
        return {}
    found = {
        f"explorer {name}: loaded within {LOAD_TARGET_S} s in headless Chromium": page["median_s"]
        <= LOAD_TARGET_S
        for name, page in explorer["pages"].items()
    }
    found[f"explorer event page under {EVENT_TARGET_MS} ms of server time"] = (
        explorer["event_page"]["p50_ms"] < EVENT_TARGET_MS
    )
    return found


def lines(explorer: dict | None) -> list[str]:
    if not explorer:
        return []
    found = [
        "",
        f"Explorer in headless Chromium (navigation start to load event end, median of {LOADS} loads):",
        "",
        "| page | median s | loads s |",
        "|---|---|---|",
    ]
    for name, page in explorer["pages"].items():
        found.append(f"| {name} | {page['median_s']} | {', '.join(f'{s:.2f}' for s in page['loads_s'])} |")
    event = explorer["event_page"]
    found += ["", f"Event page `/events/{event['slug']}/`, one client: p50 {event['p50_ms']} ms."]
    return found
