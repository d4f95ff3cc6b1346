"""Filter plumbing shared by every collection: strict parameters, comma-separated values, slugs."""

from django import forms
from django.contrib.postgres.fields import ArrayField
from django.db.models import Lookup, Q
from django_filters import rest_framework as filters
from rest_framework.exceptions import ValidationError

# Query parameters that are not filters but are understood by every list endpoint.
NON_FILTER_PARAMETERS = {"page", "page_size", "format"}


@ArrayField.register_lookup
class AnyElementIContains(Lookup):
    """`aliases__any_icontains="raqa"`: some element of the array contains the text, ignoring case."""

    lookup_name = "any_icontains"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        _rhs, rhs_params = self.process_rhs(compiler, connection)
        like = "%" + connection.ops.prep_for_like_query(rhs_params[0]) + "%"
        return f"EXISTS (SELECT 1 FROM unnest({lhs}) AS element WHERE element ILIKE %s)", [*lhs_params, like]


def split_values(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


class ChoiceListField(forms.Field):
    """Comma-separated values, each of which must be one of `choices`."""

    def __init__(self, *, choices, **kwargs):
        self.valid = {value for value, _label in choices}
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return []
        values = split_values(value)
        unknown = [item for item in values if item not in self.valid]
        if unknown:
            raise forms.ValidationError(
                f"Unknown value(s): {', '.join(unknown)}. Allowed: {', '.join(sorted(self.valid))}."
            )
        return values


class SlugListField(forms.Field):
    """Comma-separated slugs, each of which must name an existing record of `queryset`."""

    def __init__(self, *, queryset, **kwargs):
        self.queryset = queryset
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return []
        slugs = split_values(value)
        found = set(self.queryset.filter(slug__in=slugs).values_list("slug", flat=True))
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            raise forms.ValidationError(
                f"No {self.queryset.model._meta.verbose_name} with slug: {', '.join(unknown)}."
            )
        return slugs


class ChoiceListFilter(filters.Filter):
    """Matches any of several comma-separated vocabulary values."""

    field_class = ChoiceListField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": value})


class SlugListFilter(filters.Filter):
    """Matches records related to any of several comma-separated slugs.

    `field_name` is the path to the related record (e.g. `place`); the filter follows it to `slug`.
    """

    field_class = SlugListField

    def filter(self, qs, value):
        if not value:
            return qs
        qs = qs.filter(**{f"{self.field_name}__slug__in": value})
        return qs.distinct() if self.distinct else qs


class UpperCaseListFilter(filters.Filter):
    """Comma-separated codes matched case-insensitively, such as ISO 3166-1 alpha-3 country codes."""

    field_class = forms.RegexField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("regex", r"^\s*[A-Za-z]{3}\s*(,\s*[A-Za-z]{3}\s*)*$")
        kwargs.setdefault(
            "error_messages", {"invalid": "Expected ISO 3166-1 alpha-3 codes, e.g. SYR or SYR,IRQ."}
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": [code.upper() for code in split_values(value)]})


class BaseFilterSet(filters.FilterSet):
    """Every collection's FilterSet: `search` over `search_fields` and `updated_since`.

    Subclasses set `search_fields` (text fields, matched case-insensitively) and `search_array_fields`
    (array fields such as aliases, matched element by element).
    """

    search_fields: tuple[str, ...] = ()
    search_array_fields: tuple[str, ...] = ()

    search = filters.CharFilter(method="filter_search", label="Text matched against names and aliases.")
    updated_since = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        for field in self.search_array_fields:
            condition |= Q(**{f"{field}__any_icontains": value})
        return queryset.filter(condition)


class StrictFilterBackend(filters.DjangoFilterBackend):
    """Rejects query parameters the endpoint does not understand instead of silently ignoring them."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        known = set(NON_FILTER_PARAMETERS)
        if filterset is not None:
            known |= set(filterset.filters)
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise ValidationError(
                {name: [f"Unknown query parameter. Allowed: {', '.join(sorted(known))}."] for name in unknown}
            )
        return filterset


class BBoxField(forms.Field):
    """`min_lon,min_lat,max_lon,max_lat` in WGS84 degrees."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        parts = value.split(",")
        try:
            numbers = [float(part) for part in parts]
        except ValueError:
            numbers = []
        if len(numbers) != 4 or len(parts) != 4:
            raise forms.ValidationError("Expected four numbers: min_lon,min_lat,max_lon,max_lat.")
        min_lon, min_lat, max_lon, max_lat = numbers
        if not (-180 <= min_lon <= max_lon <= 180):
            raise forms.ValidationError("Longitudes must satisfy -180 <= min_lon <= max_lon <= 180.")
        if not (-90 <= min_lat <= max_lat <= 90):
            raise forms.ValidationError("Latitudes must satisfy -90 <= min_lat <= max_lat <= 90.")
        return numbers


class BBoxFilter(filters.Filter):
    """Records whose coordinates lie in a bounding box.

    `field_name` is the path to the place ("place" for events), or "" to filter places themselves.
    """

    field_class = BBoxField

    def filter(self, qs, value):
        if value is None:
            return qs
        min_lon, min_lat, max_lon, max_lat = value
        prefix = f"{self.field_name}__" if self.field_name else ""
        return qs.filter(
            **{
                f"{prefix}longitude__gte": min_lon,
                f"{prefix}longitude__lte": max_lon,
                f"{prefix}latitude__gte": min_lat,
                f"{prefix}latitude__lte": max_lat,
            }
        )
