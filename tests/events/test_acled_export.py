"""Events as a CSV in ACLED's layout (`format=acled`): ACLED's columns, our data in ACLED's codes, nothing
guessed (docs/api.md, "The ACLED layout")."""

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest

from events.models import Event
from events.vocabularies import ActorKind, ActorRole, EventType, GeoPrecision, SubEventType
from tests import factories
from tests.api_testing import error_parameters

pytestmark = pytest.mark.django_db

# ACLED's columns, in ACLED's order: what scripts written for ACLED's files read.
ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]


def acled_rows(api, **params) -> dict[str, dict]:
    response = api.get("/api/v1/events/", {"format": "acled", **params})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="events-acled.csv"'
    reader = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    assert reader.fieldnames == ACLED_COLUMNS
    return {row["event_id_cnty"]: row for row in reader}


def test_the_header_is_acleds_columns_as_docs_api_md_lists_them(api):
    listed = re.search(r"^ACLED columns: (.*)$", (Path("docs") / "api.md").read_text(), re.MULTILINE)[1]

    assert re.findall(r"`([^`]+)`", listed) == ACLED_COLUMNS
    assert acled_rows(api) == {}


def test_a_documented_strike_in_acleds_codes(api):
    """A Russian air force strike in Syria on a Syrian armed group, with a Syrian ally: Russia's forces
    abroad are External/Other Forces (8); an armed group has no code we can tell."""
    strike = factories.documented_event(
        place=factories.place(
            country="SYR", admin1="Hama", name="Kafr Nabudah", latitude=35.45, longitude=36.5
        ),
        summary="A strike on a village, as the article reports it.",
    )
    perpetrator, target, ally = (strike.event_actors.get(role=role).actor for role in ActorRole.values[:3])

    row = acled_rows(api)[strike.slug]

    assert (row["event_date"], row["year"], row["time_precision"]) == ("2015-09-30", "2015", "1")
    assert (row["disorder_type"], row["event_type"], row["sub_event_type"]) == (
        "Political violence",
        "Explosions/Remote violence",
        "Air/drone strike",
    )
    assert (row["actor1"], row["assoc_actor_1"], row["inter1"]) == (perpetrator.name, ally.name, "8")
    assert (row["actor2"], row["assoc_actor_2"], row["inter2"], row["interaction"]) == (
        target.name,
        "",
        "",
        "",
    )
    assert row["civilian_targeting"] == ""
    assert (row["iso"], row["country"], row["admin1"], row["location"]) == (
        "760",
        "Syria",
        "Hama",
        "Kafr Nabudah",
    )
    assert (row["latitude"], row["longitude"], row["geo_precision"]) == ("35.45", "36.5", "1")
    assert row["source"] == "Agence France-Presse"  # the statements reported in the article: its publisher
    assert (row["notes"], row["fatalities"]) == ("A strike on a village, as the article reports it.", "8")
    assert int(row["timestamp"]) == int(Event.objects.get(pk=strike.pk).updated_at.timestamp())
    assert [row[c] for c in ("region", "admin2", "admin3", "source_scale", "tags")] == [""] * 5


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2015, 9, 30), date(2015, 9, 30), ("2015-09-30", "2015", "1")),
        (date(2015, 9, 30), date(2015, 10, 3), ("2015-10-01", "2015", "2")),  # "this week": the middle
        (date(2015, 9, 28), date(2015, 10, 4), ("2015-10-01", "2015", "2")),
        (date(2014, 9, 1), date(2014, 9, 30), ("2014-09-15", "2014", "3")),  # a month: its middle
        (date(2015, 12, 20), date(2016, 1, 19), ("2016-01-04", "2016", "3")),
        (date(2011, 1, 1), date(2011, 12, 31), ("", "2011", "")),  # a year: no honest ACLED date
        (date(2015, 12, 20), date(2016, 1, 20), ("", "", "")),  # over a month, across two years
    ],
)
def test_a_date_range_maps_to_acleds_time_precision_honestly(api, start, end, expected):
    event = factories.event(start_date=start, end_date=end, date_precision="range")

    row = acled_rows(api)[event.slug]

    assert (row["event_date"], row["year"], row["time_precision"]) == expected


def test_state_forces_at_home_are_1_and_a_lone_actor_interacts_with_no_one(api):
    syria = factories.actor(kind=ActorKind.ARMED_FORCE, country="SYR")
    rebels = factories.actor(kind=ActorKind.ARMED_GROUP)
    un = factories.actor(kind=ActorKind.INTERNATIONAL_ORGANISATION)
    battle = factories.event(actors=[(syria, ActorRole.PERPETRATOR), (un, ActorRole.TARGET)])
    alone = factories.event(actors=[(syria, ActorRole.PERPETRATOR)])
    unknown = factories.event(actors=[(rebels, ActorRole.PERPETRATOR), (syria, ActorRole.TARGET)])
    nowhere = factories.event(place=None, actors=[(syria, ActorRole.PERPETRATOR)])

    rows = acled_rows(api)

    assert [rows[battle.slug][c] for c in ("inter1", "inter2", "interaction")] == ["1", "8", "18"]
    assert [rows[alone.slug][c] for c in ("inter1", "inter2", "interaction")] == ["1", "", "10"]
    assert [rows[unknown.slug][c] for c in ("inter1", "inter2", "interaction")] == ["", "1", ""]
    assert [rows[nowhere.slug][c] for c in ("inter1", "iso", "country", "location")] == ["", "", "", ""]


def test_several_perpetrators_and_victims_fill_the_associated_actors(api):
    first, second = (
        factories.actor(slug="a-first", name="First"),
        factories.actor(slug="b-second", name="Second"),
    )
    victims = [factories.actor(slug=f"victims-{n}", name=f"Victims {n}") for n in (1, 2)]
    party = factories.actor(name="A bystander state")
    event = factories.event(
        event_type=EventType.VIOLENCE_AGAINST_CIVILIANS,
        sub_event_type=SubEventType.ATTACK,
        actors=[(second, ActorRole.PERPETRATOR), (first, ActorRole.PERPETRATOR), (party, ActorRole.PARTY)]
        + [(victim, ActorRole.VICTIM) for victim in victims],
    )

    row = acled_rows(api)[event.slug]

    assert (row["actor1"], row["assoc_actor_1"]) == ("First", "Second")
    assert (row["actor2"], row["assoc_actor_2"]) == ("Victims 1", "Victims 2")
    assert (row["disorder_type"], row["civilian_targeting"]) == ("Political violence", "Civilian targeting")


@pytest.mark.parametrize(
    ("event_type", "sub_event_type", "disorder"),
    [
        (EventType.PROTESTS, SubEventType.PEACEFUL_PROTEST, "Demonstrations"),
        (EventType.PROTESTS, SubEventType.EXCESSIVE_FORCE, "Political violence; Demonstrations"),
        (EventType.RIOTS, SubEventType.MOB_VIOLENCE, "Political violence"),
        (EventType.RIOTS, "", ""),  # a riot without a sub-type: violent demonstration or mob violence?
        (EventType.STRATEGIC_DEVELOPMENTS, SubEventType.AGREEMENT, "Strategic developments"),
    ],
)
def test_disorder_type(api, event_type, sub_event_type, disorder):
    event = factories.event(event_type=event_type, sub_event_type=sub_event_type)

    assert acled_rows(api)[event.slug]["disorder_type"] == disorder


@pytest.mark.parametrize(
    ("precision", "code"),
    [
        (GeoPrecision.EXACT, "1"),
        (GeoPrecision.NEAR, "2"),
        (GeoPrecision.ADMIN1, "3"),
        (GeoPrecision.COUNTRY, ""),
    ],
)
def test_geo_precision(api, precision, code):
    event = factories.event(place=factories.place(geo_precision=precision))

    assert acled_rows(api)[event.slug]["geo_precision"] == code


def test_unknown_fatalities_stay_empty_and_filters_apply(api):
    unknown = factories.event(place=factories.place(country="IRQ"))
    factories.event(place=factories.place(country="SYR"))

    rows = acled_rows(api, country="IRQ")

    assert list(rows) == [unknown.slug]
    assert (rows[unknown.slug]["fatalities"], rows[unknown.slug]["iso"]) == ("", "368")


def test_an_acled_export_is_not_paginated(api):
    assert error_parameters(api.get("/api/v1/events/", {"format": "acled", "page_size": 10})) == {"page_size"}
