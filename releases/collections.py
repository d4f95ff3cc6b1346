"""The collections a release holds, in the order its files list them (a record's references come before
it: sources, actors, places, events, claims), each with the API view whose export columns its CSV has."""

from functools import cache

from conflictdb.versions import item_keys_of
from events.api.views import ActorViewSet, ClaimViewSet, EventViewSet, PlaceViewSet
from sources.api.views import SourceViewSet

VIEWS = {
    "sources": SourceViewSet,
    "actors": ActorViewSet,
    "places": PlaceViewSet,
    "events": EventViewSet,
    "claims": ClaimViewSet,
}


@cache
def collections() -> list[tuple[str, type, dict]]:
    """(name, model, item keys of its link lists as a write gives them) of each collection, in order."""
    return [
        (name, view.queryset.model, item_keys_of(view.write_serializer_class or view.serializer_class))
        for name, view in VIEWS.items()
    ]
