"""JSON shapes of actors, places, events and claims.

Related records appear by slug in writes and as short nested summaries where a reader needs them.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from conflictdb.fieldlists import read_fields, without
from conflictdb.serializers import RecordSerializer, SlugReference
from events import services
from events.api.relations import ClaimRelationSerializer, ContestSerializer, RelatedBySerializer, contests
from events.evidence import (
    EVENT_VALUES,
    FATALITIES,
    cited_for_event,
    cited_for_role,
    fatalities_problems,
)
from events.models import Actor, Claim, Event, EventActor, Place
from events.vocabularies import ActorRole, ClaimRelationKind, EvidenceFor
from sources.api.serializers import SourceSummarySerializer
from sources.models import Source


def slug_of(model, **kwargs):
    """A writable reference to another record by its slug."""
    return SlugReference(queryset=model.objects.all(), **kwargs)


class ActorSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = without(Actor.FIELDS, "previous_slugs", "parent", "aliases", "description", "background")


class PlaceSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = without(Place.FIELDS, "previous_slugs", "aliases")


class ActorSerializer(RecordSerializer):
    parent = slug_of(Actor, allow_null=True, required=False)

    class Meta:
        model = Actor
        fields = read_fields(Actor)


class PlaceSerializer(RecordSerializer):
    class Meta:
        model = Place
        fields = read_fields(Place)


class Cited(serializers.ListField):
    """Claims cited as evidence, read from the record by `cited` (events/evidence.py)."""

    def __init__(self, *, cited=None, **kwargs):
        self.cited = cited
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return self.cited(instance) if self.cited else super().get_attribute(instance)


def cited_claims(cited=None, **kwargs) -> Cited:
    """Slugs of the claims cited as evidence, in slug order."""
    return Cited(cited=cited, child=serializers.CharField(), read_only=True, **kwargs)


class EventActorSerializer(serializers.ModelSerializer):
    """An actor with its role in an event, and the claims that role rests on."""

    slug = serializers.CharField(source="actor.slug", read_only=True)
    name = serializers.CharField(source="actor.name", read_only=True)
    kind = serializers.CharField(source="actor.kind", read_only=True)
    evidence = cited_claims(cited_for_role, help_text="The claims this role rests on.")

    class Meta:
        model = EventActor
        fields = [*without(ActorSummarySerializer.Meta.fields, "country"), "role", "evidence"]


class EvidenceSerializer(serializers.Serializer):
    """The claims an event's values rest on: its fatalities, its dates, its place (slugs)."""

    fatalities = cited_claims(help_text="Casualty counts about the event its fatalities come from.")
    dates = cited_claims(help_text="The claims its start and end date come from.")
    place = cited_claims(help_text="The claims its place comes from.")

    class Meta:
        fields = EVENT_VALUES  # as listed (events/api/listing.py)

    def to_representation(self, event):
        return super().to_representation(cited_for_event(event))


class ClaimSerializer(serializers.ModelSerializer):
    claimant = ActorSummarySerializer(read_only=True)
    source = SourceSummarySerializer(read_only=True)
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    about_actor = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    relations = ClaimRelationSerializer(many=True, read_only=True)
    related_by = RelatedBySerializer(
        source="inverse_relations",
        many=True,
        read_only=True,
        help_text="The relations other claims have to this one: those that support or contradict it.",
    )

    class Meta:
        model = Claim
        fields = read_fields(Claim, "related_by")


class EventSerializer(serializers.ModelSerializer):
    """An event as listed: where, when, who, how many, and whether its claims disagree."""

    place = PlaceSummarySerializer(read_only=True, allow_null=True)
    actors = EventActorSerializer(source="event_actors", many=True, read_only=True)
    part_of = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    evidence = EvidenceSerializer(source="*", read_only=True)
    claim_count = serializers.IntegerField(read_only=True)
    disputed = serializers.BooleanField(read_only=True)

    class Meta:
        model = Event
        fields = without(read_fields(Event, *Event.SUMMARY), "summary")


class EventDetailSerializer(EventSerializer):
    """One event with its summary, every claim about it (each with claimant, source and relations both
    ways), and who contests it: the contradictions of its claims, by claims on any event."""

    claims = ClaimSerializer(many=True, read_only=True)
    contested_by = serializers.SerializerMethodField()

    class Meta(EventSerializer.Meta):
        fields = [*read_fields(Event, *Event.SUMMARY), "claims", "contested_by"]

    @extend_schema_field(ContestSerializer(many=True))
    def get_contested_by(self, event) -> list[dict]:
        return contests(self.fields["claims"].to_representation(event.claims.all()))


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


# The most actor roles or relations one write may give: refused before any item is validated (each item
# looks its records up), so that a body cannot make a request do unbounded work. So for each list of
# claims cited as evidence.
MAX_LINKS = 200


def claims_cited(help_text: str, cited=None) -> Cited:
    return Cited(
        cited=cited,
        child=slug_of(Claim),
        required=False,
        default=list,
        max_length=MAX_LINKS,
        help_text=help_text,
    )


class ActorRoleInputSerializer(LinkInputSerializer):
    actor = slug_of(Actor)
    role = serializers.ChoiceField(choices=ActorRole.choices)
    evidence = claims_cited("Slugs of the claims this role rests on.", cited_for_role)


# An event's evidence as written: every list, a list left out being empty (as a link list's item).
class EvidenceInputSerializer(LinkInputSerializer):
    fatalities = claims_cited("Slugs of the casualty counts about the event its fatalities come from.")
    dates = claims_cited("Slugs of the claims its dates come from.")
    place = claims_cited("Slugs of the claims its place comes from.")

    def to_internal_value(self, data):
        """A misspelt list (`fatality`) is refused, not ignored: it would leave that list empty."""
        if isinstance(data, dict):
            unknown = [key for key in data if key not in self.fields]
            if unknown:
                raise serializers.ValidationError(
                    {key: [f"Unknown field. Fields: {', '.join(self.fields)}."] for key in unknown}
                )
        return super().to_internal_value(data)

    def get_attribute(self, event):
        return cited_for_event(event)


class ClaimRelationInputSerializer(LinkInputSerializer):
    claim = slug_of(Claim, source="to_claim")
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
    """An event as written: place, parent event and actors by slug; `actors` replaces the event's list,
    `evidence` its evidence (each actor entry's `evidence`, that role's). Fatalities rest on the claims
    cited for them (events/evidence.py)."""

    nested_fields = ("event_actors", "evidence_claims")
    # Written by the loader once the claims exist, as they name claims or rest on them
    # (events/dataset/loading.py).
    written_after_later_kinds = ("actors", *FATALITIES, "evidence")
    place = slug_of(Place, allow_null=True, required=False)
    part_of = slug_of(Event, allow_null=True, required=False)
    actors = ActorRoleInputSerializer(many=True, required=False, source="event_actors", max_length=MAX_LINKS)
    evidence = EvidenceInputSerializer(required=False, source="evidence_claims")

    class Meta:
        model = Event
        fields = list(Event.FIELDS)

    @staticmethod
    def named_later(data: dict) -> tuple[type, set]:
        """The claims that `data` (of the `written_after_later_kinds` fields, as a file holds them) cite,
        by slug: the loader writes those fields with the rest of the event when they all exist."""
        lists = [item.get("evidence") for item in data.get("actors") or [] if isinstance(item, dict)]
        evidence = data.get("evidence")
        lists += list(evidence.values()) if isinstance(evidence, dict) else []
        return Claim, {
            slug for items in lists if isinstance(items, list) for slug in items if isinstance(slug, str)
        }

    def to_internal_value(self, data):
        """The claims cited over all actor entries are bounded as one list is (MAX_LINKS), before any is
        looked up: 200 entries of 200 claims each would be 40,000 lookups."""
        actors = data.get("actors") if isinstance(data, dict) else None
        if isinstance(actors, list):
            cited = sum(
                len(item["evidence"])
                for item in actors
                if isinstance(item, dict) and isinstance(item.get("evidence"), list)
            )
            if cited > MAX_LINKS:
                raise serializers.ValidationError(
                    {"actors": [f"At most {MAX_LINKS} claims may be cited over all the actors' evidence."]}
                )
        return super().to_internal_value(data)

    def validate_actors(self, actors):
        for item in actors:
            no_repeats([{"claim": claim} for claim in item["evidence"]], "claim")
        return no_repeats(actors, "actor", "role")

    def validate_evidence(self, evidence):
        for name, claims in evidence.items():
            try:
                no_repeats([{"claim": claim} for claim in claims], "claim")
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({name: exc.detail}) from exc
        return evidence

    def validate(self, attrs):
        """The fatalities as they will be, against the claims that will be cited for them."""
        attrs = super().validate(attrs)
        fatalities = {name: attrs.get(name, getattr(self.instance, name, None)) for name in FATALITIES}
        if "evidence_claims" in attrs:
            claims = attrs["evidence_claims"][EvidenceFor.FATALITIES]
        else:
            claims = cited_for_event(self.instance)[EvidenceFor.FATALITIES] if self.instance else []
        problems = fatalities_problems(event=self.instance, claims=claims, **fatalities)
        if problems:
            raise serializers.ValidationError(nested(problems))
        return attrs

    def save(self, **kwargs):
        fields = {k: v for k, v in self.validated_data.items() if k not in self.nested_fields}
        event = self.instance if self.instance is not None else Event()
        self.written = services.save_event(
            event=event,
            fields=fields,
            actors=self.validated_data.get("event_actors"),
            evidence=self.validated_data.get("evidence_claims"),
        )
        self.instance = event
        return event


def nested(problems: dict) -> dict:
    """{"evidence.fatalities": message} as DRF nests errors: {"evidence": {"fatalities": [message]}}."""
    errors = {}
    for path, message in problems.items():
        *parents, last = path.split(".")
        level = errors
        for name in parents:
            level = level.setdefault(name, {})
        level[last] = [message]
    return errors


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
