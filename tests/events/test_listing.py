"""The events list shapes its rows without EventSerializer (events/api/listing.py); every row must be what
EventSerializer, the documented schema, writes for that event."""

import json

import pytest
from django.conf import settings
from django.db.models import Prefetch
from rest_framework.renderers import JSONRenderer

from events.api.serializers import EventSerializer
from events.dataset import load
from events.models import Event, EventActor
from events.vocabularies import ActorRole
from tests import factories

pytestmark = pytest.mark.django_db


def as_serialized(events) -> dict:
    """Each event as EventSerializer writes it, through the same JSON renderer as the API."""
    data = EventSerializer(events, many=True).data
    return {event["slug"]: event for event in json.loads(JSONRenderer().render(data))}


def test_every_listed_event_is_written_as_the_serializer_writes_it(api):
    load([settings.BASE_DIR / "fixtures"])
    # What the curated data may lack: an event without place, parent or actors, and one with a place
    # without coordinates.
    factories.event(place=None, slug="no-place")
    factories.event(place=factories.place(latitude=None, longitude=None), slug="place-without-coordinates")
    factories.event(
        slug="campaign-part",
        part_of=Event.objects.get(slug="no-place"),
        actors=[(factories.actor(), ActorRole.TARGET), (factories.actor(), ActorRole.PERPETRATOR)],
    )
    events = (
        Event.objects.with_claim_summary(page=True)
        .select_related("place", "part_of")
        .prefetch_related(Prefetch("event_actors", EventActor.objects.select_related("actor")))
    )

    listed = api.get("/api/v1/events/", {"page_size": 1000}).json()["results"]

    assert {event["slug"]: event for event in listed} == as_serialized(events)
    assert len(listed) == Event.objects.count() > 15
    assert any(event["disputed"] for event in listed) and not all(event["disputed"] for event in listed)
