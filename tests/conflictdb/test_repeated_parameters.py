"""A query parameter given more than once: a list's values, or a 400 naming it (conflictdb/repeated.py).

The generic tests read every operation's parameters from the served schema, so that a filter added later
is held to the rule, and the schema's word (an array, or one value) to what the server does."""

import json
from datetime import date

import pytest
from django.test import Client

from conflictdb.repeated import ONE_VALUE_ONLY
from tests import factories
from tests.api_testing import results_slugs

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return json.loads(Client().get("/api/schema/", {"format": "json"}).content)


def errors_by_parameter(response) -> dict[str, str]:
    assert response.status_code == 400, response.content
    return {error["attr"]: error["detail"] for error in response.json()["errors"]}


def test_a_repeated_list_parameter_matches_any_of_its_values(api):
    raqqa = factories.event(place=factories.place(country="SYR"))
    mosul = factories.event(place=factories.place(country="IRQ"))
    factories.event(place=factories.place(country="TUR"))

    repeated = set(results_slugs(api.get(EVENTS, {"country": ["SYR", "IRQ"]})))

    assert repeated == {raqqa.slug, mosul.slug}
    assert repeated == set(results_slugs(api.get(EVENTS, {"country": "SYR,IRQ"})))


def test_repeated_and_comma_separated_values_combine(api):
    places = [factories.place(country=country) for country in ("SYR", "IRQ", "TUR")]
    events = [factories.event(place=place) for place in places]

    slugs = set(
        results_slugs(api.get(EVENTS, {"place": [f"{places[0].slug},{places[1].slug}", places[2].slug]}))
    )

    assert slugs == {event.slug for event in events}


def test_a_repeated_ordering_is_its_fields_in_turn(api):
    day = date(2015, 10, 3)
    first = factories.event(title="B", start_date=day, end_date=day)
    second = factories.event(title="A", start_date=day, end_date=day)
    later = factories.event(title="C", start_date=date(2015, 10, 4), end_date=date(2015, 10, 4))

    repeated = results_slugs(api.get(EVENTS, {"ordering": ["start_date", "-title"]}))

    assert repeated == [first.slug, second.slug, later.slug]
    assert repeated == results_slugs(api.get(EVENTS, {"ordering": "start_date,-title"}))
    assert repeated != results_slugs(api.get(EVENTS, {"ordering": "-title"}))  # not the last one only


def test_a_repeated_slug_of_no_record_is_named_as_such(api):
    factories.place(slug="raqqa")

    errors = errors_by_parameter(api.get(EVENTS, {"place": ["raqqa", "atlantis"]}))

    assert list(errors) == ["place"]
    assert "atlantis" in errors["place"]


def test_a_one_valued_parameter_given_twice_is_a_400_naming_it_even_with_equal_values(api):
    errors = errors_by_parameter(
        api.get(EVENTS, {"date_from": ["2015-10-01", "2015-10-01"], "country": "SYR"})
    )

    assert errors == {"date_from": ONE_VALUE_ONLY}


def test_an_unknown_parameter_given_twice_is_said_to_be_unknown(api):
    errors = errors_by_parameter(api.get(EVENTS, {"colour": ["red", "blue"]}))

    assert errors["colour"].startswith("Unknown query parameter.")


def records_of_each_collection() -> dict[str, str]:
    """A slug of one record of each collection, for the operations on one record."""
    event = factories.event()
    claim = factories.claim(event=event)
    return {
        "events": event.slug,
        "claims": claim.slug,
        "actors": claim.claimant.slug,
        "places": event.place.slug,
        "sources": claim.source.slug,
    }


def two_values(parameter: dict) -> list[str]:
    """Two values of `parameter` as the schema declares it (two of its vocabulary, when it has one)."""
    schema = parameter["schema"]
    value = schema.get("items", schema)
    if "enum" in value:
        return [str(choice) for choice in value["enum"][:2]]
    return {
        "integer": ["1", "2"],
        "boolean": ["true", "false"],
        "number": ["1", "2"],
    }.get(value.get("type"), ["1", "2"])


def get_operations(schema):
    for path, operations in schema["paths"].items():
        if "get" in operations and path.startswith("/api/v1/"):
            yield path, operations["get"]


def test_every_parameter_given_twice_is_a_list_as_the_schema_says_or_a_400_naming_it(schema, api):
    slugs = records_of_each_collection()
    checked = {"array": set(), "one value": set()}

    for path, operation in get_operations(schema):
        collection = path.split("/")[3]
        url = path.replace("{slug}", slugs.get(collection, ""))
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            name = parameter["name"]
            response = api.get(url, {name: two_values(parameter)})
            said = errors_by_parameter(response).get(name) if response.status_code == 400 else None
            if parameter["schema"].get("type") == "array":
                assert parameter.get("style", "form") == "form" and parameter.get("explode", True), name
                assert said != ONE_VALUE_ONLY, f"{path} {name}: declared an array, refused when repeated"
                checked["array"].add(name)
            else:
                assert said == ONE_VALUE_ONLY, f"{path} {name}: declared one value, taken twice ({said})"
                checked["one value"].add(name)

    assert {"country", "event_type", "place", "ordering", "kind", "status"} <= checked["array"]
    assert {
        "date_from",
        "bbox",
        "disputed",
        "search",
        "page",
        "cursor",
        "format",
        "since",
        "after",
    } <= checked["one value"]


def test_a_records_format_given_twice_is_a_400_naming_it(api):
    event = factories.event()

    errors = errors_by_parameter(api.get(f"{EVENTS}{event.slug}/", {"format": ["json", "json"]}))

    assert errors == {"format": ONE_VALUE_ONLY}


def test_an_export_reads_a_repeated_list_parameter_as_its_list_does(api):
    for country in ("SYR", "IRQ", "TUR"):
        factories.place(country=country)

    def exported(country) -> list[str]:
        response = api.get("/api/v1/places/", {"format": "csv", "country": country})
        return b"".join(response.streaming_content).decode().splitlines()[1:]

    assert len(exported(["SYR", "IRQ"])) == 2
    assert exported(["SYR", "IRQ"]) == exported("SYR,IRQ")
