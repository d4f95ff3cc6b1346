"""The served OpenAPI schema says what a generated client needs: each parameter described from the filter
that reads it, reads open to anyone, ETag and If-Match, the error responses of each operation."""

import json

import pytest
from django.test import Client
from django.urls import resolve

from conflictdb.repeated import several_valued

pytestmark = pytest.mark.django_db

COLLECTIONS = ["events", "actors", "places", "claims", "sources"]
WRITES = ["post", "put", "patch", "delete"]


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return json.loads(Client().get("/api/schema/", {"format": "json"}).content)


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def filters_of(path: str) -> dict:
    return resolve(path).func.cls.filterset_class.base_filters


def test_every_parameter_has_a_description_and_a_type(schema):
    lacking = [
        f"{method.upper()} {path} {parameter['name']}"
        for path, method, operation in operations(schema)
        for parameter in operation.get("parameters", [])
        if not parameter.get("description") or "type" not in parameter["schema"]
    ]

    assert lacking == []


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_a_lists_parameters_are_its_filters_as_they_read_values(schema, collection):
    path = f"/api/v1/{collection}/"
    parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"] if p["in"] == "query"}
    filters = filters_of(path)
    several = several_valued(filters)

    assert set(filters) <= set(parameters)
    for name, filter_ in filters.items():
        parameter = parameters[name]
        assert parameter["description"].startswith(str(filter_.label)), name  # the filter form's help text
        value = parameter["schema"]
        if name in several:
            assert (value["type"], parameter["style"], parameter["explode"]) == ("array", "form", True), name
            value = value["items"]
        else:
            assert value["type"] != "array" and "explode" not in parameter, name
        if choices := filter_.extra.get("choices"):
            assert value["enum"] == [str(choice) for choice, _label in choices], name
        if hasattr(filter_, "maximum"):
            assert (value["type"], value["minimum"], value["maximum"]) == ("integer", 0, filter_.maximum), (
                name
            )


def test_vocabularies_orderings_and_bounds_are_declared(schema):
    events = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/events/"]["get"]["parameters"]}

    assert "air_drone_strike" in events["sub_event_type"]["items"]["enum"]
    assert {"-fatalities_best", "start_date"} <= set(events["ordering"]["items"]["enum"])
    assert events["fatalities_min"]["maximum"] == 2147483647
    assert events["page"]["minimum"] == 1
    assert events["disputed"]["type"] == "boolean"
    assert events["date_from"] == {"type": "string", "format": "date"}


def test_reads_are_open_to_anyone_and_writes_are_not(schema):
    for path, method, operation in operations(schema):
        anonymous = {} in operation.get("security", [{}])
        assert anonymous is (method == "get"), f"{method.upper()} {path}"


def test_writes_take_if_match_and_answers_about_one_record_carry_an_etag(schema):
    for collection in COLLECTIONS:
        detail = schema["paths"][f"/api/v1/{collection}/{{slug}}/"]
        for method in ("put", "patch", "delete"):
            headers = [p["name"] for p in detail[method]["parameters"] if p["in"] == "header"]
            assert headers == ["If-Match"], f"{method} {collection}"
        answers = [detail["get"]["responses"]["200"], detail["put"]["responses"]["200"]]
        answers += [schema["paths"][f"/api/v1/{collection}/"]["post"]["responses"]["201"]]
        assert all("ETag" in answer["headers"] for answer in answers), collection


def test_each_operation_documents_its_error_statuses_as_problems(schema):
    expected = {
        "get": {400, 401, 404, 406, 429, 503},
        "post": {400, 401, 403, 406, 409, 413, 415, 429, 503},
        "put": {400, 401, 403, 404, 406, 409, 412, 413, 415, 429, 503},
        "patch": {400, 401, 403, 404, 406, 409, 412, 413, 415, 429, 503},
        "delete": {400, 401, 403, 404, 406, 409, 412, 429, 503},
    }
    for path, method, operation in operations(schema):
        if not path.startswith("/api/v1/"):
            continue
        errors = {int(status) for status in operation["responses"] if int(status) >= 400}
        assert errors == expected[method], f"{method.upper()} {path}"
        for status in errors:
            assert list(operation["responses"][str(status)]["content"]) == ["application/problem+json"]


def test_request_bodies_are_json_only(schema):
    for path, method, operation in operations(schema):
        if "requestBody" in operation:
            assert list(operation["requestBody"]["content"]) == ["application/json"], f"{method} {path}"


def test_coordinates_are_bounded_as_the_database_bounds_them(schema):
    place = schema["components"]["schemas"]["Place"]["properties"]

    assert (place["latitude"]["minimum"], place["latitude"]["maximum"]) == (-90, 90)
    assert (place["longitude"]["minimum"], place["longitude"]["maximum"]) == (-180, 180)
