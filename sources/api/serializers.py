"""JSON shapes of sources."""

from rest_framework import serializers

from conflictdb.fieldlists import read_fields, without
from conflictdb.serializers import RecordSerializer, SlugReference
from sources.models import Source


class SourceSummarySerializer(serializers.ModelSerializer):
    """A source as cited from another record (a claim, an event)."""

    reported_in = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Source
        fields = without(
            Source.FIELDS, "previous_slugs", "authors", "dateline", "date_inferred", "language", "notes"
        )


class SourceSerializer(RecordSerializer):
    reported_in = SlugReference(queryset=Source.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Source
        fields = read_fields(Source)
