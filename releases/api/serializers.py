"""A release as the API reads it: its metadata, counts, files (with URLs and digests) and citation."""

from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.reverse import reverse

from releases.citation import citation
from releases.collections import VIEWS
from releases.models import Release, ReleaseFile


class ReleaseFileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ReleaseFile
        fields = ["name", "url", "media_type", "size", "sha256"]

    def get_url(self, file) -> str:
        kwargs = {"name": file.release.name, "file": file.name}
        return reverse("release-file", kwargs=kwargs, request=self.context.get("request"))


CITATION = inline_serializer(
    "ReleaseCitation",
    {
        "text": serializers.CharField(help_text="A sentence naming the release."),
        "bibtex": serializers.CharField(),
        "cff": serializers.DictField(help_text="CITATION.cff's fields."),
    },
)


class ReleaseSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    files = ReleaseFileSerializer(many=True, read_only=True)
    citation = serializers.SerializerMethodField()

    class Meta:
        model = Release
        fields = ["name", "url", "created_at", "created_by", "notes", "counts", "files", "citation"]

    def get_url(self, release) -> str:
        return reverse("release-detail", kwargs={"name": release.name}, request=self.context.get("request"))

    def to_representation(self, release):
        data = super().to_representation(release)
        # Stored as jsonb, whose keys come back sorted: given in the collections' order again.
        data["counts"] = {name: release.counts[name] for name in VIEWS if name in release.counts}
        return data

    @extend_schema_field(CITATION)
    def get_citation(self, release) -> dict:
        return citation(release, self.get_url(release))


CHANGES_BETWEEN = inline_serializer(
    "ChangesBetween",
    {
        "since": serializers.DateTimeField(help_text="The earlier point: the release's time, or the moment."),
        "until": serializers.DateTimeField(help_text="The later point: the release's time, or the moment."),
        "next": serializers.URLField(allow_null=True, help_text="More changes; null when none."),
        "results": inline_serializer(
            "ChangedRecord",
            {
                "collection": serializers.CharField(),
                "slug": serializers.CharField(),
                "action": serializers.ChoiceField(choices=["create", "update", "delete"]),
                "record": serializers.DictField(
                    allow_null=True, help_text="The record at the later point; null for a delete."
                ),
            },
            many=True,
        ),
    },
)
