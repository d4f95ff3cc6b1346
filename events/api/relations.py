"""Claims' relations as a claim reads them, both ways, and who contests an event: the contradictions of
its claims by claims on any event."""

from rest_framework import serializers

from events.models import Actor, ClaimRelation
from events.vocabularies import ClaimRelationKind


class ClaimantSerializer(serializers.ModelSerializer):
    """Who made a claim, as a relation names it."""

    class Meta:
        model = Actor
        fields = ["slug", "name"]


def relation_serializer(name: str, other: str) -> type[serializers.ModelSerializer]:
    """A serializer (`name`) of a relation as a claim at one end of it reads it: its kind and note, and the
    claim at the `other` end ("to_claim": the claim this one supports or contradicts; "from_claim": one
    that supports or contradicts this one), with that claim's claimant and event."""

    class RelationSerializer(serializers.ModelSerializer):
        claim = serializers.SlugRelatedField(source=other, slug_field="slug", read_only=True)
        claimant = ClaimantSerializer(source=f"{other}.claimant", read_only=True)
        event = serializers.SlugRelatedField(
            source=f"{other}.event", slug_field="slug", read_only=True, allow_null=True
        )

        class Meta:
            model = ClaimRelation
            fields = ["kind", "claim", "claimant", "event", "note"]

    RelationSerializer.__name__ = RelationSerializer.__qualname__ = name  # the schema's component name
    return RelationSerializer


# What a claim supports or contradicts, and what supports or contradicts it.
ClaimRelationSerializer = relation_serializer("ClaimRelationSerializer", "to_claim")
RelatedBySerializer = relation_serializer("RelatedBySerializer", "from_claim")


class ContestSerializer(serializers.Serializer):
    """One of an event's claims contradicted by another claim, which may be about another event."""

    claim = serializers.CharField(help_text="The event's claim that is contradicted.")
    contradicted_by = serializers.CharField(help_text="The claim that contradicts it.")
    claimant = ClaimantSerializer()
    event = serializers.CharField(allow_null=True, help_text="The contradicting claim's event.")
    note = serializers.CharField()


def contests(claims: list[dict]) -> list[dict]:
    """The contradictions of `claims` (claims as ClaimSerializer writes them) by other claims, in the
    claims' order, then their `related_by` order."""
    return [
        {
            "claim": claim["slug"],
            "contradicted_by": by["claim"],
            "claimant": by["claimant"],
            "event": by["event"],
            "note": by["note"],
        }
        for claim in claims
        for by in claim["related_by"]
        if by["kind"] == ClaimRelationKind.CONTRADICTS
    ]
