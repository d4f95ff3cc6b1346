"""Whole-result exports: `?format=csv` on every collection, `?format=geojson` on events and places."""

import csv
import io
import json
from datetime import date

import pytest
from django.db.models import Q

from conflictdb.exports import Part, copy_csv, csv_statement
from events.api.views import ActorViewSet, ClaimViewSet, EventViewSet, PlaceViewSet
from events.models import Actor, Claim, Event, Place
from events.vocabularies import ActorKind, ActorRole, ClaimRelationKind, ClaimStatus
from sources.api.views import SourceViewSet
from sources.models import Source, SourceKind
from tests import factories
from tests.api_testing import error_parameters, matching

pytestmark = pytest.mark.django_db

VIEWS = {
    "events": EventViewSet,
    "actors": ActorViewSet,
    "places": PlaceViewSet,
    "claims": ClaimViewSet,
    "sources": SourceViewSet,
}
COLLECTIONS = list(VIEWS)
GEOJSON_COLLECTIONS = ["events", "places"]
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json"}

# One SELECT read through a server-side cursor, whatever the number of rows: related slugs are joins,
# an event's actors one subquery of that SELECT.
# CSV: PostgreSQL's COPY with its statement timeout set, in a transaction (here a savepoint and its
# release, as tests run in a transaction). GeoJSON: one query read through a server-side cursor, in a
# transaction too (a savepoint and its release).
# Each with an export slot taken and given back (conflictdb/export_limits.py): two advisory-lock statements.
EXPORT_QUERIES = {"csv": 6, "geojson": 5}


def export(api, collection: str, export_format: str = "csv", **params):
    """The streamed response and its whole body, as text."""
    response = api.get(f"/api/v1/{collection}/", {"format": export_format, **params})
    assert response.status_code == 200, response.content
    assert response.streaming
    return response, b"".join(response.streaming_content).decode()


def csv_rows(api, collection: str, **params) -> list[dict]:
    response, text = export(api, collection, "csv", **params)
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == list(VIEWS[collection].export_columns)
    return list(reader)


def geojson(api, collection: str, **params) -> dict:
    _response, text = export(api, collection, "geojson", **params)
    return json.loads(text)


def many(collection: str, count: int) -> set[str]:
    """`count` records of `collection`, written in one INSERT (plus the claimant and source of claims)."""
    if collection == "claims":
        about = {"claimant": factories.actor(), "source": factories.source(), "claim_type": "other"}
    model, fields = {
        "events": (
            Event,
            {"event_type": "battles", "start_date": date(2015, 10, 1), "date_precision": "day"},
        ),
        "actors": (Actor, {"kind": ActorKind.PERSON}),
        "places": (Place, {"country": "SYR", "geo_precision": "town"}),
        "claims": (Claim, about if collection == "claims" else {}),
        "sources": (Source, {"kind": SourceKind.VIDEO}),
    }[collection]
    if model is Event:
        fields["end_date"] = fields["start_date"]
    # Every text field a record needs, named after the record.
    texts = {Event: "title", Actor: "name", Place: "name", Claim: "statement", Source: "title"}
    records = model.objects.bulk_create(
        model(slug=f"{collection}-{n:04}", **{texts[model]: f"Record {n}"}, **fields) for n in range(count)
    )
    return {record.slug for record in records}


@pytest.mark.parametrize(
    ("collection", "export_format"),
    [(collection, "csv") for collection in COLLECTIONS]
    + [(collection, "geojson") for collection in GEOJSON_COLLECTIONS],
)
def test_export_is_streamed_with_its_media_type_and_a_file_name(api, collection, export_format):
    factories.documented_event()

    response, text = export(api, collection, export_format)

    assert response["Content-Type"] == CONTENT_TYPES[export_format]
    assert response["Content-Disposition"] == f'attachment; filename="{collection}.{export_format}"'
    assert text


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_csv_has_the_export_columns_and_every_record_unpaginated(api, collection):
    slugs = many(collection, 120)

    rows = csv_rows(api, collection)  # checks the header

    assert len(rows) == 120
    assert {row["slug"] for row in rows} == slugs
    assert rows[0]["slug"] == min(slugs)  # in the list's default order


@pytest.mark.parametrize("collection", GEOJSON_COLLECTIONS)
def test_geojson_has_every_record_unpaginated(api, collection):
    slugs = many(collection, 120)

    collection_of_features = geojson(api, collection)

    assert collection_of_features["type"] == "FeatureCollection"
    assert {feature["id"] for feature in collection_of_features["features"]} == slugs


@pytest.mark.parametrize(
    ("collection", "params", "wanted"),
    [
        ("events", {"country": "IRQ"}, lambda: factories.event(place=factories.place(country="IRQ"))),
        ("actors", {"kind": "person,coalition"}, lambda: factories.actor(kind=ActorKind.PERSON)),
        ("places", {"country": "IRQ"}, lambda: factories.place(country="IRQ")),
        ("claims", {"status": "contested"}, lambda: factories.claim(status=ClaimStatus.CONTESTED)),
        ("sources", {"kind": "interview"}, lambda: factories.source(kind=SourceKind.INTERVIEW)),
    ],
    ids=COLLECTIONS,
)
def test_filters_apply_to_exports(api, collection, params, wanted):
    selected = {wanted().slug for _ in range(3)}
    factories.documented_event()  # none of it selected: SYR, no person, no interview

    assert {row["slug"] for row in csv_rows(api, collection, **params)} == selected
    assert matching(api, collection, **params) == selected
    if collection in GEOJSON_COLLECTIONS:
        assert {feature["id"] for feature in geojson(api, collection, **params)["features"]} == selected


def test_exports_follow_search_and_ordering(api):
    villages = sorted(factories.place(name=f"Tal Abyad {n}").slug for n in range(3))
    factories.place(name="Homs")

    rows = csv_rows(api, "places", search="Tal Abyad", ordering="-slug")

    assert [row["slug"] for row in rows] == villages[::-1]


def a_documented_strike():
    raqqa = factories.place(
        slug="raqqa", name="Raqqa", country="SYR", admin1="Raqqa", latitude=35.95, longitude=39.01
    )
    perpetrators = [factories.actor(slug=slug) for slug in ("vks", "syrian-air-force")]
    target, ally = factories.actor(slug="isis"), factories.actor(slug="hezbollah")
    strike = factories.event(
        slug="raqqa-strike",
        place=raqqa,
        actors=[(perpetrators[0], ActorRole.PERPETRATOR), (perpetrators[1], ActorRole.PERPETRATOR)]
        + [(target, ActorRole.TARGET), (ally, ActorRole.ALLY)],
        fatalities_low=5,
        fatalities_best=8,
        fatalities_high=12,
        summary="Strikes near Raqqa, as the article reports them.",
    )
    first, second = factories.claim(event=strike), factories.claim(event=strike)
    factories.claim_relation(from_claim=second, to_claim=first, kind=ClaimRelationKind.CONTRADICTS)
    return strike


def test_event_csv_row_carries_place_actors_fatalities_and_claim_summary(api):
    a_documented_strike()
    factories.event(slug="unplaced", place=None)

    rows = {row["slug"]: row for row in csv_rows(api, "events")}

    strike = rows["raqqa-strike"]
    assert {column: strike[column] for column in ("place", "place_name", "country", "admin1")} == {
        "place": "raqqa",
        "place_name": "Raqqa",
        "country": "SYR",
        "admin1": "Raqqa",
    }
    assert (float(strike["latitude"]), float(strike["longitude"])) == (35.95, 39.01)
    assert strike["perpetrators"] == "syrian-air-force;vks"  # slugs in order, joined with ";"
    assert strike["perpetrator_names"] == "Actor syrian-air-force;Actor vks"  # the same order
    assert (strike["targets"], strike["target_names"]) == ("isis", "Actor isis")
    assert (strike["allies"], strike["ally_names"]) == ("hezbollah", "Actor hezbollah")
    assert (strike["victims"], strike["parties"]) == ("", "")
    assert strike["summary"] == "Strikes near Raqqa, as the article reports them."
    assert (strike["fatalities_low"], strike["fatalities_best"], strike["fatalities_high"]) == (
        "5",
        "8",
        "12",
    )
    assert (strike["claim_count"], strike["disputed"]) == ("2", "true")
    unplaced = rows["unplaced"]
    assert (unplaced["place"], unplaced["latitude"], unplaced["perpetrators"]) == ("", "", "")
    assert (unplaced["fatalities_best"], unplaced["claim_count"], unplaced["disputed"]) == ("", "0", "false")


def test_role_columns_of_an_event_without_actors_or_in_no_role_are_empty_text(api):
    # The roles are parts of one object a row (conflictdb/exports.Part): an event without actors has no
    # object, one with an actor in one role no key of the others'. Either way a column is empty text,
    # written "" like any empty list, never NULL (an unquoted empty field), and "" in GeoJSON.
    factories.event(slug="alone", place=None)
    factories.event(
        slug="one-side", place=None, actors=[(factories.actor(slug="vks"), ActorRole.PERPETRATOR)]
    )
    columns = list(EventViewSet.export_columns)
    roles = columns[columns.index("perpetrators") : columns.index("party_names") + 1]

    _response, text = export(api, "events")
    lines = {line.split(",", 1)[0]: line for line in text.splitlines()[1:]}
    features = {feature["id"]: feature["properties"] for feature in geojson(api, "events")["features"]}

    assert all(isinstance(EventViewSet.export_columns[name], Part) for name in roles)
    assert len(roles) == 10
    assert ",".join(['""'] * 10) in lines["alone"]
    assert "vks,Actor vks," + ",".join(['""'] * 8) in lines["one-side"]
    for slug, expected in {
        "alone": {},
        "one-side": {"perpetrators": "vks", "perpetrator_names": "Actor vks"},
    }.items():
        assert {name: features[slug][name] for name in roles} == {name: "" for name in roles} | expected


def test_event_geojson_has_point_geometries_lon_lat_and_null_without_coordinates(api):
    a_documented_strike()
    factories.event(slug="unplaced", place=None)
    factories.event(slug="unlocated", place=factories.place(latitude=None, longitude=None))

    features = {feature["id"]: feature for feature in geojson(api, "events")["features"]}

    assert set(features) == {"raqqa-strike", "unplaced", "unlocated"}
    strike = features["raqqa-strike"]
    assert strike["type"] == "Feature"
    assert strike["geometry"] == {"type": "Point", "coordinates": [39.01, 35.95]}
    assert strike["properties"]["place"] == "raqqa"
    assert strike["properties"]["perpetrators"] == "syrian-air-force;vks"
    assert (strike["properties"]["fatalities_best"], strike["properties"]["disputed"]) == (8, True)
    assert set(strike["properties"]) == set(EventViewSet.export_columns) - {"latitude", "longitude"}
    assert features["unplaced"]["geometry"] is None
    assert features["unlocated"]["geometry"] is None


def test_place_geojson(api):
    factories.place(slug="raqqa", latitude=35.95, longitude=39.01, aliases=["Raqa", "Ar-Raqqah"])
    factories.place(slug="somewhere", latitude=None, longitude=None)

    features = {feature["id"]: feature for feature in geojson(api, "places")["features"]}

    assert features["raqqa"]["geometry"] == {"type": "Point", "coordinates": [39.01, 35.95]}
    assert features["raqqa"]["properties"]["aliases"] == "Raqa;Ar-Raqqah"
    assert features["somewhere"]["geometry"] is None


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize(
    ("collection", "export_format"),
    [(collection, "csv") for collection in COLLECTIONS]
    + [(collection, "geojson") for collection in GEOJSON_COLLECTIONS],
)
def test_export_query_count_does_not_grow(api, django_assert_num_queries, collection, export_format, size):
    for _ in range(size):
        factories.documented_event(claims=2)
    model = VIEWS[collection].queryset.model

    with django_assert_num_queries(EXPORT_QUERIES[export_format]):
        response = api.get(f"/api/v1/{collection}/", {"format": export_format})
        body = b"".join(response.streaming_content)

    lines = body.decode().strip().splitlines()
    # A header (CSV) or the opening and closing lines (GeoJSON) around one line per record.
    assert len(lines) - (1 if export_format == "csv" else 2) == model.objects.count() >= size


@pytest.mark.parametrize(
    ("collection", "export_format", "params", "parameter"),
    [
        ("events", "csv", {"country": "Syria"}, "country"),
        ("events", "geojson", {"bbox": "35,34,40"}, "bbox"),
        ("places", "geojson", {"bbox": "40,34,35,37"}, "bbox"),
        ("actors", "csv", {"parent": "no-such-actor"}, "parent"),
        ("claims", "csv", {"colour": "red"}, "colour"),
        ("sources", "csv", {"published_from": "soon"}, "published_from"),
        ("actors", "geojson", {}, "format"),
    ],
)
def test_bad_parameter_of_an_export_is_a_400_problem(api, collection, export_format, params, parameter):
    factories.documented_event()

    response = api.get(f"/api/v1/{collection}/", {"format": export_format, **params})

    assert not response.streaming
    assert response["Content-Type"] == "application/problem+json"
    assert error_parameters(response) == {parameter}


@pytest.mark.parametrize("params", [{"page_size": "many"}, {"page": "0"}])
def test_malformed_page_parameters_of_an_export_are_a_400_too(api, params):
    factories.place()

    response = api.get("/api/v1/places/", {"format": "csv", **params})

    assert error_parameters(response) == set(params)


def test_a_whole_set_grouped_and_joined_writes_the_bytes_of_a_subquery_a_row():
    # A release writes each collection whole, its link lists grouped once and joined
    # (conflictdb/exports.Grouped); the API's export of a filtered set reads them by a subquery a row.
    # A filter applies to the grouped lists too: only the set's records' links are read.
    factories.documented_event(claims=4)
    factories.documented_event(claims=2, slug="other")
    factories.event(slug="alone", place=None)
    for view, kept in [(EventViewSet, ~Q(slug="other")), (ClaimViewSet, ~Q(event__slug="other"))]:
        queryset = view.queryset.model.objects.filter(kept)
        per_row = b"".join(copy_csv(queryset, view.export_columns))
        joined = b"".join(copy_csv(queryset, view.export_columns, whole=True))
        assert joined == per_row and per_row.count(b"\n") > 2
        assert "LEFT JOIN (SELECT" in csv_statement(queryset, view.export_columns, whole=True)
        assert "LEFT JOIN (SELECT" not in csv_statement(queryset, view.export_columns)
