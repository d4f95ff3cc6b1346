"""JSON shapes of actors, places, events and claims.

Related records appear by slug in writes and as short nested summaries where a reader needs them.
"""

from rest_framework import serializers

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
    """An actor with its role in an event: the actor's summary but its country, and the role."""

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


class ActorRoleInputSerializer(serializers.Serializer):
    actor = slug_of(Actor)
    role = serializers.ChoiceField(choices=ActorRole.choices)


class ClaimRelationInputSerializer(serializers.Serializer):
    claim = slug_of(Claim)
    kind = serializers.ChoiceField(choices=ClaimRelationKind.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


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

    nested_fields = ("actors",)
    place = slug_of(Place, allow_null=True, required=False)
    part_of = slug_of(Event, allow_null=True, required=False)
    actors = ActorRoleInputSerializer(many=True, required=False)

    class Meta:
        model = Event
        fields = list(Event.FIELDS)

    def validate_actors(self, actors):
        return no_repeats(actors, "actor", "role")

    def save(self, **kwargs):
        fields = {k: v for k, v in self.validated_data.items() if k != "actors"}
        self.instance = services.save_event(
            event=self.instance or Event(), fields=fields, actors=self.validated_data.get("actors")
        )
        return self.instance


class ClaimWriteSerializer(RecordSerializer):
    """A claim as written: claimant, source, event and actor by slug; `relations` replaces its list."""

    nested_fields = ("relations",)
    claimant = slug_of(Actor)
    source = slug_of(Source)
    event = slug_of(Event, allow_null=True, required=False)
    about_actor = slug_of(Actor, allow_null=True, required=False)
    relations = ClaimRelationInputSerializer(many=True, required=False)

    class Meta:
        model = Claim
        fields = list(Claim.FIELDS)

    def validate_relations(self, relations):
        slug = self.initial_data.get("slug") or getattr(self.instance, "slug", None)
        if any(item["claim"].slug == slug for item in relations):
            raise serializers.ValidationError("A claim cannot support or contradict itself.")
        return no_repeats(relations, "claim")

    def save(self, **kwargs):
        fields = {k: v for k, v in self.validated_data.items() if k != "relations"}
        self.instance = services.save_claim(
            claim=self.instance or Claim(), fields=fields, relations=self.validated_data.get("relations")
        )
        return self.instance
