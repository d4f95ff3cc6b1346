"""Filters of the sources collection."""

from django_filters import rest_framework as filters

from conflictdb.filters import BaseFilterSet, ChoiceListFilter, OrderingFilter, SlugListFilter
from sources.models import Source, SourceKind


class SourceFilterSet(BaseFilterSet):
    kind = ChoiceListFilter(choices=SourceKind.choices)
    publisher = filters.CharFilter(lookup_expr="iexact")
    published_from = filters.DateFilter(field_name="published_on", lookup_expr="gte")
    published_to = filters.DateFilter(field_name="published_on", lookup_expr="lte")
    reported_in = SlugListFilter(queryset=Source.objects.all())
    ordering = OrderingFilter(fields=["slug", "title", "publisher", "published_on", "updated_at"])

    class Meta:
        model = Source
        fields = []
