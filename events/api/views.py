"""API views of actors, places, events and claims."""

from django.db.models import Prefetch
from rest_framework import viewsets

from events.api.serializers import (
    ActorSerializer,
    ClaimSerializer,
    EventDetailSerializer,
    EventSerializer,
    PlaceSerializer,
)
from events.filtersets import ActorFilterSet, ClaimFilterSet, EventFilterSet, PlaceFilterSet
from events.models import Actor, Claim, ClaimRelation, Event, EventActor, Place

RELATIONS = Prefetch("relations", queryset=ClaimRelation.objects.select_related("to_claim"))
CLAIMS = Claim.objects.select_related(
    "claimant", "source__reported_in", "event", "about_actor"
).prefetch_related(RELATIONS)


class ActorViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Actor.objects.select_related("parent")
    serializer_class = ActorSerializer
    filterset_class = ActorFilterSet
    lookup_field = "slug"


class PlaceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Place.objects.all()
    serializer_class = PlaceSerializer
    filterset_class = PlaceFilterSet
    lookup_field = "slug"


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = (
        Event.objects.with_claim_summary()
        .select_related("place", "part_of")
        .prefetch_related(Prefetch("event_actors", queryset=EventActor.objects.select_related("actor")))
    )
    filterset_class = EventFilterSet
    lookup_field = "slug"

    def get_queryset(self):
        if self.action == "retrieve":
            return self.queryset.prefetch_related(Prefetch("claims", queryset=CLAIMS))
        return self.queryset

    def get_serializer_class(self):
        return EventDetailSerializer if self.action == "retrieve" else EventSerializer


class ClaimViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = CLAIMS
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilterSet
    lookup_field = "slug"
