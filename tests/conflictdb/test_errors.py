"""Every error is an RFC 9457 problem-details object naming what was wrong."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert {"type", "title", "detail", "errors"} <= set(body)
    return body


def attrs(body) -> set:
    return {error["attr"] for error in body["errors"]}


def test_bad_and_unknown_parameters_are_named_together(api):
    body = assert_problem(api.get("/api/v1/events/", {"date_from": "yesterday", "colour": "red"}), 400)
    assert attrs(body) == {"date_from", "colour"}
    assert body["instance"] == "/api/v1/events/"


def test_nul_characters_are_a_400_not_a_database_error(api):
    body = assert_problem(api.get("/api/v1/places/", {"search": "raq\x00qa"}), 400)
    assert attrs(body) == {"search"}


def test_an_unknown_format_is_a_400_naming_format(api):
    body = assert_problem(api.get("/api/v1/claims/", {"format": "geojson"}), 400)
    assert attrs(body) == {"format"}


def test_detail_views_reject_unknown_parameters(api):
    place = factories.place()
    body = assert_problem(api.get(f"/api/v1/places/{place.slug}/", {"page": "2"}), 400)
    assert attrs(body) == {"page"}


def test_unknown_record_is_a_404_problem(api):
    assert_problem(api.get("/api/v1/events/no-such-event/"), 404)


def test_unknown_url_is_a_404_problem(client):
    assert_problem(client.get("/api/v1/no-such-collection/"), 404)


def test_an_unexpected_exception_is_a_500_problem_without_details(api, monkeypatch):
    from events.api import views

    def explode(self):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views.PlaceViewSet, "get_queryset", explode)
    api.raise_request_exception = False
    body = assert_problem(api.get("/api/v1/places/"), 500)
    assert "secret" not in str(body)
