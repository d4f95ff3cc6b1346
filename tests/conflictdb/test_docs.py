"""The interactive docs, the OpenAPI schema, and the written reference under docs/ that must match them."""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.apps import apps
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from drf_spectacular.validation import validate_schema

from conflictdb.history import Version
from events.vocabularies import SUB_EVENT_TYPES

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs"
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
    """The contract's list of event filters is the table of docs/api.md; the schema offers each one."""
    parameters = {
        parameter["name"]: parameter for parameter in schema["paths"]["/api/v1/events/"]["get"]["parameters"]
    }
    contract = documented_parameters()["GET /api/v1/events/"]

    assert {"date_from", "bbox", "disputed", "search", "format"} <= contract
    assert contract - set(parameters) == set()
    assert {parameters[name]["in"] for name in contract} == {"query"}
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


# The written reference ------------------------------------------------------------------------------

OPERATION_HEADING = re.compile(r"^#+ .*`(GET|POST|PUT|PATCH|DELETE) (/\S*)`")
PARAMETER_ROW = re.compile(r"^\| `([^`]+)` \|")


def documented_parameters() -> dict[str, set[str]]:
    """{"GET /api/v1/events/": {"country", ...}}: the parameter rows under each operation's heading of
    docs/api.md, down to the next heading (the convention stated at the top of that file). A heading
    whose path has `{collection}` stands for the operation of each collection."""
    documented, current = {}, []
    for line in (DOCS / "api.md").read_text().splitlines():
        if line.startswith("#"):
            heading = OPERATION_HEADING.match(line)
            paths = [heading[2].replace("{collection}", name) for name in LIST_OPERATIONS] if heading else []
            current = sorted({f"{heading[1]} {path}" for path in paths})
            for operation in current:
                documented.setdefault(operation, set())
        elif current and (row := PARAMETER_ROW.match(line)):
            for operation in current:
                documented[operation].add(row[1])
    return documented


def query_parameters(schema) -> dict[str, set[str]]:
    return {
        f"{method.upper()} {path}": {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }


def test_the_committed_schema_is_the_served_one(schema):
    committed = yaml.safe_load((DOCS / "openapi.yaml").read_text())

    assert committed == schema, "docs/openapi.yaml is not the schema the API serves: run `make openapi`"


def test_every_query_parameter_of_the_schema_is_documented_under_its_operation(schema):
    documented = documented_parameters()

    missing = {
        operation: sorted(names - documented.get(operation, set()))
        for operation, names in query_parameters(schema).items()
        if names - documented.get(operation, set())
    }
    assert missing == {}, "docs/api.md lacks these query parameters (a `| `name` |` row under the heading)"


def test_api_md_documents_no_parameter_the_schema_lacks(schema):
    served = query_parameters(schema)

    extra = {
        operation: sorted(names - served.get(operation, set()))
        for operation, names in documented_parameters().items()
        if names - served.get(operation, set())
    }
    assert extra == {}


@pytest.mark.parametrize("collection", LIST_OPERATIONS)
def test_api_md_gives_each_collections_export_columns_in_order(client, collection):
    export = b"".join(client.get(f"/api/v1/{collection}/", {"format": "csv"}).streaming_content)
    columns = export.decode().splitlines()[0].split(",")  # the header row: the database holds no record
    text = (DOCS / "api.md").read_text()
    section = text[text.index(f"### `GET /api/v1/{collection}/`") :]
    listed = re.search(r"^Export columns: (.*)$", section, re.MULTILINE)[1]

    assert re.findall(r"`([^`]+)`", listed) == columns


def vocabularies() -> dict[str, list[tuple[str, str]]]:
    """Every choice list of a model field of the domain apps (their version tables repeat them), by
    "model.field"."""
    return {
        f"{model.__name__}.{field.name}": [(str(value), str(label)) for value, label in field.choices]
        for app in ("sources", "events")
        for model in apps.get_app_config(app).get_models()
        if not issubclass(model, Version)
        for field in model._meta.fields
        if field.choices
    }


def vocabulary_tables() -> dict[str, set[tuple[str, str]]]:
    """{"### ClaimStatus": {("unverified", "Unverified"), ...}}: the (value, label) rows of each table of
    docs/data-model.md, by the heading above it."""
    tables, heading = {}, None
    for line in (DOCS / "data-model.md").read_text().splitlines():
        if line.startswith("#"):
            heading = line
        elif row := re.match(r"^\| `([^`]+)` \| ([^|]+?) \|", line):
            tables.setdefault(heading, set()).add((row[1], row[2]))
    return tables


def test_every_vocabulary_is_a_table_of_data_model_md_with_each_value_and_label():
    tables = vocabulary_tables()

    wrong = {}
    for field, choices in vocabularies().items():
        if set(choices) not in tables.values():
            closest = max(tables, key=lambda heading: len(tables[heading] & set(choices)))
            wrong[field] = {
                "table": closest,
                "missing": sorted(set(choices) - tables[closest]),
                "not a value": sorted(tables[closest] - set(choices)),
            }
    assert {"Event.event_type", "Claim.status", "Place.geo_precision", "Source.kind"} <= set(vocabularies())
    assert wrong == {}


def test_data_model_md_names_the_type_of_each_sub_event_type():
    rows = (DOCS / "data-model.md").read_text().splitlines()

    for event_type, sub_types in SUB_EVENT_TYPES.items():
        for sub_type in sub_types:
            start = f"| `{sub_type.value}` | {sub_type.label} |"
            assert any(r.startswith(start) and r.endswith(f"| `{event_type.value}` |") for r in rows), start
