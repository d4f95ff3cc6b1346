"""gzip for the API's JSON and exports when the client accepts it, never for HTML; compressed answers
keep a strong ETag that If-Match accepts (conflictdb/compression.py)."""

import gzip
import json

import pytest

from conflictdb.response_cache import record_part
from tests import factories
from tests.api_testing import curator_client

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def events():
    return [factories.event() for _ in range(5)]


def body(response) -> bytes:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return gzip.decompress(content) if response.get("Content-Encoding") == "gzip" else content


def test_a_json_page_is_compressed_for_a_client_that_accepts_gzip(api, events):
    plain = api.get("/api/v1/events/")
    coded = api.get("/api/v1/events/", **GZIP)

    assert coded["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in coded["Vary"]
    assert int(coded["Content-Length"]) < int(plain["Content-Length"]) / 2
    assert body(coded) == plain.content


def test_a_json_page_is_not_compressed_for_a_client_that_does_not_accept_gzip(api, events):
    response = api.get("/api/v1/events/", HTTP_ACCEPT_ENCODING="identity")

    assert not response.has_header("Content-Encoding")
    assert json.loads(response.content)["count"] == 5


@pytest.mark.parametrize("export_format", ["csv", "geojson"])
def test_an_export_is_compressed_as_it_streams(api, events, export_format):
    plain = api.get(f"/api/v1/events/?format={export_format}")
    coded = api.get(f"/api/v1/events/?format={export_format}", **GZIP)

    assert coded.streaming and coded["Content-Encoding"] == "gzip"
    assert not coded.has_header("Content-Length")
    assert coded["Content-Type"] == plain["Content-Type"]
    assert body(coded) == body(plain)


def test_a_problem_is_compressed_too(api):
    response = api.get("/api/v1/events/?date_from=03-10-2015&country=XX&fatalities_min=-1", **GZIP)

    assert response.status_code == 400
    assert response["Content-Encoding"] == "gzip"
    assert json.loads(body(response))["status"] == 400


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("/admin/login/", {}),  # the login form carries a CSRF token
        ("/api/v1/events/?format=api", {}),  # the browsable API: a CSRF token beside the query string
        ("/api/v1/events/", {"HTTP_ACCEPT": "text/html"}),
    ],
)
def test_html_is_never_compressed(api, events, url, headers):
    response = api.get(url, **GZIP, **headers)

    assert response["Content-Type"].startswith("text/html")
    assert len(response.content) > 200
    assert not response.has_header("Content-Encoding")


def test_a_compressed_record_has_a_strong_etag_of_its_own_that_if_match_accepts(events):
    client = curator_client()
    url = f"/api/v1/events/{events[0].slug}/"

    identity, coded = client.get(url), client.get(url, **GZIP)
    assert coded["Content-Encoding"] == "gzip"
    assert record_part(identity["ETag"]) == str(int(events[0].updated_at.timestamp() * 1_000_000))
    assert coded["ETag"] == identity["ETag"][:-1] + '-gzip"'  # strong, and not the identity answer's

    written = client.patch(url, {"summary": "Rewritten."}, HTTP_IF_MATCH=coded["ETag"], **GZIP)
    assert written.status_code == 200
    assert written["ETag"].endswith('-gzip"') and written["ETag"] != coded["ETag"]
    stale = client.patch(url, {"summary": "Again."}, HTTP_IF_MATCH=coded["ETag"])
    assert stale.status_code == 412


def test_a_weak_etag_does_not_match_if_match(events):
    client = curator_client()
    url = f"/api/v1/events/{events[0].slug}/"
    tag = client.get(url)["ETag"]

    assert client.patch(url, {"summary": "x"}, HTTP_IF_MATCH=f"W/{tag}").status_code == 412
    assert client.patch(url, {"summary": "x"}, HTTP_IF_MATCH=tag).status_code == 200
