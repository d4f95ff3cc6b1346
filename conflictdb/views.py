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
    lookup_value_regex = r"[-\w]+"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        errors = {
            name: ["Must not contain NUL characters."]
            for name, values in request.query_params.lists()
            if any("\x00" in value for value in values)  # PostgreSQL text cannot hold them
        }
        if self.action != "list":
            errors |= {name: ["Unknown query parameter."] for name in set(request.query_params) - {"format"}}
        if errors:
            raise ValidationError(dict(sorted(errors.items())))
