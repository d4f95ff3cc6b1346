"""When the database is too slow or gone, clients get a 503 problem with Retry-After, not a 500."""

import pytest
from django.contrib.admin.sites import AdminSite
from django.db import OperationalError, connection

from events.api import views
from events.models import Place
from tests import factories
from tests.api_testing import problem

LOST = "server closed the connection unexpectedly"


@pytest.fixture
def api(api):
    api.raise_request_exception = False  # 5xx are reported as request exceptions, for the logs
    return api


def assert_unavailable(response):
    problem(response, 503)
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db(transaction=True)  # the cancelled statement must not abort the test's transaction
def test_a_query_past_the_statement_timeout_is_a_503(api, monkeypatch):
    factories.place()
    slow = Place.objects.extra(where=["pg_sleep(1) IS NOT NULL"])
    monkeypatch.setattr(views.PlaceViewSet, "get_queryset", lambda self: slow)
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 100")
    try:
        response = api.get("/api/v1/places/")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")

    assert_unavailable(response)


@pytest.mark.django_db
def test_a_lost_connection_in_an_api_view_is_a_503(api, monkeypatch):
    def lose_connection(self):
        raise OperationalError(LOST)

    monkeypatch.setattr(views.EventViewSet, "get_queryset", lose_connection)

    assert_unavailable(api.get("/api/v1/events/"))


@pytest.mark.django_db
def test_a_lost_connection_outside_the_api_is_a_503_from_handler500(client, monkeypatch):
    def lose_connection(self, request):
        raise OperationalError(LOST)

    # AdminSite.index is bound when the URLs are built; every admin view asks has_permission first.
    monkeypatch.setattr(AdminSite, "has_permission", lose_connection)
    client.raise_request_exception = False

    response = client.get("/admin/")

    assert_unavailable(response)
    assert response.json()["instance"] == "/admin/"


@pytest.mark.django_db
def test_other_errors_outside_the_api_stay_a_500(client, monkeypatch):
    def fail(self, request):
        raise RuntimeError("a bug")

    monkeypatch.setattr(AdminSite, "has_permission", fail)
    client.raise_request_exception = False

    response = client.get("/admin/")

    problem(response, 500)
    assert not response.has_header("Retry-After")
