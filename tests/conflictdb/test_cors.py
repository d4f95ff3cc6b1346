"""CORS: scripts of any site read the API and write with a token; a session (a cookie) writes from the
site's own pages only, with its CSRF token. The browser's side of it is in test_cors_browser.py."""

import json

import pytest
from django.middleware.csrf import get_token
from rest_framework.test import APIClient

from events.models import Place
from tests import factories
from tests.api_testing import curator_client

pytestmark = pytest.mark.django_db

ELSEWHERE = "https://maps.example.net"
NEW_PLACE = {"slug": "cors-place", "name": "A place", "country": "SYR", "geo_precision": "country"}


def test_a_read_from_any_origin_is_allowed_without_credentials(api):
    factories.event()

    response = api.get("/api/v1/events/", HTTP_ORIGIN=ELSEWHERE)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.has_header("Access-Control-Allow-Credentials")
    exposed = {name.strip().lower() for name in response["Access-Control-Expose-Headers"].split(",")}
    assert {"etag", "link", "retry-after", "location", "content-disposition"} <= exposed


def test_errors_carry_the_cors_headers_too(api):
    response = api.get("/api/v1/events/?country=XX", HTTP_ORIGIN=ELSEWHERE)

    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_preflight_of_a_token_write_allows_its_headers(api):
    response = api.options(
        "/api/v1/places/",
        HTTP_ORIGIN=ELSEWHERE,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type, if-match",
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    allowed = {name.strip() for name in response["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "if-match"} <= allowed
    assert {"POST", "PUT", "PATCH", "DELETE"} <= set(response["Access-Control-Allow-Methods"].split(", "))
    assert not response.has_header("Access-Control-Allow-Credentials")


def test_a_token_write_from_another_origin_is_done():
    response = curator_client().post("/api/v1/places/", NEW_PLACE, HTTP_ORIGIN=ELSEWHERE)

    assert response.status_code == 201
    assert response["Access-Control-Allow-Origin"] == "*"
    assert Place.objects.filter(slug="cors-place").exists()


def test_outside_the_api_there_is_no_cors(api):
    response = api.get("/admin/login/", HTTP_ORIGIN=ELSEWHERE)

    assert not response.has_header("Access-Control-Allow-Origin")


@pytest.fixture
def session_client():
    """A curator logged in with a session cookie, whose requests are held to Django's CSRF checks."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(factories.user(curator=True))
    return client


def test_a_session_write_without_the_csrf_token_is_refused(session_client):
    response = session_client.post("/api/v1/places/", NEW_PLACE, format="json", HTTP_ORIGIN=ELSEWHERE)

    assert response.status_code == 403
    assert "CSRF" in json.loads(response.content)["detail"]
    assert not Place.objects.filter(slug="cors-place").exists()


def test_a_session_write_from_another_origin_is_refused_even_with_a_csrf_token(session_client):
    token = csrf_token(session_client)

    response = session_client.post(
        "/api/v1/places/", NEW_PLACE, format="json", HTTP_ORIGIN=ELSEWHERE, HTTP_X_CSRFTOKEN=token
    )

    assert response.status_code == 403
    assert not Place.objects.filter(slug="cors-place").exists()


def test_a_session_write_from_the_sites_own_page_is_done(session_client):
    token = csrf_token(session_client)

    response = session_client.post(
        "/api/v1/places/", NEW_PLACE, format="json", HTTP_ORIGIN="http://testserver", HTTP_X_CSRFTOKEN=token
    )

    assert response.status_code == 201


def csrf_token(client) -> str:
    """The CSRF token of the client's session, as the site's own pages would give it."""
    page = client.get("/admin/login/")
    return get_token(page.wsgi_request)
