"""The events and claims lists, and an event as read, are shaped without a serializer
(events/api/listing.py); each must be what the serializer, the documented schema, writes for that record."""

import json
from datetime import UTC, datetime

import pytest
from django.db.models import Prefetch
from rest_framework.renderers import JSONRenderer

from conflictdb.filters import nulls_last
from conflictdb.response_cache import record_part
from events.api.listing import event_rows, keyed
from events.api.serializers import ClaimSerializer, EventDetailSerializer, EventSerializer
from events.api.views import CLAIMS, EventViewSet
from events.filtersets import ClaimFilterSet, EventFilterSet
from events.models import Claim, Event, EventActor
from events.vocabularies import ActorRole, ClaimRelationKind
from tests import factories

# Every test reads the curated dataset, loaded once for the module; each test's writes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("curated_dataset_of_module")]


def as_serialized(serializer_class, records) -> dict:
    """Each record as the serializer writes it, through the same JSON renderer as the API, by slug."""
    data = serializer_class(records, many=True).data
    return {record["slug"]: record for record in json.loads(JSONRenderer().render(data))}


def listed(api, collection: str) -> dict:
    body = api.get(f"/api/v1/{collection}/", {"page_size": 1000}).json()
    assert body["next"] is None
    return {record["slug"]: record for record in body["results"]}


def test_every_listed_event_is_written_as_the_serializer_writes_it(api):
    # What the curated data may lack: an event without place, parent or actors, and one with a place
    # without coordinates.
    factories.event(place=None, slug="no-place")
    factories.event(place=factories.place(latitude=None, longitude=None), slug="place-without-coordinates")
    factories.event(
        slug="campaign-part",
        part_of=Event.objects.get(slug="no-place"),
        actors=[(factories.actor(), ActorRole.TARGET), (factories.actor(), ActorRole.PERPETRATOR)],
    )
    events = Event.objects.select_related("place", "part_of").prefetch_related(
        Prefetch("event_actors", EventActor.objects.select_related("actor"))
    )

    found = listed(api, "events")

    assert found == as_serialized(EventSerializer, events)
    assert len(found) == Event.objects.count() > 15
    assert {event["disputed"] for event in found.values()} == {True, False}
    first = found["campaign-part"]
    assert list(first) == list(EventSerializer.Meta.fields)  # in the schema's order too
    assert [list(actor) for actor in first["actors"]] == [["slug", "name", "kind", "role", "evidence"]] * 2


def test_every_listed_claim_is_written_as_the_serializer_writes_it(api):
    # What the curated data may lack: a claim about an actor, with a figure range, and no date.
    about = factories.claim(
        slug="about-an-actor", about_actor=factories.actor(), value_low=3, value_high=9, unit="deaths"
    )
    factories.claim_relation(
        from_claim=about,
        to_claim=Claim.objects.get(slug="obama-recipe-for-disaster"),
        kind=ClaimRelationKind.SUPPORTS,
    )

    found = listed(api, "claims")

    assert found == as_serialized(ClaimSerializer, CLAIMS.all())
    assert len(found) == Claim.objects.count() > 40
    assert any(claim["relations"] for claim in found.values())
    assert any(claim["source"]["reported_in"] for claim in found.values())
    assert list(found["about-an-actor"]) == list(ClaimSerializer.Meta.fields)
    assert list(found["about-an-actor"]["claimant"]) == ["slug", "name", "kind", "country"]


def test_an_event_as_read_is_what_the_detail_serializer_writes(api):
    factories.event(place=None, slug="no-place")  # and without claims
    events = EventViewSet.queryset.prefetch_related(Prefetch("claims", queryset=CLAIMS))
    expected = as_serialized(EventDetailSerializer, events)

    read = {slug: api.get(f"/api/v1/events/{slug}/") for slug in expected}

    assert {slug: response.json() for slug, response in read.items()} == expected
    assert all(list(response.json()) == EventDetailSerializer.Meta.fields for response in read.values())
    claims_read = sum(len(event["claims"]) for event in expected.values())
    assert claims_read == Claim.objects.exclude(event=None).count() > 30
    updated_at = Event.objects.get(slug="no-place").updated_at
    assert record_part(read["no-place"]["ETag"]) == str(int(updated_at.timestamp() * 1_000_000))


def test_timestamps_are_written_as_drf_writes_them_with_and_without_microseconds(api):
    """PostgreSQL formats the record's timestamps itself: whole seconds drop the fraction, as Python's
    isoformat does, and a fraction keeps its six digits (trailing zeros too)."""
    stamps = {
        "whole-second": datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC),
        "tenth-of-a-second": datetime(2024, 5, 1, 12, 0, 0, 100000, tzinfo=UTC),
        "early-morning": datetime(2001, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
    }
    for slug, stamp in stamps.items():
        factories.event(slug=slug)
        Event.objects.filter(slug=slug).update(created_at=stamp, updated_at=stamp)

    found = listed(api, "events")

    assert {slug: found[slug]["updated_at"] for slug in stamps} == {
        "whole-second": "2024-05-01T12:00:00Z",
        "tenth-of-a-second": "2024-05-01T12:00:00.100000Z",
        "early-morning": "2001-01-02T03:04:05.000006Z",
    }
    assert found == as_serialized(EventSerializer, Event.objects.prefetch_related("event_actors"))


def orderings(filterset_class) -> list[str]:
    """Every value of the filterset's `ordering`, ascending and descending."""
    names = filterset_class.base_filters["ordering"].param_map
    return [f"{sign}{name}" for name in names for sign in ("", "-")]


def walk(api, url: str, direction: str) -> list[str]:
    """The slugs of the pages from `url` on, following `direction` ("next" or "previous"), in order."""
    seen = []
    while url:
        body = api.get(url).json()
        page = [record["slug"] for record in body["results"]]
        seen = seen + page if direction == "next" else page + seen
        url = body[direction]
    return seen


@pytest.mark.parametrize(
    "collection, model, filterset_class",
    [("events", Event, EventFilterSet), ("claims", Claim, ClaimFilterSet)],
)
def test_pages_follow_every_ordering_both_ways(api, collection, model, filterset_class):
    """A page's rows hold the fields it is ordered on only (`keyed`): every ordering's links must still
    carry them, forward from the first page and back from the last."""
    for ordering in orderings(filterset_class):
        expected = [
            row.slug for row in model.objects.order_by(nulls_last(model, ordering), "slug").only("slug")
        ]
        url = f"/api/v1/{collection}/?page_size=4&ordering={ordering}"
        assert walk(api, url, "next") == expected, ordering

        last = api.get(url).json()
        while last["next"]:
            last = api.get(last["next"]).json()
        if last["previous"] and "cursor=" in last["previous"]:
            back = walk(api, last["previous"], "previous")
            assert back == expected[: len(expected) - len(last["results"])], ordering


def test_a_page_reads_the_record_and_the_fields_it_is_ordered_on(api):
    factories.event(slug="one")
    rows = event_rows().all()

    assert list(keyed(rows).first()) == ["record", "slug"]
    assert set(keyed(rows.order_by("-updated_at", "slug")).first()) == {"record", "updated_at", "slug"}
    # A nullable field cannot be resumed from (pages by number): the record alone.
    assert list(keyed(rows.order_by(nulls_last(Event, "fatalities_best"))).first()) == ["record"]
