"""JSON shapes of actors, places, events and claims.

Related records appear by slug in writes and as short nested summaries where a reader needs them.
"""

from rest_framework import serializers
from rest_framework.fields import empty

from conflictdb.fieldlists import read_fields, without
from conflictdb.serializers import RecordSerializer, SlugReference
from events import services
from events.models import Actor, Claim, ClaimRelation, Event, EventActor, Place
from events.vocabularies import ActorRole, ClaimRelationKind
from sources.api.serializers import SourceSummarySerializer
from sources.models import Source


def slug_of(model, **kwargs):
    """A writable reference to another record by its slug."""
    return SlugReference(queryset=model.objects.all(), **kwargs)


class ActorSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = without(Actor.FIELDS, "parent", "aliases", "description")


class PlaceSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = without(Place.FIELDS, "aliases")


class ActorSerializer(RecordSerializer):
    parent = slug_of(Actor, allow_null=True, required=False)

    class Meta:
        model = Actor
        fields = read_fields(Actor)


class PlaceSerializer(RecordSerializer):
    class Meta:
        model = Place
        fields = read_fields(Place)


class EventActorSerializer(serializers.ModelSerializer):
    """An actor with its role in an event."""

    slug = serializers.CharField(source="actor.slug", read_only=True)
    name = serializers.CharField(source="actor.name", read_only=True)
    kind = serializers.CharField(source="actor.kind", read_only=True)

    class Meta:
        model = EventActor
        fields = [*without(ActorSummarySerializer.Meta.fields, "country"), "role"]


class ClaimRelationSerializer(serializers.ModelSerializer):
    claim = serializers.SlugRelatedField(source="to_claim", slug_field="slug", read_only=True)

    class Meta:
        model = ClaimRelation
        fields = ["kind", "claim", "note"]


class ClaimSerializer(serializers.ModelSerializer):
    claimant = ActorSummarySerializer(read_only=True)
    source = SourceSummarySerializer(read_only=True)
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    about_actor = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    relations = ClaimRelationSerializer(many=True, read_only=True)

    class Meta:
        model = Claim
        fields = read_fields(Claim)


class EventSerializer(serializers.ModelSerializer):
    """An event as listed: where, when, who, how many, and whether its claims disagree."""

    place = PlaceSummarySerializer(read_only=True, allow_null=True)
    actors = EventActorSerializer(source="event_actors", many=True, read_only=True)
    part_of = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    claim_count = serializers.IntegerField(read_only=True)
    disputed = serializers.BooleanField(read_only=True)

    class Meta:
        model = Event
        fields = without(read_fields(Event, *Event.SUMMARY), "summary")


class EventDetailSerializer(EventSerializer):
    """One event with its summary and every claim about it, each with claimant and source."""

    claims = ClaimSerializer(many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [*read_fields(Event, *Event.SUMMARY), "claims"]


# Writes ---------------------------------------------------------------------------------------------


# An item of a list of links written with its record (an event's actors, a claim's relations). Read, an
# item is the link row in the same shape: the fixtures' format. (No docstring: it would describe every
# item in the API's schema.)
class LinkInputSerializer(serializers.Serializer):
    def to_internal_value(self, data):
        """The item, whole in every write: within a PATCH, DRF would let it skip its required keys and
        leave out its defaults, which the services need."""
        item = super().to_internal_value(data)
        missing = {}
        for field in self._writable_fields:
            if field.field_name in data:
                continue
            if field.required:
                missing[field.field_name] = [field.error_messages["required"]]
            elif field.default is not empty:
                item[field.source] = field.default() if callable(field.default) else field.default
        if missing:
            raise serializers.ValidationError(missing, code="required")
        return item


class ActorRoleInputSerializer(LinkInputSerializer):
    actor = slug_of(Actor)
    role = serializers.ChoiceField(choices=ActorRole.choices)


class ClaimRelationInputSerializer(LinkInputSerializer):
    claim = slug_of(Claim, source="to_claim")
    kind = serializers.ChoiceField(choices=ClaimRelationKind.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


# The most actor roles or relations one write may give: refused before any item is validated (each item
# looks its records up), so that a body cannot make a request do unbounded work.
MAX_LINKS = 200


def no_repeats(items: list[dict], *keys: str) -> list[dict]:
    seen = set()
    for item in items:
        key = tuple(getattr(item[k], "slug", item[k]) for k in keys)
        if key in seen:
            raise serializers.ValidationError(f"{' '.join(key)} is listed twice.")
        seen.add(key)
    return items


class EventWriteSerializer(RecordSerializer):
    """An event as written: place, parent event and actors by slug; `actors` replaces the event's list."""

    nested_fields = ("event_actors",)
    place = slug_of(Place, allow_null=True, required=False)
    part_of = slug_of(Event, allow_null=True, required=False)
    actors = ActorRoleInputSerializer(
        many=True, required=False, source="event_actors", max_length=MAX_LINKS
    )

    class Meta:
        model = Event
        fields = list(Event.FIELDS)

    def validate_actors(self, actors):
        return no_repeats(actors, "actor", "role")

    def save(self, **kwargs):
        fields = {k: v for k, v in self.validated_data.items() if k not in self.nested_fields}
        event = self.instance if self.instance is not None else Event()
        self.written = services.save_event(
            event=event, fields=fields, actors=self.validated_data.get("event_actors")
        )
        self.instance = event
        return event


class ClaimWriteSerializer(RecordSerializer):
    """A claim as written: claimant, source, event and actor by slug; `relations` replaces its list."""

    nested_fields = ("relations",)
    claimant = slug_of(Actor)
    source = slug_of(Source)
    event = slug_of(Event, allow_null=True, required=False)
    about_actor = slug_of(Actor, allow_null=True, required=False)
    relations = ClaimRelationInputSerializer(many=True, required=False, max_length=MAX_LINKS)

    class Meta:
        model = Claim
        fields = list(Claim.FIELDS)

    def validate_relations(self, relations):
        slug = self.initial_data.get("slug") or getattr(self.instance, "slug", None)
        if any(item["to_claim"].slug == slug for item in relations):
            raise serializers.ValidationError("A claim cannot support or contradict itself.")
        return no_repeats(relations, "to_claim")

    def save(self, **kwargs):
        fields = {k: v for k, v in self.validated_data.items() if k not in self.nested_fields}
        claim = self.instance if self.instance is not None else Claim()
        self.written = services.save_claim(
            claim=claim, fields=fields, relations=self.validated_data.get("relations")
        )
        self.instance = claim
        return claim
