"""Values from outside are checked at the edge: a 4xx problem naming what was wrong, never a 500 and
never read as something else (conflictdb/parameters.py, the cursor, the token header, the body)."""

import base64
import json

import pytest
from django.test import override_settings

from tests import factories
from tests.api_testing import curator_client, error_attrs, problem, results_slugs

pytestmark = pytest.mark.django_db


def cursor(payload: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "path, params, named",
    [
        ("events", {"page_size": "²"}, "page_size"),  # str.isdigit() says yes, int() says no
        ("events", {"page_size": "٣"}, "page_size"),  # int() reads it as 3
        ("events", {"page": "9223372036854775807"}, "page"),  # its offset is past bigint
        ("events", {"page": "0"}, "page"),
        ("events", {"fatalities_min": "٣"}, "fatalities_min"),
        ("events", {"fatalities_min": "3.5"}, "fatalities_min"),
        ("events", {"fatalities_max": "-1"}, "fatalities_max"),
        ("events", {"fatalities_max": "2147483648"}, "fatalities_max"),  # past the column's integer
        ("claims", {"value_min": "9223372036854775808"}, "value_min"),  # past bigint
        ("claims", {"value_max": "1e3"}, "value_max"),
        ("events", {"updated_since": "0001-01-01T00:00:00+01:00"}, "updated_since"),  # before year 1 in UTC
        ("events", {"updated_since": "9999-12-31T23:59:59-01:00"}, "updated_since"),  # after 9999 in UTC
        ("actors", {"updated_since": "yesterday"}, "updated_since"),
        ("changes", {"since": "0001-01-01T00:00:00+01:00"}, "since"),
        ("changes", {"since": "9999-12-31T23:59:59-01:00"}, "since"),
        ("changes", {"after": "1,0001-01-01T00:00:00+01:00,events_eventversion,1"}, "after"),
        ("changes", {"after": "1,2015-01-01T00:00:00+00:00,pg_class,1"}, "after"),
        ("changes", {"after": "١,2015-01-01T00:00:00+00:00,events_eventversion,1"}, "after"),
    ],
)
def test_numbers_and_datetimes_that_python_or_postgresql_cannot_hold_are_a_400(api, path, params, named):
    assert error_attrs(api.get(f"/api/v1/{path}/", params)) == {named}


def test_a_number_within_range_in_ascii_digits_still_filters(api):
    factories.event(slug="few", fatalities_best=3)
    factories.event(slug="many", fatalities_best=30)
    assert results_slugs(api.get("/api/v1/events/", {"fatalities_min": " 10 "})) == ["many"]
    assert api.get("/api/v1/events/", {"updated_since": "2015-10-03T00:00:00"}).status_code == 200


@pytest.mark.parametrize(
    "values",
    [
        ["a\x00b"],  # PostgreSQL text cannot hold a NUL
        [{"slug": "x"}],  # a value of another type
        [17],
        [],
        ["a", "b"],
    ],
)
def test_a_cursor_whose_values_are_not_those_of_its_ordering_is_a_400(api, values):
    given = cursor({"v": values, "b": False, "o": "events.event:slug"})
    response = api.get("/api/v1/events/", {"cursor": given})
    assert error_attrs(response) == {"cursor"}


def test_a_cursor_datetime_with_an_offset_postgresql_refuses_is_read_as_the_utc_moment(api):
    factories.event(slug="recent")
    order = "events.event:-updated_at,slug"
    value = cursor({"v": ["9999-01-01T00:00:00+23:00", "x"], "b": False, "o": order})
    response = api.get("/api/v1/events/", {"ordering": "-updated_at", "cursor": value})
    assert results_slugs(response) == ["recent"]


def test_a_cursor_is_bound_to_its_collection_and_ordering(api):
    for number in range(3):
        factories.event(slug=f"event-{number}", title=f"Event {number}")
        factories.actor(slug=f"actor-{number}")
    events_next = api.get("/api/v1/events/", {"page_size": 1}).json()["next"]
    given = dict(part.split("=", 1) for part in events_next.split("?")[1].split("&"))["cursor"]

    assert api.get("/api/v1/events/", {"page_size": 1, "cursor": given}).status_code == 200
    assert error_attrs(api.get("/api/v1/actors/", {"page_size": 1, "cursor": given})) == {"cursor"}
    other_order = {"page_size": 1, "cursor": given, "ordering": "title"}
    assert error_attrs(api.get("/api/v1/events/", other_order)) == {"cursor"}


def test_more_query_parameters_than_django_reads_is_a_400(api, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    body = problem(api.get("/api/v1/events/?" + "&".join(["country=SYR"] * 21)), 400)
    assert "Too many query parameters" in body["detail"]


@pytest.mark.parametrize("header", ["Token \xe9\xe9", "Bearer \xe9", "Token abc def", "Bearer", "Token 0"])
def test_a_token_header_that_holds_no_token_is_a_401_even_on_a_read(api, header):
    problem(api.get("/api/v1/events/", HTTP_AUTHORIZATION=header), 401)


def test_bearer_is_read_as_token():
    key = factories.token(factories.user(curator=True))
    place = factories.place()
    for scheme in ("Token", "Bearer", "bearer"):
        response = curator_client().patch(
            f"/api/v1/places/{place.slug}/", {"name": scheme}, HTTP_AUTHORIZATION=f"{scheme} {key}"
        )
        assert response.status_code == 200, scheme
    assert place.__class__.objects.get(pk=place.pk).name == "bearer"


def test_unknown_and_read_only_fields_in_a_write_body_are_named():
    place = factories.place()
    response = curator_client().patch(
        f"/api/v1/places/{place.slug}/", {"nmae": "Raqqa", "created_at": "2015-01-01T00:00:00Z"}
    )
    assert error_attrs(response) == {"nmae", "created_at"}
    place.refresh_from_db()
    assert place.name != "Raqqa"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_past_the_size_limit_is_a_413_before_it_is_read():
    place = factories.place()
    body = json.dumps({"name": "x" * 2000})
    response = curator_client().patch(f"/api/v1/places/{place.slug}/", body, content_type="application/json")
    problem(response, 413)


def test_a_body_nested_too_deep_is_a_400():
    place = factories.place()
    for depth in (17, 100_000):
        body = "[" * depth + "]" * depth
        response = curator_client().patch(
            f"/api/v1/places/{place.slug}/", body, content_type="application/json"
        )
        assert "nested deeper" in problem(response, 400)["detail"], depth


def test_a_body_of_another_media_type_is_a_415():
    place = factories.place()
    response = curator_client().patch(f"/api/v1/places/{place.slug}/", {"name": "x"}, format="multipart")
    problem(response, 415)


@pytest.mark.parametrize(
    ("collection", "field", "item"), [("events", "actors", {}), ("claims", "relations", {})]
)
def test_a_list_of_links_longer_than_the_limit_is_a_400_before_its_items_are_read(
    collection, field, item, django_assert_max_num_queries
):
    from events.api.serializers import MAX_LINKS

    record = factories.event() if collection == "events" else factories.claim()
    client = curator_client()
    with django_assert_max_num_queries(12):  # the record and the request's own, not one per item
        response = client.patch(
            f"/api/v1/{collection}/{record.slug}/", {field: [item] * (MAX_LINKS + 1)}, format="json"
        )
    assert {attr.split(".")[0] for attr in error_attrs(response)} == {field}  # the list as a whole
