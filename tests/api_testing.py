"""The tests every API collection gets, in NetBox's style.

A collection's test class subclasses `CollectionTests` and sets a few attributes (see
tests/events/test_api.py); it then has the list, detail, pagination, parameter, search, ordering and
query-count tests without repeating them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import Model
from django.utils import timezone
from rest_framework.test import APIClient

from events.models import Actor, Claim, Event, Place
from sources.models import Source
from tests import factories

DATA_VERSION = 1  # the statement every list and detail runs first (conflictdb/response_cache.py)


def error_parameters(response) -> set[str]:
    """The names of the parameters a 400 response blames.

    Understands DRF's default body ({"name": ["message"]}) and the problem-details body with an `errors`
    list of {"attr": "name", ...}, so these tests do not depend on how errors are dressed.
    """
    assert response.status_code == 400, response.content
    body = response.json()
    if isinstance(body.get("errors"), list):
        return {error["attr"] for error in body["errors"] if error.get("attr")}
    return set(body)


def results_slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [record["slug"] for record in response.json()["results"]]


@pytest.mark.django_db
class CollectionTests:
    """List, detail, pagination, strict parameters, search, ordering and pinned query counts.

    Subclasses set:
    - `collection`: the URL segment under /api/v1/, and `model` the records it serves;
    - `factory`: a function creating one valid record (wrap it in staticmethod);
    - `detail_field`: a field the detail must give back as stored;
    - `searchable` and `search_term`: fields of a record that `search=<search_term>` must find (the
      term appears in no other field of that record, nor in records made with the factory's defaults);
    - `list_queries`, `detail_queries`: the exact number of queries a list page and a detail cost, besides
      the data version each reads first (conflictdb/data_version.py);
    - `detail_of`: a filter choosing a record whose detail has related records to show.
    """

    collection: str
    model: type[Model]
    factory: Callable
    detail_field: str
    searchable: dict
    search_term: str
    list_queries: int
    detail_queries: int
    detail_of: dict = {}

    def url(self, slug: str | None = None) -> str:
        return f"/api/v1/{self.collection}/" + (f"{slug}/" if slug else "")

    def create(self, **fields):
        return type(self).factory(**fields)

    def test_list_is_a_page_of_every_record(self, api):
        slugs = sorted(self.create().slug for _ in range(3))

        response = api.get(self.url())

        assert response.status_code == 200
        body = response.json()
        assert {"count", "next", "previous", "results"} <= set(body)
        assert (body["count"], body["next"], body["previous"]) == (3, None, None)
        assert [record["slug"] for record in body["results"]] == slugs

    def test_detail_by_slug(self, api):
        record = self.create()
        self.create()

        response = api.get(self.url(record.slug))

        assert response.status_code == 200
        assert response.json()["slug"] == record.slug
        assert response.json()[self.detail_field] == getattr(record, self.detail_field)

    def test_unknown_slug_is_404(self, api):
        self.create(slug="known")

        assert api.get(self.url("unknown")).status_code == 404

    def test_page_size_is_honoured_and_next_links_the_rest(self, api):
        first, second = sorted(self.create().slug for _ in range(2))

        page = api.get(self.url(), {"page_size": 1}).json()
        assert (page["count"], [record["slug"] for record in page["results"]]) == (2, [first])
        assert page["previous"] is None

        following = api.get(page["next"]).json()
        assert [record["slug"] for record in following["results"]] == [second]
        assert following["next"] is None
        assert following["previous"] is not None

    @pytest.mark.parametrize("page_size", ["many", "0", "-1"])
    def test_bad_page_size_is_a_400_naming_it(self, api, page_size):
        self.create()

        assert error_parameters(api.get(self.url(), {"page_size": page_size})) == {"page_size"}

    def test_unknown_parameter_is_a_400_naming_it(self, api):
        self.create()

        response = api.get(self.url(), {"colour": "red"})

        assert error_parameters(response) == {"colour"}

    def test_search_finds_a_record_by_name_alias_or_title(self, api):
        wanted = self.create(**self.searchable)
        self.create()

        assert results_slugs(api.get(self.url(), {"search": self.search_term})) == [wanted.slug]
        assert results_slugs(api.get(self.url(), {"search": self.search_term.upper()})) == [wanted.slug]

    def test_ordering(self, api):
        slugs = sorted(self.create().slug for _ in range(3))

        assert results_slugs(api.get(self.url(), {"ordering": "-slug"})) == slugs[::-1]
        assert results_slugs(api.get(self.url(), {"ordering": "slug"})) == slugs
        assert error_parameters(api.get(self.url(), {"ordering": "colour"})) == {"ordering"}

    def test_updated_since(self, api):
        record = self.create()
        now = timezone.now()

        assert results_slugs(
            api.get(self.url(), {"updated_since": (now - timedelta(hours=1)).isoformat()})
        ) == [record.slug]
        assert (
            results_slugs(api.get(self.url(), {"updated_since": (now + timedelta(hours=1)).isoformat()}))
            == []
        )
        assert error_parameters(api.get(self.url(), {"updated_since": "yesterday"})) == {"updated_since"}

    # Query counts: the same with 3 and with 10 documented events (each with `size` claims), so a query
    # per row or per related row fails the test.

    @pytest.mark.parametrize("size", [3, 10])
    def test_list_query_count_does_not_grow(self, api, django_assert_num_queries, size):
        for _ in range(size):
            factories.documented_event(claims=size)

        with django_assert_num_queries(self.list_queries + DATA_VERSION):
            response = api.get(self.url(), {"page_size": 1000})

        assert response.status_code == 200
        assert len(response.json()["results"]) == self.model.objects.count() >= size

    @pytest.mark.parametrize("size", [3, 10])
    def test_detail_query_count_does_not_grow(self, api, django_assert_num_queries, size):
        for _ in range(size):
            factories.documented_event(claims=size)
        record = self.model.objects.filter(**self.detail_of).order_by("pk").first()

        with django_assert_num_queries(self.detail_queries + DATA_VERSION):
            response = api.get(self.url(record.slug))

        assert response.status_code == 200
        assert response.json()["slug"] == record.slug


def matching(api, collection: str, **params) -> set[str]:
    """The slugs of every record of `collection` (under /api/v1/) that `params` select, on one page."""
    response = api.get(f"/api/v1/{collection}/", {"page_size": 1000, **params})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["next"] is None, "more than one page"
    return {record["slug"] for record in body["results"]}


def assert_updated_since(api, collection: str, factory: Callable):
    """`updated_since` keeps records updated at or after an ISO 8601 datetime, in any offset."""
    old, new = factory(), factory()
    type(old).objects.filter(pk=old.pk).update(updated_at=datetime(2020, 1, 1, 12, tzinfo=UTC))

    assert matching(api, collection, updated_since="2024-01-01T00:00:00Z") == {new.slug}
    assert matching(api, collection, updated_since="2020-01-01T12:00:00Z") == {old.slug, new.slug}
    assert matching(api, collection, updated_since="2020-01-01T12:00:01Z") == {new.slug}
    # 13:00 in UTC+02:00 is 11:00 UTC, before the old record's update.
    assert matching(api, collection, updated_since="2020-01-01T13:00:00+02:00") == {old.slug, new.slug}
    for malformed in ["yesterday", "2024-13-01T00:00:00Z", "2024-01-01T25:00:00Z"]:
        assert error_parameters(api.get(f"/api/v1/{collection}/", {"updated_since": malformed})) == {
            "updated_since"
        }


# Writes -----------------------------------------------------------------------------------------------


def token_client(key: str) -> APIClient:
    """A client sending `Authorization: Token <key>`."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def curator_client() -> APIClient:
    return token_client(factories.token(factories.user(curator=True)))


def problem(response, status: int) -> dict:
    """The body of a problem-details response with `status`."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    return body


def error_attrs(response) -> set[str]:
    """The `attr` of each error of a 400 problem (a field, or "a,b" for a constraint over fields)."""
    return {error["attr"] for error in problem(response, 400)["errors"]}


@dataclass(frozen=True)
class Writable:
    """A collection as written: a record nothing refers to (so it can be deleted), a valid body for a
    new record (references created as needed; no slug), the text field a write changes, and the list of
    link rows the body also writes, if any."""

    name: str
    model: type[Model]
    make: Callable[[], Model]
    body: Callable[[], dict]
    field: str
    links: str | None = None

    def url(self, slug: str | None = None) -> str:
        return f"/api/v1/{self.name}/" + (f"{slug}/" if slug else "")

    def __str__(self):
        return self.name


WRITABLE = [
    Writable(
        "events",
        Event,
        factories.event,
        lambda: {
            "title": "Air strikes near Raqqa",
            "event_type": "explosions_remote_violence",
            "sub_event_type": "air_drone_strike",
            "start_date": "2015-09-30",
            "end_date": "2015-10-01",
            "date_precision": "range",
            "place": factories.place().slug,
            "actors": [{"actor": factories.actor().slug, "role": "perpetrator"}],
        },
        "title",
        "event_actors",
    ),
    Writable(
        "actors",
        Actor,
        factories.actor,
        lambda: {"name": "Islamic State", "kind": "armed_group", "aliases": ["ISIS", "Daesh"]},
        "name",
    ),
    Writable(
        "places",
        Place,
        factories.place,
        lambda: {
            "name": "Raqqa",
            "country": "SYR",
            "admin1": "Raqqa",
            "latitude": 35.95,
            "longitude": 39.01,
            "geo_precision": "town",
        },
        "name",
    ),
    Writable(
        "claims",
        Claim,
        factories.claim,
        lambda: {
            "claim_type": "casualty_count",
            "claimant": factories.actor().slug,
            "source": factories.source().slug,
            "statement": "The monitor counts eight dead",
            "value": 8,
            "unit": "deaths",
            "relations": [{"claim": factories.claim().slug, "kind": "supports"}],
        },
        "statement",
        "relations",
    ),
    Writable(
        "sources",
        Source,
        factories.source,
        lambda: {
            "kind": "news_article",
            "title": "Russia strikes IS in Raqqa",
            "publisher": "Agence France-Presse",
            "published_on": "2015-10-03",
            "date_precision": "day",
            "date_inferred": True,
        },
        "title",
    ),
]
WRITABLE_BY_NAME = {collection.name: collection for collection in WRITABLE}
