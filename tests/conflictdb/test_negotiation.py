"""`format=` decides the response's format whatever the Accept header says; without it, Accept does, and a
406 is for an Accept header that names nothing the endpoint serves (conflictdb/negotiation.py)."""

import json

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

GDAL_ACCEPT = "text/plain, application/json"  # what ogrinfo and ogr2ogr send


@pytest.fixture
def event():
    return factories.event()


@pytest.mark.parametrize(
    ("export_format", "content_type"),
    [("geojson", "application/geo+json"), ("csv", "text/csv; charset=utf-8")],
)
@pytest.mark.parametrize("accept", [GDAL_ACCEPT, "text/html", "application/xml", "application/json; q=0"])
def test_format_decides_whatever_the_accept_header_says(api, event, export_format, content_type, accept):
    response = api.get(f"/api/v1/events/?format={export_format}", HTTP_ACCEPT=accept)

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert event.slug in b"".join(response.streaming_content).decode()


def test_format_json_is_json_for_a_client_that_asks_for_csv(api, event):
    response = api.get("/api/v1/events/?format=json", HTTP_ACCEPT="text/csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["results"][0]["slug"] == event.slug


def test_an_accept_header_the_format_offers_keeps_its_parameters(api, event):
    response = api.get("/api/v1/events/?format=json", HTTP_ACCEPT="application/json; indent=2")

    assert response.status_code == 200
    assert response.content.startswith(b'{\n  "count"')


def test_one_record_in_json_for_a_client_that_asks_for_text(api, event):
    response = api.get(f"/api/v1/events/{event.slug}/?format=json", HTTP_ACCEPT="text/plain")

    assert response.status_code == 200
    assert json.loads(response.content)["slug"] == event.slug


def test_without_format_an_accept_header_that_names_nothing_served_is_a_406(api, event):
    response = api.get("/api/v1/events/", HTTP_ACCEPT="application/xml")

    assert response.status_code == 406
    assert response["Content-Type"] == "application/problem+json"


def test_an_unknown_format_is_still_a_400_naming_format(api, event):
    response = api.get("/api/v1/events/?format=xml", HTTP_ACCEPT=GDAL_ACCEPT)

    assert response.status_code == 400
    assert [error["attr"] for error in json.loads(response.content)["errors"]] == ["format"]
