"""API views of actors, places, events and claims."""

import json

from django.contrib.postgres.aggregates import StringAgg
from django.db.models import Prefetch, Q
from django.db.models.functions import JSONObject
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response

from conflictdb import fieldlists
from conflictdb.aggregate_views import aggregate_response, response_schema
from conflictdb.exports import CSVRenderer, Grouped, Part
from conflictdb.fieldlists import without
from conflictdb.renderers import JSONRenderer, JSONRows
from conflictdb.response_cache import conditional_read
from conflictdb.views import CollectionViewSet, record_headers
from events.aggregates import (
    CLAIM_AGGREGATION,
    EVENT_AGGREGATION,
    ClaimAggregateFilterSet,
    EventAggregateFilterSet,
)
from events.api.acled import ACLED
from events.api.listing import claim_rows, detailed_event, event_rows, keyed
from events.api.serializers import (
    ActorSerializer,
    ClaimSerializer,
    ClaimWriteSerializer,
    EventDetailSerializer,
    EventSerializer,
    EventWriteSerializer,
    PlaceSerializer,
    PlaceSummarySerializer,
)
from events.evidence import EventEvidence
from events.filtersets import ActorFilterSet, ClaimFilterSet, EventFilterSet, PlaceFilterSet
from events.models import Actor, Claim, ClaimRelation, Event, EventActor, Place
from events.vocabularies import ActorRole, ClaimRelationKind

RELATIONS = Prefetch(
    "relations", queryset=ClaimRelation.objects.select_related("to_claim__claimant", "to_claim__event")
)
RELATED_BY = Prefetch(
    "inverse_relations",
    queryset=ClaimRelation.objects.select_related("from_claim__claimant", "from_claim__event"),
)
CLAIMS = Claim.objects.select_related(
    "claimant", "source__reported_in", "event", "about_actor"
).prefetch_related(RELATIONS, RELATED_BY)


# An event's actors in flat exports: for each role, the actors' slugs under the role's plural, and their
# names, in the same order, under `<role>_names`.
ROLE_COLUMNS = {
    ActorRole.PERPETRATOR: "perpetrators",
    ActorRole.TARGET: "targets",
    ActorRole.ALLY: "allies",
    ActorRole.VICTIM: "victims",
    ActorRole.PARTY: "parties",
}


def actors_by_role() -> Grouped:
    """An event's actors in one JSON object, read at once for all the roles: each role's actors' slugs
    under the role's plural and their names under `<role>_names`, by slug, joined with ";"."""
    by_role = {}
    for role, plural in ROLE_COLUMNS.items():
        in_role = Q(role=role)
        by_role[plural] = StringAgg("actor__slug", ";", filter=in_role, order_by="actor__slug")
        by_role[f"{role}_names"] = StringAgg("actor__name", ";", filter=in_role, order_by="actor__slug")
    return Grouped(EventActor.objects.all(), "event", JSONObject(**by_role))


def actor_columns() -> dict:
    """Every role's actors, as slugs and as names (ROLE_COLUMNS), parts of one object a row."""
    actors, columns = actors_by_role(), {}
    for role, plural in ROLE_COLUMNS.items():
        for key in (plural, f"{role}_names"):
            columns[key] = Part("actors", actors, key)
    return columns


# A claim's relations in flat exports: column, (the claim's end of the relation, its kind).
RELATION_COLUMNS = {
    "supports": ("from_claim", ClaimRelationKind.SUPPORTS),
    "contradicts": ("from_claim", ClaimRelationKind.CONTRADICTS),
    "supported_by": ("to_claim", ClaimRelationKind.SUPPORTS),
    "contradicted_by": ("to_claim", ClaimRelationKind.CONTRADICTS),
}
OTHER_END = {"from_claim": "to_claim", "to_claim": "from_claim"}


def relation_columns() -> dict:
    """The slugs of the claims at the other end of the claim's relations, by slug, joined with ";": a
    column per end and kind (RELATION_COLUMNS), parts of one object per end (read by one subquery or
    join, not one per column)."""
    ends = {}
    for name, (end, kind) in RELATION_COLUMNS.items():
        other = f"{OTHER_END[end]}__slug"
        ends.setdefault(end, {})[name] = StringAgg(other, ";", filter=Q(kind=kind), order_by=other)
    wholes = {
        end: Grouped(ClaimRelation.objects.all(), end, JSONObject(**by_kind)) for end, by_kind in ends.items()
    }
    return {name: Part(f"{end}_relations", wholes[end], name) for name, (end, _) in RELATION_COLUMNS.items()}


# An aggregate answers as JSON, in the browsable API, or as CSV (`format=csv`).
AGGREGATE_RENDERERS = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]


def place_columns() -> dict:
    """An event's place in flat exports: its summary's fields, as `place` (the slug), `place_name` and
    the rest under their own names."""
    names = {"slug": "place", "name": "place_name"}
    return {names.get(name, name): f"place__{name}" for name in PlaceSummarySerializer.Meta.fields}


class ActorViewSet(CollectionViewSet):
    """Actors: states, ministries, armed groups, people, civilians. Search covers names and aliases."""

    queryset = Actor.objects.select_related("parent")
    serializer_class = ActorSerializer
    filterset_class = ActorFilterSet
    export_columns = fieldlists.export_columns(Actor)


class PlaceViewSet(CollectionViewSet):
    """Named places with coordinates and their precision. Search covers names, aliases and admin1."""

    queryset = Place.objects.all()
    serializer_class = PlaceSerializer
    filterset_class = PlaceFilterSet
    geojson = True
    export_columns = fieldlists.export_columns(Place)


class RecordRowsList:
    """A collection whose list reads rows of records written as JSON by PostgreSQL
    (events/api/listing.py), and carries them as they are."""

    def paginate_queryset(self, queryset):
        return super().paginate_queryset(keyed(queryset) if self.action == "list" else queryset)

    def represent(self, page):
        return JSONRows(row["record"] for row in page)


class EventViewSet(RecordRowsList, CollectionViewSet):
    """Events: what happened, where, when, who was involved, and the claims about it.

    An event matches a date filter when its own date range overlaps the requested one.
    `disputed` events have claims that contradict each other.
    """

    queryset = Event.objects.select_related("place", "part_of").prefetch_related(
        Prefetch("event_actors", queryset=EventActor.objects.select_related("actor")),
        Prefetch("evidence", queryset=EventEvidence.objects.select_related("claim")),
    )
    serializer_class = EventSerializer
    detail_serializer_class = EventDetailSerializer
    write_serializer_class = EventWriteSerializer
    filterset_class = EventFilterSet
    geojson = True
    export_columns = fieldlists.export_columns(
        Event,
        without(Event.FIELDS, "part_of"),
        expand={"place": place_columns(), "actors": actor_columns()},
        also=Event.SUMMARY,
    )
    csv_layouts = {"acled": ACLED}

    def get_queryset(self):
        if self.action == "list":
            return event_rows().all()
        # One event as written, and as its writes return it: with its claims.
        return self.queryset.prefetch_related(Prefetch("claims", queryset=CLAIMS))

    @conditional_read
    def retrieve(self, request, *args, **kwargs):
        """One event as read: two statements (the event, its claims), shaped as the lists shape them."""
        slug = kwargs[self.lookup_field]
        row = event_rows("summary", "id", "updated_at").filter(slug=slug).first()
        if row is None:
            raise Http404(f"No event with slug {slug!r}.")
        data = detailed_event(row, claim_rows().filter(event_id=row["id"]).order_by("slug"))
        return Response(data, headers=record_headers(request, Event, row["updated_at"]))

    @extend_schema(
        summary="Events and fatalities per group: country, admin1, place, type, actor, claimant, period",
        responses=response_schema("EventAggregate", EVENT_AGGREGATION),
        filters=True,
    )
    @action(detail=False, filterset_class=EventAggregateFilterSet, renderer_classes=AGGREGATE_RENDERERS)
    def aggregate(self, request):
        """Metrics of the filtered events per group of `group_by`'s keys (docs/api.md). An event whose
        date range is wider than the period asked for is counted in `imprecise`, per group without the
        period, neither spread nor guessed."""
        return aggregate_response(self, request, EVENT_AGGREGATION)


class ClaimViewSet(RecordRowsList, CollectionViewSet):
    """Claims: who asserts what, in which source, about which event or actor, with figures and quotes."""

    queryset = CLAIMS
    serializer_class = ClaimSerializer
    write_serializer_class = ClaimWriteSerializer
    filterset_class = ClaimFilterSet
    export_columns = fieldlists.export_columns(
        Claim,
        expand={"relations": relation_columns()},
    )

    def get_queryset(self):
        return claim_rows().all() if self.action == "list" else super().get_queryset()

    @conditional_read
    def retrieve(self, request, *args, **kwargs):
        """One claim as read: one statement (its relations both ways included), shaped as the list
        shapes it."""
        slug = kwargs[self.lookup_field]
        row = claim_rows("updated_at").filter(slug=slug).first()
        if row is None:
            raise Http404(f"No claim with slug {slug!r}.")
        headers = record_headers(request, Claim, row["updated_at"])
        return Response(json.loads(row["record"]), headers=headers)

    @extend_schema(
        summary="Claims and their figures per group: claimant, type, status, event, source, unit, period",
        responses=response_schema("ClaimAggregate", CLAIM_AGGREGATION),
        filters=True,
    )
    @action(detail=False, filterset_class=ClaimAggregateFilterSet, renderer_classes=AGGREGATE_RENDERERS)
    def aggregate(self, request):
        """Claims of the filtered set per group of `group_by`'s keys, with the least and greatest of
        their figures (docs/api.md): the casualty counts of one event side by side per claimant."""
        return aggregate_response(self, request, CLAIM_AGGREGATION)
