"""The events, actors, places and claims collections."""

from datetime import date

import pytest

from events.models import Actor, Claim, Event, Place
from events.vocabularies import ActorKind, ActorRole, ClaimRelationKind, ClaimType
from sources.models import SourceKind
from tests import factories
from tests.api_testing import CollectionTests


class TestEvents(CollectionTests):
    collection = "events"
    model = Event
    factory = staticmethod(factories.event)
    detail_field = "title"
    searchable = {"title": "Air strikes on Talbiseh"}
    search_term = "talbiseh"
    list_queries = 1  # the page, the whole result: its own count (with place, parent, actors, summary)
    detail_queries = 2  # the event (with place, actors, claim summary), its claims (with all they cite)


class TestActors(CollectionTests):
    collection = "actors"
    model = Actor
    factory = staticmethod(factories.actor)
    detail_field = "name"
    searchable = {"name": "Islamic State", "aliases": ["ISIS", "ISIL", "Daesh"]}
    search_term = "daesh"
    list_queries = 1  # the page, the whole result: its own count (with parent joined)
    detail_queries = 1
    detail_of = {"parent__isnull": False}


class TestPlaces(CollectionTests):
    collection = "places"
    model = Place
    factory = staticmethod(factories.place)
    detail_field = "name"
    searchable = {"name": "Raqqa", "aliases": ["Raqa", "Ar-Raqqah"]}
    search_term = "ar-raqqah"
    list_queries = 1  # the page, the whole result: its own count
    detail_queries = 1

    def test_page_size_is_capped_at_1000(self, api):
        Place.objects.bulk_create(
            Place(slug=f"village-{number:04}", name=f"Village {number}", country="SYR", geo_precision="town")
            for number in range(1001)
        )

        page = api.get(self.url(), {"page_size": 5000}).json()

        assert page["count"] == 1001
        assert len(page["results"]) == 1000
        assert page["next"] is not None


class TestClaims(CollectionTests):
    collection = "claims"
    model = Claim
    factory = staticmethod(factories.claim)
    detail_field = "statement"
    searchable = {"statement": "The ministry says its jets hit ISIS positions"}
    search_term = "jets hit"
    list_queries = 1  # the page, the whole result: its own count (with claimant, source, event, relations)
    detail_queries = 1  # the claim with all it cites and its relations both ways, in one statement
    detail_of = {"relations__isnull": False}


@pytest.mark.django_db
def test_event_detail_nests_place_actors_in_roles_and_claims_with_claimant_and_source(api):
    raqqa = factories.place(name="Raqqa", country="SYR", latitude=35.95, longitude=39.01)
    air_force = factories.actor(name="Russian Aerospace Forces", kind=ActorKind.ARMED_FORCE, country="RUS")
    isis = factories.actor(name="Islamic State", kind=ActorKind.ARMED_GROUP)
    monitor = factories.actor(name="Syrian Observatory for Human Rights", kind=ActorKind.NGO, country="GBR")
    article = factories.source(title="Russia strikes IS in Raqqa")
    statement = factories.source(kind=SourceKind.OFFICIAL_STATEMENT, reported_in=article)
    strike = factories.event(
        place=raqqa,
        actors=[(isis, ActorRole.TARGET), (air_force, ActorRole.PERPETRATOR)],
        start_date=date(2015, 10, 2),
        end_date=date(2015, 10, 3),
        summary="Jets struck IS positions around Raqqa.",
    )
    self_report = factories.claim(
        claimant=air_force,
        source=statement,
        event=strike,
        is_self_report=True,
        claim_type=ClaimType.STRIKE_REPORT,
    )
    toll = factories.claim(
        claimant=monitor,
        source=article,
        event=strike,
        claim_type=ClaimType.CASUALTY_COUNT,
        value=12,
        unit="deaths",
    )
    factories.claim_relation(from_claim=toll, to_claim=self_report, kind=ClaimRelationKind.CONTRADICTS)
    factories.event()  # another event, with no claims, must not leak in

    response = api.get(f"/api/v1/events/{strike.slug}/")

    assert response.status_code == 200
    body = response.json()
    assert body["summary"] == "Jets struck IS positions around Raqqa."
    assert (body["place"]["slug"], body["place"]["name"], body["place"]["latitude"]) == (
        raqqa.slug,
        "Raqqa",
        35.95,
    )
    assert sorted((actor["slug"], actor["name"], actor["role"]) for actor in body["actors"]) == sorted(
        [
            (air_force.slug, "Russian Aerospace Forces", "perpetrator"),
            (isis.slug, "Islamic State", "target"),
        ]
    )
    assert (body["claim_count"], body["disputed"]) == (2, True)
    claims = {claim["slug"]: claim for claim in body["claims"]}
    assert set(claims) == {self_report.slug, toll.slug}
    assert claims[self_report.slug]["claimant"]["slug"] == air_force.slug
    assert claims[self_report.slug]["is_self_report"] is True
    assert claims[self_report.slug]["source"]["slug"] == statement.slug
    assert claims[self_report.slug]["source"]["reported_in"] == article.slug
    assert claims[toll.slug]["claimant"]["name"] == "Syrian Observatory for Human Rights"
    assert (claims[toll.slug]["value"], claims[toll.slug]["unit"]) == (12, "deaths")
    air_force_named = {"slug": air_force.slug, "name": "Russian Aerospace Forces"}
    assert claims[toll.slug]["relations"] == [
        {
            "kind": "contradicts",
            "claim": self_report.slug,
            "claimant": air_force_named,
            "event": strike.slug,
            "note": "",
        }
    ]
    assert [item["claim"] for item in claims[self_report.slug]["related_by"]] == [toll.slug]
    assert [(c["claim"], c["contradicted_by"]) for c in body["contested_by"]] == [
        (self_report.slug, toll.slug)
    ]


@pytest.mark.django_db
def test_event_list_summarises_claims_without_nesting_them(api):
    quiet = factories.event()
    disputed = factories.documented_event(claims=3)

    events = {event["slug"]: event for event in api.get("/api/v1/events/").json()["results"]}

    assert (events[quiet.slug]["claim_count"], events[quiet.slug]["disputed"]) == (0, False)
    assert (events[disputed.slug]["claim_count"], events[disputed.slug]["disputed"]) == (3, True)
    assert "claims" not in events[disputed.slug]


@pytest.mark.django_db
def test_event_search_finds_an_event_by_its_places_alias(api):
    raqqa = factories.event(place=factories.place(name="Raqqa", aliases=["Ar-Raqqah"]))
    factories.event(place=factories.place(name="Homs"))

    response = api.get("/api/v1/events/", {"search": "Ar-Raqqah"})

    assert [event["slug"] for event in response.json()["results"]] == [raqqa.slug]
