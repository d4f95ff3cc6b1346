"""API views of sources."""

from rest_framework import viewsets

from conflictdb.exports import ExportMixin, same_name
from sources.api.serializers import SourceSerializer
from sources.filtersets import SourceFilterSet
from sources.models import Source


class SourceViewSet(ExportMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Source.objects.select_related("reported_in")
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
    lookup_field = "slug"
    export_columns = {
        **same_name(["slug", "kind", "title", "publisher", "authors", "dateline", "published_on"]),
        **same_name(["date_precision", "date_inferred", "language", "url"]),
        "reported_in": "reported_in__slug",
        **same_name(["notes", "updated_at"]),
    }
