"""API views of sources."""

from rest_framework import viewsets

from sources.api.serializers import SourceSerializer
from sources.filtersets import SourceFilterSet
from sources.models import Source


class SourceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Source.objects.select_related("reported_in")
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
    lookup_field = "slug"
