"""Filters of the sources collection."""

from conflictdb.filters import (
    BaseFilterSet,
    ChoiceListFilter,
    IExactListFilter,
    IsoDateFilter,
    OrderingFilter,
    SlugListFilter,
)
from sources.models import Source, SourceKind


class SourceFilterSet(BaseFilterSet):
    kind = ChoiceListFilter(choices=SourceKind.choices)
    publisher = IExactListFilter(label="Publisher(s), comma-separated, ignoring case.")
    published_from = IsoDateFilter(
        field_name="published_on", lookup_expr="gte", label="Published on or after."
    )
    published_to = IsoDateFilter(
        field_name="published_on", lookup_expr="lte", label="Published on or before."
    )
    reported_in = SlugListFilter(queryset=Source.objects.all())
    ordering = OrderingFilter(fields=["slug", "title", "publisher", "published_on", "updated_at"])

    class Meta:
        model = Source
        fields = []
