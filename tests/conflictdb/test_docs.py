"""The interactive docs and the OpenAPI schema."""

import json
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

EVENT_FILTERS = {
    "date_from",
    "date_to",
    "country",
    "admin1",
    "place",
    "event_type",
    "sub_event_type",
    "actor",
    "actor_role",
    "claimant",
    "source",
    "fatalities_min",
    "fatalities_max",
    "bbox",
    "disputed",
    "search",
    "ordering",
    "page",
    "page_size",
    "updated_since",
    "format",
}
LIST_OPERATIONS = ["events", "actors", "places", "claims", "sources"]


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return json.loads(response.content)


def test_docs_load_every_asset_from_this_server(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    references = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", html)
    assert references, "no assets found: the page is not the Swagger UI"
    external = [url for url in references if urlsplit(url).netloc or urlsplit(url).scheme]
    assert external == []
    assets = [url for url in references if url.endswith((".js", ".css"))]
    assert len(assets) >= 2  # the UI's script and stylesheet at least
    for url in assets:
        assert url.startswith(static("drf_spectacular_sidecar/")), url
        assert finders.find(url.removeprefix(static(""))), f"{url} is not a local static file"
    # The UI's own configuration, inline or served by the docs view itself, loads this server's schema.
    configuration = [html] + [
        client.get(url).content.decode() for url in references if not url.startswith(static(""))
    ]
    assert re.search(r"""url["']?\s*:\s*["']/api/schema/["']""", "".join(configuration))


def test_schema_is_a_valid_openapi_3_document(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on an invalid document
    assert {f"/api/v1/{collection}/" for collection in LIST_OPERATIONS} <= set(schema["paths"])


def test_events_list_documents_every_filter_of_the_contract(schema):
    parameters = {
        parameter["name"]: parameter for parameter in schema["paths"]["/api/v1/events/"]["get"]["parameters"]
    }

    assert EVENT_FILTERS - set(parameters) == set()
    assert {parameters[name]["in"] for name in EVENT_FILTERS} == {"query"}
    assert {"csv", "geojson", "json"} <= set(parameters["format"]["schema"]["enum"])


@pytest.mark.parametrize("path", ["/api/v1/events/", "/api/v1/events/{slug}/", "/api/v1/sources/"])
def test_errors_are_documented_as_problem_details(schema, path):
    responses = schema["paths"][path]["get"]["responses"]

    for status in ("400", "404"):
        content = responses[status]["content"]
        assert list(content) == ["application/problem+json"]
        problem = content["application/problem+json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        assert {"type", "title", "status", "detail", "errors"} <= set(
            schema["components"]["schemas"][problem]["properties"]
        )


@pytest.mark.parametrize(("collection", "geojson"), [("events", True), ("places", True), ("actors", False)])
def test_list_documents_its_export_media_types(schema, collection, geojson):
    content = schema["paths"][f"/api/v1/{collection}/"]["get"]["responses"]["200"]["content"]

    assert "text/csv" in content
    assert ("application/geo+json" in content) is geojson
