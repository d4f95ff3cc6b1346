"""Keyset pagination: cursors that walk the whole result both ways, any page as cheap as the first, and a
count that is exact up to a limit and estimated (and flagged) beyond."""

import pytest
from django.db import connection
from django.test import RequestFactory
from rest_framework.request import Request

from conflictdb import counting
from conflictdb.pagination import rows_named_by
from events.models import Place
from tests import factories

pytestmark = pytest.mark.django_db


def places(n: int):
    Place.objects.bulk_create(
        Place(slug=f"place-{i:03d}", name=f"Place {i}", country="SYR", geo_precision="town") for i in range(n)
    )


def walk(api, url, direction="next"):
    seen, pages = [], 0
    while url:
        body = api.get(url).json()
        seen += [record["slug"] for record in body["results"]]
        url, pages = body[direction], pages + 1
    return seen, pages


@pytest.mark.parametrize("ordering", [None, "-slug", "name", "-updated_at"])
def test_next_links_visit_every_record_once_in_order(api, ordering):
    places(23)
    query = "?page_size=5" + (f"&ordering={ordering}" if ordering else "")
    seen, pages = walk(api, f"/api/v1/places/{query}")
    expected = list(
        Place.objects.order_by(*([ordering] if ordering else []), "slug").values_list("slug", flat=True)
    )
    assert seen == expected
    assert pages == 5


def test_previous_links_walk_back(api):
    places(12)
    last = None
    url = "/api/v1/places/?page_size=5"
    while url:  # go to the last page
        body = api.get(url).json()
        last, url = body, body["next"]
    assert [r["slug"] for r in last["results"]] == ["place-010", "place-011"]
    back = api.get(last["previous"]).json()
    assert [r["slug"] for r in back["results"]] == [f"place-{i:03d}" for i in range(5, 10)]
    first = api.get(back["previous"]).json()
    assert [r["slug"] for r in first["results"]] == [f"place-{i:03d}" for i in range(5)]
    assert first["previous"] is None


def test_links_carry_a_cursor_and_a_deep_page_costs_what_the_first_costs(api, django_assert_num_queries):
    places(60)
    first = api.get("/api/v1/places/?page_size=5").json()
    assert "cursor=" in first["next"]
    url = first["next"]
    for _ in range(9):
        url = api.get(url).json()["next"]
    with django_assert_num_queries(3):  # the data version, the count and the page, whatever the depth
        deep = api.get(url).json()
    assert deep["results"][0]["slug"] == "place-050"


def test_search_relevance_pages_by_number(api):
    for i in range(7):
        factories.place(slug=f"raqqa-{i}", name=f"Raqqa {i}")
    first = api.get("/api/v1/places/?search=raqqa&page_size=3").json()
    assert "page=2" in first["next"]
    seen, _pages = walk(api, "/api/v1/places/?search=raqqa&page_size=3")
    assert sorted(seen) == [f"raqqa-{i}" for i in range(7)]


TWO_VALUES_FOR_ONE_KEY = (
    "eyJ2IjogWzEsIDJdLCAiYiI6IGZhbHNlfQ"  # {"v": [1, 2], "b": false}; places order by slug only
)


@pytest.mark.parametrize(
    "query", ["cursor=nonsense", f"cursor={TWO_VALUES_FOR_ONE_KEY}", "cursor=abc&page=2"]
)
def test_a_bad_cursor_is_a_400_naming_it(api, query):
    places(3)
    response = api.get(f"/api/v1/places/?{query}")
    assert response.status_code == 400
    assert "cursor" in {error["attr"] for error in response.json()["errors"]}


def test_count_is_exact_below_the_limit_and_an_estimate_above(api, monkeypatch):
    places(30)
    exact = api.get("/api/v1/places/?page_size=20").json()
    assert (exact["count"], exact["count_is_estimate"]) == (30, False)
    monkeypatch.setattr(counting, "EXACT_LIMIT", 10)
    estimated = api.get("/api/v1/places/?page_size=20").json()
    assert estimated["count_is_estimate"] is True
    assert estimated["count"] > 10
    assert len(estimated["results"]) == 20


def test_a_first_page_holding_the_whole_result_is_its_own_count(api, monkeypatch, django_assert_num_queries):
    """One statement, and an exact count even above the limit: every row was read."""
    places(30)
    monkeypatch.setattr(counting, "EXACT_LIMIT", 10)
    with django_assert_num_queries(2):  # the data version, the page
        whole = api.get("/api/v1/places/?page_size=30").json()
    assert (whole["count"], whole["count_is_estimate"], whole["next"]) == (30, False, None)

    searched = api.get("/api/v1/places/?search=place&page_size=30").json()  # offset pages, by relevance
    assert (searched["count"], searched["count_is_estimate"]) == (30, False)
    # A first page with more after it is counted apart: here the planner's estimate, above the limit
    # (from statistics taken now: without them, PostgreSQL's guess depends on its version and on when
    # autovacuum last looked).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE events_place")
    with django_assert_num_queries(3):  # the data version, the page, the estimate
        partial = api.get("/api/v1/places/?page_size=29").json()
    assert partial["count_is_estimate"] is True


def test_an_estimate_is_planned_once_per_query_and_an_exact_count_is_never_kept(
    api, django_assert_num_queries
):
    places(30)
    with django_assert_num_queries(4) as first:  # the data version, the page, the estimate, the count
        api.get("/api/v1/places/?country=SYR&page_size=10")
    assert first.captured_queries[2]["sql"].startswith("EXPLAIN")
    factories.place(country="SYR")

    with django_assert_num_queries(3) as again:  # the version, the page and the count: the estimate is kept
        body = api.get("/api/v1/places/?country=SYR&page_size=10").json()

    assert not any(query["sql"].startswith("EXPLAIN") for query in again.captured_queries)
    assert (body["count"], body["count_is_estimate"]) == (31, False)
    for _ in range(11):
        factories.place(country="IRQ")
    with django_assert_num_queries(4):  # another filter is another query, planned in turn
        api.get("/api/v1/places/?country=IRQ&page_size=10")


def test_an_estimate_is_kept_by_a_key_standing_for_the_query(django_assert_num_queries):
    """A list keys its estimate by path and filters (`rows_named_by`): a repeated request neither plans
    its query nor compiles it; the key is all that names the rows."""
    places(5)
    planned = counting.planner_estimate(Place.objects.filter(country="SYR"), key="/places?country=SYR")
    with django_assert_num_queries(0):
        kept = counting.planner_estimate(Place.objects.none(), key="/places?country=SYR")
    with django_assert_num_queries(1):
        counting.planner_estimate(Place.objects.filter(country="SYR"), key="/places?country=IRQ")
    assert kept == planned


def test_the_key_of_a_lists_rows_is_its_path_and_filters_in_any_order():
    factory = RequestFactory()

    def key(query):
        return rows_named_by(Request(factory.get(f"/api/v1/events/?{query}")))

    assert key("country=SYR&event_type=battles") == key("event_type=battles&cursor=abc&country=SYR")
    assert key("country=SYR") == key("country=SYR&page_size=5&page=2&format=json")
    assert key("country=SYR") != key("country=IRQ")
    assert key("country=SYR") != key("country=SYR&country=IRQ")
    assert key("country=SYR&country=IRQ") != key("country=IRQ&country=SYR")  # values keep their order
    assert key("country=SYR") != rows_named_by(Request(factory.get("/api/v1/places/?country=SYR")))
