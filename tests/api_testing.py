"""The tests every API collection gets, in NetBox's style.

A collection's test class subclasses `CollectionTests` and sets a few attributes (see
tests/events/test_api.py); it then has the list, detail, pagination, parameter, search, ordering and
query-count tests without repeating them.
"""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db.models import Model
from django.utils import timezone

from tests import factories


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
    - `list_queries`, `detail_queries`: the exact number of queries a list page and a detail cost;
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

        with django_assert_num_queries(self.list_queries):
            response = api.get(self.url(), {"page_size": 1000})

        assert response.status_code == 200
        assert len(response.json()["results"]) == self.model.objects.count() >= size

    @pytest.mark.parametrize("size", [3, 10])
    def test_detail_query_count_does_not_grow(self, api, django_assert_num_queries, size):
        for _ in range(size):
            factories.documented_event(claims=size)
        record = self.model.objects.filter(**self.detail_of).order_by("pk").first()

        with django_assert_num_queries(self.detail_queries):
            response = api.get(self.url(record.slug))

        assert response.status_code == 200
        assert response.json()["slug"] == record.slug
