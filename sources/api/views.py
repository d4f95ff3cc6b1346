"""API views of sources."""

from conflictdb import fieldlists
from conflictdb.views import CollectionViewSet
from sources.api.serializers import SourceSerializer
from sources.filtersets import SourceFilterSet
from sources.models import Source


class SourceViewSet(CollectionViewSet):
    """Sources: articles, statements, interviews and reports, each possibly reported in another."""

    queryset = Source.objects.select_related("reported_in")
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
    export_columns = fieldlists.export_columns(Source)
