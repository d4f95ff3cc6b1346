"""Filter plumbing shared by every collection: strict parameters, comma-separated values, slugs."""

import copy
import re

from django import forms
from django.db.models import F
from django.template import loader
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from conflictdb import parameters, points
from conflictdb.errors import error_attr
from conflictdb.repeated import combined, repeated_errors
from conflictdb.search import search
from conflictdb.slugs import record_ids

# Query parameters that are not filters but are understood by every list endpoint.
NON_FILTER_PARAMETERS = {"page", "page_size", "cursor", "format"}


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
    """Comma-separated slugs, each of which must name an existing record of `queryset`; cleaned to the
    records' primary keys. A previous slug of a record names it too.

    Filters then compare keys (`place_id IN (7)`), for which PostgreSQL has statistics per value: a
    place with 90,000 events is planned as such, not as the average place (a join on the slug is).
    """

    def __init__(self, *, queryset, **kwargs):
        self.queryset = queryset
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return []
        slugs = split_values(value)
        found = dict(self.queryset.filter(slug__in=slugs).values_list("slug", "pk"))
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:  # a renamed record's previous slugs still select it (conflictdb/slugs.py)
            found |= record_ids(self.queryset.model, unknown)
            unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            raise forms.ValidationError(
                f"No {self.queryset.model._meta.verbose_name} with slug: {', '.join(unknown)}."
            )
        return [found[slug] for slug in slugs]


@extend_schema_field(OpenApiTypes.STR)
class ChoiceListFilter(filters.Filter):
    """Matches any of several comma-separated vocabulary values."""

    field_class = ChoiceListField
    several_values = True  # conflictdb/repeated.py

    def __init__(self, *args, choices, **kwargs):
        allowed = ", ".join(value for value, _label in choices)
        kwargs.setdefault("label", f"One or more of {allowed} (comma-separated).")
        super().__init__(*args, choices=choices, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": value})


@extend_schema_field(OpenApiTypes.STR)
class SlugListFilter(filters.Filter):
    """Matches records related to any of several comma-separated slugs.

    `field_name` is the path to the related record (e.g. `place`); the value is the records' keys.
    """

    field_class = SlugListField
    several_values = True

    def __init__(self, *args, queryset, **kwargs):
        kwargs.setdefault(
            "label", f"Slugs of one or more {queryset.model._meta.verbose_name_plural} (comma-separated)."
        )
        super().__init__(*args, queryset=queryset, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        qs = qs.filter(**{f"{self.field_name}__in": value})
        return qs.distinct() if self.distinct else qs


@extend_schema_field(OpenApiTypes.STR)
class IExactListFilter(filters.Filter):
    """Matches any of several comma-separated names exactly, ignoring case (admin1, publisher)."""

    several_values = True

    def filter(self, qs, value):
        names = split_values(value or "")
        if not names:
            return qs
        pattern = "^(" + "|".join(re.escape(name) for name in names) + ")$"
        return qs.filter(**{f"{self.field_name}__iregex": pattern})


class CheckedField(forms.Field):
    """A parameter read by one of conflictdb/parameters.py's functions, whose ValueError is the 400."""

    def __init__(self, *, read, **kwargs):
        self.read = read
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return self.read(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class UtcDateTimeFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 datetime (UTC when it names no zone), compared as the UTC moment it names: PostgreSQL
    refuses offsets beyond ±15:59, Python does not, and a moment near year 1 or 9999 may not exist in UTC."""

    field_class = CheckedField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, read=lambda raw: parameters.utc_datetime(raw, naive_is_utc=True), **kwargs)


class SearchFilter(filters.CharFilter):
    """Words to search for (conflictdb/search.py); at least one letter or digit."""

    field_class = CheckedField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, read=parameters.search_text, **kwargs)


class IntegerFilter(filters.NumberFilter):
    """A whole number in ASCII digits, within the range of the column it is compared with (`maximum`):
    `٣`, `3.5` and a number past the column's range are a 400, not read as something else."""

    field_class = CheckedField

    def __init__(self, *args, maximum: int = parameters.INTEGER_MAX, **kwargs):
        self.maximum = maximum  # the schema's bound (conflictdb/parameter_schema.py)
        super().__init__(*args, read=lambda raw: parameters.integer(raw, maximum=maximum), **kwargs)


class IsoDateFilter(filters.DateFilter):
    """A date written YYYY-MM-DD only: other formats (03/10/2015: March or October?) are a 400."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class UpperCaseListFilter(filters.Filter):
    """Comma-separated codes matched case-insensitively, such as ISO 3166-1 alpha-3 country codes."""

    field_class = forms.RegexField
    several_values = True

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("regex", r"^\s*[A-Za-z]{3}\s*(,\s*[A-Za-z]{3}\s*)*$")
        kwargs.setdefault("label", "ISO 3166-1 alpha-3 country codes, in any case (comma-separated).")
        kwargs.setdefault(
            "error_messages", {"invalid": "Expected ISO 3166-1 alpha-3 codes, e.g. SYR or SYR,IRQ."}
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": [code.upper() for code in split_values(value)]})


class OrderingFilter(filters.OrderingFilter):
    """`ordering` with the slug as the final key, so that pages of tied values neither repeat nor skip.
    Records without a value come last either way (`-fatalities_best`: the deadliest first, then the
    unknown; PostgreSQL would put the unknown first)."""

    several_values = True

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "Fields to order by, each with `-` for descending (comma-separated).")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*[nulls_last(qs.model, name) for name in qs.query.order_by], "slug")
        return qs


def nulls_last(model, name: str):
    """The ordering `name` ("field" or "-field"), with NULLs last when the field can hold them."""
    field = model._meta.get_field(name.lstrip("-"))
    if not field.null:
        return name
    expression = F(name.lstrip("-"))
    return expression.desc(nulls_last=True) if name.startswith("-") else expression.asc(nulls_last=True)


class StrictBooleanField(forms.Field):
    """`true` or `false`, nothing else (Django's NullBooleanField quietly ignores other values)."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value.lower() not in ("true", "false"):
            raise forms.ValidationError("Expected true or false.")
        return value.lower() == "true"


@extend_schema_field(OpenApiTypes.BOOL)
class BooleanFilter(filters.Filter):
    field_class = StrictBooleanField


class FilterCopies(dict):
    """A FilterSet class's filters, which each FilterSet (one per request) copies to bind to itself.

    The copies are shallow: a filter keeps no state of a request but the FilterSet it is bound to.
    django-filter copies deeply, down to each choice list and queryset: a list request then costs 1.2 to
    1.3 times the Python CPU (bench/baselines/filter-forms.md). Relies on django-filter's internals
    (tests/conflictdb/test_library_versions.py)."""

    def __deepcopy__(self, memo):
        return {name: bound_copy(filter_) for name, filter_ in self.items()}


def bound_copy(filter_):
    """A shallow copy of `filter_` whose `method` (a FilterSet method's name) is looked up on the copy's
    own FilterSet, not the original's."""
    copied = copy.copy(filter_)
    if filter_.method is not None:
        copied.method = filter_.method  # the setter binds a new FilterMethod to the copy
    return copied


class GivenParametersForm(forms.Form):
    """A filter form that, bound to a request's parameters, holds the fields of the parameters given
    (and of any required filter) only, unless `every_field`.

    So a filter must filter nothing when its parameter is absent (no default ordering, no "hide X
    unless"): tests/conflictdb/test_filtersets.py holds every filter to that. Deep-copying and cleaning
    every field for each request made a list request cost 1.14 to 1.27 times the Python CPU
    (bench/baselines/filter-forms.md)."""

    def __init__(self, data=None, *args, every_field=False, **kwargs):
        if data is not None and not every_field:
            prefix = kwargs.get("prefix")
            self.base_fields = {
                name: field
                for name, field in self.base_fields.items()
                if field.required
                or not field.widget.value_omitted_from_data(data, {}, f"{prefix}-{name}" if prefix else name)
            }
        super().__init__(data, *args, **kwargs)


class BaseFilterSet(filters.FilterSet):
    """Every collection's FilterSet: `search` and `updated_since`.

    `search_related` names relations whose text also matches (an event is found by its place's name).
    The form that validates the parameters is built once per class: its fields depend on the filters
    alone, never on the request (built anew, a list request costs 1.12 to 1.36 times the Python CPU:
    bench/baselines/filter-forms.md). Bound, it holds the parameters given only (GivenParametersForm), unless
    `every_field` (the browsable API's form shows every filter).
    """

    search_related: tuple[str, ...] = ()
    every_field = False

    search = SearchFilter(
        method="filter_search",
        label="Words, names or aliases; results ordered by relevance unless `ordering`.",
    )
    updated_since = UtcDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Records changed at or after this ISO 8601 instant (UTC when it names no zone).",
    )

    @classmethod
    def get_filters(cls):
        return FilterCopies(super().get_filters())

    def get_form_class(self):
        cls = type(self)
        if "built_form_class" not in cls.__dict__:
            fields = {name: filter_.field for name, filter_ in self.filters.items()}
            cls.built_form_class = type(f"{cls.__name__}Form", (GivenParametersForm,), fields)
        return cls.built_form_class

    @property
    def form(self):
        if not hasattr(self, "_form"):
            data = self.data if self.is_bound else None
            self._form = self.get_form_class()(data, prefix=self.form_prefix, every_field=self.every_field)
        return self._form

    def filter_search(self, queryset, name, value):
        return search(queryset, value, self.search_related)


class StrictFilterBackend(filters.DjangoFilterBackend):
    """Rejects unknown query parameters, repeated one-valued ones and bad values together, in one 400
    naming each; a repeated list parameter is its values comma-separated (conflictdb/repeated.py)."""

    def get_filterset_kwargs(self, request, queryset, view):
        data = combined(request.query_params, self.get_filterset_class(view, queryset).base_filters)
        return super().get_filterset_kwargs(request, queryset, view) | {"data": data}

    def filter_queryset(self, request, queryset, view):
        filterset = self.checked_filterset(request, queryset, view)
        return queryset if filterset is None else filterset.qs

    def checked_filterset(self, request, queryset, view):
        """The view's FilterSet bound to the request, its parameters checked (a 400 otherwise)."""
        filterset = self.get_filterset(request, queryset, view)
        filters_ = filterset.filters if filterset is not None else {}
        known = NON_FILTER_PARAMETERS | set(points.PARAMETERS) | set(filters_)
        errors = {
            error_attr(name): [f"Unknown query parameter. Allowed: {', '.join(sorted(known))}."]
            for name in sorted(set(request.query_params) - known)
        }
        errors = repeated_errors(request.query_params, filters_) | errors
        if filterset is not None and not filterset.is_valid():
            errors = {**filterset.errors, **errors}  # a repeat is what is wrong with a repeated value
        if errors:
            raise ValidationError(errors)
        return filterset

    def to_html(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return None
        filterset.every_field = True
        return loader.get_template(self.template).render({"filter": filterset}, request)
