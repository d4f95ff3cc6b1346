"""The parameters of an aggregate endpoint: its list's FilterSet, with `group_by`, `fill` and an
`ordering` of the aggregate's own keys and metrics.

The aggregate's FilterSet is a subclass of the list's, made here, so that every filter the list has (and
any it gains) filters the aggregate too, with the same 400s; the schema, the docs' parameter tables and
the browsable API's form read it as they read the list's. The added parameters filter nothing: the view
reads their cleaned values from the form.
"""

from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from conflictdb import parameters
from conflictdb.aggregation import MAX_KEYS, MAX_ROWS, Aggregation
from conflictdb.filters import CheckedField, StrictBooleanField
from conflictdb.periods import PERIODS


class ParameterFilter(filters.Filter):
    """A parameter the view reads, not a filter of the rows."""

    def filter(self, qs, value):
        return qs


@extend_schema_field(OpenApiTypes.STR)
class CheckedParameter(ParameterFilter):
    field_class = CheckedField


@extend_schema_field(OpenApiTypes.BOOL)
class FillParameter(ParameterFilter):
    field_class = StrictBooleanField


def parse_group_by(raw: str, aggregation: Aggregation) -> list[str]:
    """The keys of `group_by` (comma-separated), checked: known, at most MAX_KEYS, once each, at most
    one period. A ValueError says what is wrong."""
    names = [name.strip() for name in raw.split(",") if name.strip()]
    allowed = [*aggregation.keys, *PERIODS]
    unknown = [name for name in names if name not in allowed]
    if unknown:
        raise ValueError(f"Unknown key(s): {', '.join(unknown)}. Allowed: {', '.join(allowed)}.")
    if not names:
        raise ValueError("Give at least one key.")
    if len(names) > MAX_KEYS:
        raise ValueError(f"At most {MAX_KEYS} keys.")
    if len(set(names)) != len(names):
        raise ValueError("A key is given twice.")
    if len([name for name in names if name in PERIODS]) > 1:
        raise ValueError(f"At most one period ({', '.join(PERIODS)}).")
    return names


def parse_ordering(raw: str, aggregation: Aggregation) -> list[str]:
    """`ordering`: keys and metrics, each with `-` for descending. A ValueError says what is wrong."""
    names = [name.strip() for name in raw.split(",") if name.strip()]
    unknown = [name for name in names if name.lstrip("-") not in aggregation.orderings]
    if unknown:
        allowed = ", ".join(aggregation.orderings)
        raise ValueError(f"Unknown field(s): {', '.join(unknown)}. Allowed: {allowed} (or -name).")
    return names


def aggregate_filterset(list_filterset: type, aggregation: Aggregation, *, fills: bool = False) -> type:
    """The list's FilterSet with the aggregate's parameters; `fill` when `fills`: the list's `date_from`
    and `date_to` filter the dates the periods are of, so that they are the range to fill. (The claims'
    `date_from` and `date_to` filter their events' dates, not `made_on`: they fill nothing.)"""
    keys = ", ".join(f"`{name}`" for name in aggregation.keys)
    periods = ", ".join(f"`{name}`" for name in PERIODS)
    attributes = {
        "group_by": CheckedParameter(
            read=lambda raw: parse_group_by(raw, aggregation),
            required=True,
            label=f"At most {MAX_KEYS} keys, comma-separated: {keys}, and at most one period of {periods}.",
        ),
        "ordering": CheckedParameter(
            read=lambda raw: parse_ordering(raw, aggregation),
            label="Keys and metrics, comma-separated, each with or without `-` (default: the keys).",
        ),
        "limit": CheckedParameter(
            read=lambda raw: parameters.integer(raw, minimum=1, maximum=MAX_ROWS),
            label=f"At most this many groups, the first in `ordering` (1..{MAX_ROWS}).",
        ),
        "Meta": list_filterset.Meta,
    }
    if fills:
        attributes["fill"] = FillParameter(
            label="`true`: every period between `date_from` and `date_to`, with zeros where nothing happened."
        )
    name = list_filterset.__name__.replace("FilterSet", "AggregateFilterSet")
    return type(name, (list_filterset,), attributes)
