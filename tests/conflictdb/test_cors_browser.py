"""CORS in a real headless Chromium: a page of another origin reads the API, writes with a token, and
reads the headers the API exposes; its cookie-authenticated write is refused by the browser itself.

The API is the live server (http://localhost:PORT); the other site a page served by a second server on
http://127.0.0.1:OTHER (another origin, and another site, so the session cookie is not sent)."""

import io
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from events.models import Place
from tests import factories

PASSWORD = "correct-horse-battery-staple-42"
PAGE = b"<!doctype html><title>Another site</title><p>A map that reads ConflictDB.</p>"

# Runs in the page: fetch(url, options), then what a script can see of the answer. The last argument of
# execute_async_script is the callback.
FETCH = """
const [url, options, done] = arguments;
fetch(url, options).then(async (answer) => done({
    status: answer.status,
    type: answer.type,
    etag: answer.headers.get("ETag"),
    location: answer.headers.get("Location"),
    retryAfter: answer.headers.get("Retry-After"),
    contentType: answer.headers.get("Content-Type"),
    body: answer.type === "opaque" ? null : await answer.text(),
})).catch((error) => done({error: String(error)}));
"""


class OtherSite(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args):
        pass


@pytest.fixture
def other_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), OtherSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def fetch(browser, url: str, **options) -> dict:
    browser.set_script_timeout(30)
    return browser.execute_async_script(FETCH, url, options)


@pytest.fixture
def curator(monkeypatch):
    """A curator with a password (the live server's data is flushed between tests, the Curators group
    with it: add_curator makes them again)."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    call_command("add_curator", "carla", stdout=io.StringIO())
    return User.objects.get(username="carla")


@pytest.fixture
def on_the_other_site(browser, other_site, live_server):
    assert not live_server.url.startswith(other_site)
    browser.get(other_site + "/")
    assert browser.execute_script("return location.origin") == other_site
    return browser


def test_a_page_of_another_site_reads_the_api_and_its_etag(on_the_other_site, live_server):
    event = factories.event()

    listed = fetch(on_the_other_site, f"{live_server.url}/api/v1/events/")
    assert listed["status"] == 200, listed
    assert json.loads(listed["body"])["results"][0]["slug"] == event.slug

    one = fetch(on_the_other_site, f"{live_server.url}/api/v1/events/{event.slug}/")
    assert one["status"] == 200
    assert one["etag"] and one["etag"].startswith('"')  # exposed; strong, though the browser took gzip

    exported = fetch(on_the_other_site, f"{live_server.url}/api/v1/events/?format=geojson")
    assert exported["contentType"] == "application/geo+json"
    assert json.loads(exported["body"])["features"][0]["id"] == event.slug


def test_a_page_of_another_site_reads_retry_after(on_the_other_site, live_server, settings):
    settings.API_RATES = {"anon": "1/minute", "user": None, "export": None}
    url = f"{live_server.url}/api/v1/places/"

    assert fetch(on_the_other_site, url)["status"] == 200
    refused = fetch(on_the_other_site, url)
    assert refused["status"] == 429
    assert int(refused["retryAfter"]) > 0


def test_a_page_of_another_site_writes_with_a_token(on_the_other_site, live_server, curator):
    key = factories.token(curator)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    body = {"slug": "cors-browser-place", "name": "A place", "country": "SYR", "geo_precision": "country"}

    created = fetch(
        on_the_other_site,
        f"{live_server.url}/api/v1/places/",
        method="POST",
        headers=headers,
        body=json.dumps(body),
    )
    assert created["status"] == 201, created
    assert created["location"] == "/api/v1/places/cors-browser-place/"

    # The ETag as the browser read it (of a gzip answer) is good for If-Match; a stale one is a 412.
    changed = fetch(
        on_the_other_site,
        f"{live_server.url}/api/v1/places/cors-browser-place/",
        method="PATCH",
        headers={**headers, "If-Match": created["etag"]},
        body=json.dumps({"name": "Renamed"}),
    )
    assert changed["status"] == 200, changed
    stale = fetch(
        on_the_other_site,
        f"{live_server.url}/api/v1/places/cors-browser-place/",
        method="PATCH",
        headers={**headers, "If-Match": created["etag"]},
        body=json.dumps({"name": "Renamed again"}),
    )
    assert stale["status"] == 412
    assert Place.objects.get(slug="cors-browser-place").name == "Renamed"


def log_in(browser, live_server, user):
    """The browser logs in at the admin: it holds a session cookie for the API's site."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{live_server.url}/admin/login/?next=/admin/")
    browser.find_element(By.ID, "id_username").send_keys(user.username)
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    WebDriverWait(browser, 15).until(lambda page: "Site administration" in page.title)


def test_a_session_writes_from_the_sites_own_pages_only(browser, live_server, other_site, curator):
    log_in(browser, live_server, curator)
    url = f"{live_server.url}/api/v1/places/"
    body = {"slug": "session-place", "name": "A place", "country": "SYR", "geo_precision": "country"}
    json_post = {"method": "POST", "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}

    # From the API's own site: the session is recognised, and without its CSRF token refused.
    browser.get(f"{live_server.url}/api/v1/?format=json")
    unprotected = fetch(browser, url, credentials="include", **json_post)
    assert unprotected["status"] == 403 and "CSRF" in unprotected["body"], unprotected

    # From another site: the browser refuses the cookie-carrying write at its preflight (the API allows no
    # credentials), and sends no cookie with a write that needs none (another site's; SameSite=Lax).
    browser.get(other_site + "/")
    with_cookie = fetch(browser, url, credentials="include", **json_post)
    assert with_cookie == {"error": "TypeError: Failed to fetch"}
    simple = fetch(browser, url, method="POST", mode="no-cors", credentials="include", body=json.dumps(body))
    assert simple["type"] == "opaque"
    assert not Place.objects.filter(slug="session-place").exists()

    # The same write with the CSRF token, from the site's own page, is done: the refusals above were CORS's.
    browser.get(f"{live_server.url}/api/v1/?format=json")
    token = browser.get_cookie("csrftoken")["value"]
    protected = fetch(
        browser,
        url,
        credentials="include",
        **{**json_post, "headers": {**json_post["headers"], "X-CSRFToken": token}},
    )
    assert protected["status"] == 201, protected
