"""API views of sources."""

from conflictdb.exports import same_name
from conflictdb.views import CollectionViewSet
from sources.api.serializers import SourceSerializer
from sources.filtersets import SourceFilterSet
from sources.models import Source


class SourceViewSet(CollectionViewSet):
    """Sources: articles, statements, interviews and reports, each possibly reported in another."""

    queryset = Source.objects.select_related("reported_in")
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
    export_columns = {
        **same_name(["slug", "kind", "title", "publisher", "authors", "dateline", "published_on"]),
        **same_name(["date_precision", "date_inferred", "language", "url"]),
        "reported_in": "reported_in__slug",
        **same_name(["notes", "updated_at"]),
    }
