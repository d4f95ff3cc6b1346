"""JSON shapes of sources."""

from rest_framework import serializers

from conflictdb.serializers import RecordSerializer, SlugReference
from sources.models import Source


class SourceSummarySerializer(serializers.ModelSerializer):
    """A source as cited from another record (a claim, an event)."""

    reported_in = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Source
        fields = [
            "slug",
            "kind",
            "title",
            "publisher",
            "published_on",
            "date_precision",
            "url",
            "reported_in",
        ]


class SourceSerializer(RecordSerializer):
    reported_in = SlugReference(queryset=Source.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Source
        fields = [
            "slug",
            "kind",
            "title",
            "publisher",
            "authors",
            "dateline",
            "published_on",
            "date_precision",
            "date_inferred",
            "language",
            "url",
            "reported_in",
            "notes",
            "created_at",
            "updated_at",
        ]
