"""Filters of the actors, places and claims collections, and `updated_since` on every events-app collection.

The events collection's own filters are in test_filters.py.
"""

from datetime import date

import pytest

from events.models import Claim
from events.vocabularies import ActorKind, ClaimStatus, ClaimType, EventType
from sources.models import SourceKind
from tests import factories
from tests.api_testing import assert_updated_since, error_parameters, matching

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("collection", "factory"),
    [
        ("events", factories.event),
        ("actors", factories.actor),
        ("places", factories.place),
        ("claims", factories.claim),
    ],
    ids=["events", "actors", "places", "claims"],
)
def test_updated_since(api, collection, factory):
    assert_updated_since(api, collection, factory)


# Actors


def test_actor_kind_takes_several_values(api):
    russia = factories.actor(kind=ActorKind.STATE)
    putin = factories.actor(kind=ActorKind.PERSON)
    factories.actor(kind=ActorKind.ARMED_GROUP)

    assert matching(api, "actors", kind="state") == {russia.slug}
    assert matching(api, "actors", kind="state,person") == {russia.slug, putin.slug}
    assert matching(api, "actors", kind="state, person") == {russia.slug, putin.slug}


def test_actor_country_is_alpha3_in_any_case(api):
    russia = factories.actor(country="RUS")
    syria = factories.actor(country="SYR")
    factories.actor(country="")  # civilians: no country

    assert matching(api, "actors", country="rus") == {russia.slug}
    assert matching(api, "actors", country="RUS,SYR") == {russia.slug, syria.slug}


def test_actor_parent_is_the_direct_parent(api):
    russia = factories.actor(kind=ActorKind.STATE, country="RUS")
    ministry = factories.actor(kind=ActorKind.GOVERNMENT_BODY, parent=russia)
    air_force = factories.actor(kind=ActorKind.ARMED_FORCE, parent=ministry)
    syria = factories.actor(kind=ActorKind.STATE, country="SYR")
    syrian_army = factories.actor(kind=ActorKind.ARMED_FORCE, parent=syria)

    assert matching(api, "actors", parent=russia.slug) == {ministry.slug}
    assert matching(api, "actors", parent=ministry.slug) == {air_force.slug}
    assert matching(api, "actors", parent=f"{russia.slug},{syria.slug}") == {ministry.slug, syrian_army.slug}
    assert matching(api, "actors", parent=air_force.slug) == set()


# Places


def test_place_country_takes_several_codes_in_any_case(api):
    raqqa = factories.place(country="SYR")
    mosul = factories.place(country="IRQ")
    factories.place(country="TUR")

    assert matching(api, "places", country="syr") == {raqqa.slug}
    assert matching(api, "places", country="SYR,IRQ") == {raqqa.slug, mosul.slug}


def test_place_admin1_is_an_exact_name_in_any_case(api):
    raqqa = factories.place(admin1="Raqqa")
    homs = factories.place(admin1="Homs")
    deir = factories.place(admin1="Deir ez-Zor")
    factories.place(admin1="")

    assert matching(api, "places", admin1="raqqa") == {raqqa.slug}
    assert matching(api, "places", admin1="Raqqa,Homs") == {raqqa.slug, homs.slug}
    assert matching(api, "places", admin1="Deir ez-Zor") == {deir.slug}
    assert matching(api, "places", admin1="Raq") == set()  # no substring matches
    assert matching(api, "places", admin1=".*") == set()  # nor regular expressions


def test_place_bbox(api):
    raqqa = factories.place(latitude=35.95, longitude=39.01)
    homs = factories.place(latitude=34.73, longitude=36.72)
    baghdad = factories.place(latitude=33.31, longitude=44.36)
    factories.place(latitude=None, longitude=None)  # unknown coordinates are in no box

    assert matching(api, "places", bbox="38.5,35.5,39.5,36.5") == {raqqa.slug}
    assert matching(api, "places", bbox="35,34,40,37") == {raqqa.slug, homs.slug}
    assert matching(api, "places", bbox="39.01,35.95,39.01,35.95") == {raqqa.slug}  # edges included
    assert matching(api, "places", bbox="-180,-90,180,90") == {raqqa.slug, homs.slug, baghdad.slug}


# Claims


def test_claim_claimant(api):
    ministry, monitor = factories.actor(), factories.actor()
    by_ministry = factories.claim(claimant=ministry)
    by_monitor = factories.claim(claimant=monitor)
    factories.claim()

    assert matching(api, "claims", claimant=ministry.slug) == {by_ministry.slug}
    assert matching(api, "claims", claimant=f"{ministry.slug},{monitor.slug}") == {
        by_ministry.slug,
        by_monitor.slug,
    }


def test_claim_event(api):
    strike, shelling = factories.event(), factories.event()
    about_strike = factories.claim(event=strike)
    about_shelling = factories.claim(event=shelling)
    factories.claim(event=None)
    factories.event()  # an event without claims

    assert matching(api, "claims", event=strike.slug) == {about_strike.slug}
    assert matching(api, "claims", event=f"{strike.slug},{shelling.slug}") == {
        about_strike.slug,
        about_shelling.slug,
    }


def test_claim_source(api):
    article, video = factories.source(), factories.source(kind=SourceKind.VIDEO)
    in_article = factories.claim(source=article)
    in_video = factories.claim(source=video)
    factories.claim()

    assert matching(api, "claims", source=article.slug) == {in_article.slug}
    assert matching(api, "claims", source=f"{article.slug},{video.slug}") == {in_article.slug, in_video.slug}


def test_claim_source_includes_sources_reported_in_it_as_events_source_does(api):
    article = factories.source()
    interview = factories.source(kind=SourceKind.INTERVIEW, reported_in=article)
    in_article = factories.claim(source=article, event=factories.event())
    in_interview = factories.claim(source=interview, event=factories.event())
    factories.claim(source=factories.source(), event=factories.event())

    # The events this filter finds are those of exactly the claims that the claims filter should find.
    assert matching(api, "events", source=article.slug) == {in_article.event.slug, in_interview.event.slug}
    assert matching(api, "claims", source=article.slug) == {in_article.slug, in_interview.slug}


def test_claim_type_takes_several_values(api):
    toll = factories.claim(claim_type=ClaimType.CASUALTY_COUNT, value=12, unit="deaths")
    denial = factories.claim(claim_type=ClaimType.DENIAL)
    factories.claim(claim_type=ClaimType.STRIKE_REPORT)

    assert matching(api, "claims", claim_type="casualty_count") == {toll.slug}
    assert matching(api, "claims", claim_type="casualty_count,denial") == {toll.slug, denial.slug}


def test_claim_status_takes_several_values(api):
    contested = factories.claim(status=ClaimStatus.CONTESTED)
    discounted = factories.claim(status=ClaimStatus.DISCOUNTED)
    factories.claim()  # unverified by default

    assert matching(api, "claims", status="contested") == {contested.slug}
    assert matching(api, "claims", status="contested,discounted") == {contested.slug, discounted.slug}


def test_claim_value_range_compares_value_else_low_else_high(api):
    def figure(**values):
        return factories.claim(claim_type=ClaimType.CASUALTY_COUNT, unit="deaths", **values).slug

    ten = figure(value=10)
    thirty_in_25_to_35 = figure(value=30, value_low=25, value_high=35)  # compared on 30
    from_20_to_40 = figure(value_low=20, value_high=40)  # compared on 20
    up_to_5 = figure(value_high=5)  # compared on 5
    factories.claim()  # no figure: never in a range

    assert matching(api, "claims", value_min=28) == {thirty_in_25_to_35}
    assert matching(api, "claims", value_min=20) == {thirty_in_25_to_35, from_20_to_40}
    assert matching(api, "claims", value_max=24) == {ten, from_20_to_40, up_to_5}
    assert matching(api, "claims", value_max=10) == {ten, up_to_5}
    assert matching(api, "claims", value_min=10, value_max=20) == {ten, from_20_to_40}
    assert matching(api, "claims", value_min=0) == {ten, thirty_in_25_to_35, from_20_to_40, up_to_5}


# Claims by their event: the events' own filters, with the events' semantics.

EVENT_PARAMETERS = [
    {"country": "SYR"},
    {"country": "irq,syr"},
    {"admin1": "idlib"},
    {"admin1": "Idlib,Nineveh"},
    {"date_from": "2015-10-02"},
    {"date_to": "2015-10-01"},
    {"date_from": "2015-10-02", "date_to": "2015-10-04"},
    {"event_type": "battles"},
    {"event_type": "battles,explosions_remote_violence"},
    {"bbox": "36,35,37,36"},
    {"country": "SYR", "date_from": "2015-10-01", "date_to": "2015-10-31"},
]


@pytest.fixture
def events_with_claims():
    """Events in two countries, over overlapping dates, of two types, each with one claim (and a claim
    about no event, an event at no place)."""
    idlib = factories.place(country="SYR", admin1="Idlib", latitude=35.9, longitude=36.6)
    hama = factories.place(country="SYR", admin1="Hama", latitude=35.1, longitude=36.8)
    mosul = factories.place(country="IRQ", admin1="Nineveh", latitude=36.3, longitude=43.1)
    events = [
        factories.event(place=idlib, start_date=date(2015, 9, 30), end_date=date(2015, 10, 3)),
        factories.event(
            place=hama, start_date=date(2015, 10, 5), event_type=EventType.BATTLES, sub_event_type=""
        ),
        factories.event(place=mosul, start_date=date(2015, 9, 20), end_date=date(2015, 9, 25)),
        factories.event(
            place=None, start_date=date(2015, 10, 3), event_type=EventType.PROTESTS, sub_event_type=""
        ),
    ]
    for event in events:
        factories.claim(event=event)
    factories.claim(event=None)
    return events


@pytest.mark.parametrize(
    "params", EVENT_PARAMETERS, ids=lambda params: "&".join(map("=".join, params.items()))
)
def test_claims_by_their_event_match_the_claims_of_the_events_the_event_filters_match(
    api, events_with_claims, params
):
    events = matching(api, "events", **params)
    claims = matching(api, "claims", **params)

    assert 0 < len(events) < len(events_with_claims), "a case that can tell a filter from none"
    assert {claim.event.slug for claim in Claim.objects.filter(slug__in=claims)} == events


def test_claims_by_their_events_place(api, events_with_claims):
    idlib = events_with_claims[0]

    assert matching(api, "claims", place=idlib.place.slug) == {idlib.claims.get().slug}


# Bad values: a 400 naming the parameter.


@pytest.mark.parametrize(
    ("collection", "parameter", "value"),
    [
        ("actors", "kind", "dragon"),
        ("actors", "kind", "state,dragon"),
        ("actors", "country", "Russia"),
        ("actors", "country", "RU"),
        ("actors", "parent", "no-such-actor"),
        ("places", "country", "SY"),
        ("places", "bbox", "35,34,40"),
        ("places", "bbox", "40,34,35,37"),
        ("places", "bbox", "35,37,40,34"),
        ("places", "bbox", "west,34,40,37"),
        ("claims", "claimant", "no-such-actor"),
        ("claims", "event", "no-such-event"),
        ("claims", "source", "no-such-source"),
        ("claims", "claim_type", "rumour"),
        ("claims", "status", "confirmed"),
        ("claims", "status", "contested,confirmed"),
        ("claims", "value_min", "many"),
        ("claims", "value_min", "-1"),
        ("claims", "value_max", "1O"),
        ("claims", "updated_since", "2015-10-03T99:00"),
        ("claims", "country", "SY"),
        ("claims", "place", "no-such-place"),
        ("claims", "date_from", "03/10/2015"),
        ("claims", "date_to", "2015-02-30"),
        ("claims", "event_type", "war"),
        ("claims", "bbox", "40,34,35,37"),
        ("claims", "bbox", "35,34,40"),
    ],
)
def test_bad_value_is_a_400_naming_the_parameter(api, collection, parameter, value):
    factories.documented_event()  # records whose slugs and values exist, so only the bad one is blamed

    assert error_parameters(api.get(f"/api/v1/{collection}/", {parameter: value})) == {parameter}


def test_slug_filters_name_only_the_unknown_slug_among_known_ones(api):
    known = factories.actor()

    response = api.get("/api/v1/claims/", {"claimant": f"{known.slug},no-such-actor"})

    assert error_parameters(response) == {"claimant"}
    assert "no-such-actor" in response.json()["errors"][0]["detail"]
    assert known.slug not in response.json()["errors"][0]["detail"]
