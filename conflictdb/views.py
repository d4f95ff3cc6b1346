"""The base of every collection's API view."""

from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from conflictdb.exports import ExportMixin


class CollectionViewSet(ExportMixin, viewsets.ReadOnlyModelViewSet):
    """A collection of records addressed by slug: a filtered, paginated list (or export) and details.

    Lists check their query parameters in the filter backend; other actions accept only `format`, so
    that no parameter is ever silently ignored.
    """

    lookup_field = "slug"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action != "list":
            unknown = sorted(set(request.query_params) - {"format"})
            if unknown:
                raise ValidationError({name: ["Unknown query parameter."] for name in unknown})
