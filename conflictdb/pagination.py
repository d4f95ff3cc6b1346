"""Pagination shared by every list endpoint: keyset cursors, so a page deep in a large result costs what
the first page costs, and a count that is exact up to a limit and estimated beyond.

`next`/`previous` links carry a `cursor` (the ordering values of the last/first row) when the ordering is
on non-null fields of the model (always the case by default: slug). Orderings that cannot be resumed from
a row (relevance of a search, a nullable field) and an explicit `page=N` use offsets instead.

A first page that holds the whole result is its own exact count: a small result (a narrow filter, most
searches) costs one statement, not an estimate, a count and a page (which cost a search 1.5 times the
Python CPU and 1.85 times the time: bench/baselines/counts.md).
"""

import base64
import json
from collections import OrderedDict
from operator import itemgetter
from urllib.parse import urlencode

from django.db import models
from django.db.models import Q, QuerySet
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from conflictdb import parameters
from conflictdb.counting import bounded_count
from conflictdb.filters import NON_FILTER_PARAMETERS
from conflictdb.parameters import BIGINT_MAX

PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
MAX_PAGE = BIGINT_MAX // MAX_PAGE_SIZE  # beyond, a page's offset is past PostgreSQL's bigint


def positive_integer(request, name: str, maximum: int = BIGINT_MAX) -> int | None:
    """The query parameter `name` as a positive integer up to `maximum`, None when absent; a 400 naming
    it otherwise."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        return parameters.integer(raw, minimum=1, maximum=maximum)
    except ValueError as exc:
        raise ValidationError({name: [str(exc)]}) from None


def page_size(request, default: int = PAGE_SIZE) -> int:
    """The `page_size` asked for, `default` when none, never more than MAX_PAGE_SIZE."""
    return min(positive_integer(request, "page_size") or default, MAX_PAGE_SIZE)


def rows_named_by(request) -> str:
    """What a list request's rows depend on: its path and its parameters but those choosing a page of
    them or a format (the filter backend has refused any other parameter), in the order of their names.
    A name given twice keeps its values' order, in which the filter reads them (conflictdb/repeated.py)."""
    given = [
        (name, values) for name, values in request.query_params.lists() if name not in NON_FILTER_PARAMETERS
    ]
    params = sorted(given, key=itemgetter(0))
    return f"{request.path}?{urlencode(params, doseq=True)}"


def ordering_keys(queryset) -> list[tuple[str, bool]] | None:
    """[(field, descending)] of the queryset's ordering, ending on slug (or id); None when a row cannot be
    resumed from (an annotation such as a search's relevance, a related or nullable field)."""
    names = list(queryset.query.order_by or queryset.model._meta.ordering)
    keys = []
    for name in names:
        if not isinstance(name, str):  # an expression (a nullable field's NULLS LAST)
            return None
        descending = name.startswith("-")
        field_name = name.lstrip("-")
        try:
            field = queryset.model._meta.get_field(field_name)
        except Exception:
            return None
        if field.null or field.is_relation:
            return None
        keys.append((field.attname, descending))
    # A unique key last, so that a position names one row: the slug, or the primary key of a model without.
    tie = (
        "slug"
        if any(f.name == "slug" for f in queryset.model._meta.fields)
        else queryset.model._meta.pk.attname
    )
    if tie not in [name for name, _ in keys]:
        keys.append((tie, False))
    return keys


def after_row(keys, values, backwards: bool) -> Q:
    """Rows after (or, backwards, before) the row with `values`, in the order of `keys`.

    With several keys, the first key's bound (`a >= x`) comes first as well: PostgreSQL reads an index on
    the keys from there, where the OR of steps alone (`a > x OR a = x AND b > y`) has it read the index
    from its start (a history page in the middle of 20,000 versions read 10,000 entries)."""
    condition = Q()
    for index, (name, descending) in enumerate(keys):
        later = "lt" if descending != backwards else "gt"
        step = Q(**{f"{name}__{later}": values[index]})
        for earlier, (earlier_name, _descending) in enumerate(keys[:index]):
            step &= Q(**{earlier_name: values[earlier]})
        condition |= step
    if len(keys) > 1:
        first, descending = keys[0]
        condition &= Q(**{f"{first}__{'lte' if descending != backwards else 'gte'}": values[0]})
    return condition


def cursor_order(queryset, keys) -> str:
    """What a cursor is a position in: the model and its ordering. A cursor of another list or ordering
    names no row of this one."""
    return f"{queryset.model._meta.label_lower}:" + ",".join(("-" if d else "") + n for n, d in keys)


def encode_cursor(values, backwards: bool, order: str) -> str:
    raw = json.dumps(
        {"v": [v.isoformat() if hasattr(v, "isoformat") else v for v in values], "b": backwards, "o": order}
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_value(field, value):
    """A cursor's value for `field`, checked as the parameter it stands for would be: its type, a NUL in
    text, the range of a number or a datetime; ValueError otherwise."""
    if isinstance(field, models.DateTimeField):
        return parameters.utc_datetime(value) if isinstance(value, str) else invalid()
    if isinstance(field, models.DateField):
        return parameters.iso_date(value) if isinstance(value, str) else invalid()
    if isinstance(field, models.IntegerField):
        is_integer = isinstance(value, int) and not isinstance(value, bool)
        return parameters.integer(str(value)) if is_integer else invalid()
    if isinstance(field, models.CharField | models.TextField):
        return parameters.text(value) if isinstance(value, str) else invalid()
    return invalid()


def invalid():
    raise ValueError("not a value of this field")


def decode_cursor(cursor: str, queryset, keys) -> tuple[list, bool]:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if raw["o"] != cursor_order(queryset, keys) or not isinstance(raw["b"], bool):
            invalid()
        values = [
            cursor_value(queryset.model._meta.get_field(name), v)
            for (name, _), v in zip(keys, raw["v"], strict=True)
        ]
        return values, raw["b"]
    except Exception as exc:
        raise ValidationError(
            {"cursor": ["Not a cursor of this list; use the `next` or `previous` link as given."]}
        ) from exc


class KeysetPagination(pagination.BasePagination):
    """`{"count", "count_is_estimate", "next", "previous", "results"}` with `page_size` (default 50, at
    most 1000), `cursor` (from the links) or `page` (an offset, for orderings without a cursor)."""

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = page_size(request)
        page = positive_integer(request, "page", maximum=MAX_PAGE)
        cursor = request.query_params.get("cursor")
        if page and cursor:
            raise ValidationError({"cursor": ["Give either cursor or page, not both."]})
        is_queryset = isinstance(queryset, QuerySet)
        keys = ordering_keys(queryset) if is_queryset and not page else None
        if keys is None:
            if cursor:
                raise ValidationError(
                    {"cursor": ["This ordering cannot be resumed from a cursor; use page."]}
                )
            rows = self.offset_page(queryset, page or 1, size)
        else:
            rows = self.keyset_page(queryset, keys, cursor, size)
        self.count_is_estimate = False
        if not is_queryset:
            self.count = len(queryset)
        elif not cursor and (page or 1) == 1 and self.next is None:  # the whole result, counted as read
            self.count = len(rows)
        else:
            self.count, exact = bounded_count(queryset, key=rows_named_by(request))
            self.count_is_estimate = not exact
        return rows

    def offset_page(self, queryset, page, size):
        start = (page - 1) * size
        rows = list(queryset[start : start + size + 1])
        if page > 1 and not rows:
            raise NotFound("No such page.")
        url = self.request.build_absolute_uri()
        self.next = replace_query_param(url, "page", page + 1) if len(rows) > size else None
        self.previous = None
        if page > 1:
            self.previous = (
                replace_query_param(url, "page", page - 1) if page > 2 else remove_query_param(url, "page")
            )
        return rows[:size]

    def keyset_page(self, queryset, keys, cursor, size):
        values, backwards = decode_cursor(cursor, queryset, keys) if cursor else (None, False)
        ordering = [f"{'-' if descending != backwards else ''}{name}" for name, descending in keys]
        page = queryset.order_by(*ordering)
        if values is not None:
            page = page.filter(after_row(keys, values, backwards))
        rows = list(page[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if backwards:
            rows.reverse()
        url = remove_query_param(self.request.build_absolute_uri(), "cursor")
        order = cursor_order(queryset, keys)

        def link(row, to_previous):
            values = [row[n] if isinstance(row, dict) else getattr(row, n) for n, _ in keys]
            return replace_query_param(url, "cursor", encode_cursor(values, to_previous, order))

        has_next = (more if not backwards else True) and bool(rows)
        has_previous = (more if backwards else values is not None) and bool(rows)
        self.next = link(rows[-1], False) if has_next else None
        self.previous = link(rows[0], True) if has_previous else None
        return rows

    def get_paginated_response(self, data):
        envelope = OrderedDict(
            count=self.count, count_is_estimate=self.count_is_estimate, next=self.next, previous=self.previous
        )
        state = getattr(self.request, "state", None)  # a read of the past (conflictdb/points.py)
        if state is not None:
            envelope["state"] = state.describe()
        return Response(envelope | {"results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_is_estimate", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "description": "Exact up to 10,000; estimated beyond."},
                "count_is_estimate": {"type": "boolean"},
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
                "state": {
                    "type": "object",
                    "description": "With `release` or `as_of` only: the point of the history shown.",
                    "properties": {
                        "release": {"type": "string", "nullable": True, "description": "Its name."},
                        "as_of": {
                            "type": "string",
                            "format": "date-time",
                            "description": "The release's time, or the moment asked for.",
                        },
                    },
                    "required": ["release", "as_of"],
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return PAGE_PARAMETERS


def query_parameter(name: str, description: str, **schema) -> dict:
    return {"name": name, "required": False, "in": "query", "description": description, "schema": schema}


# The parameters of a paginated list (or history), as the schema declares them.
PAGE_PARAMETERS = [
    query_parameter(
        "page_size",
        f"Records per page: {PAGE_SIZE} by default, at most {MAX_PAGE_SIZE} (a larger one gives "
        f"{MAX_PAGE_SIZE}).",
        type="integer",
        minimum=1,
    ),
    query_parameter("cursor", "A position, from a `next` or `previous` link.", type="string"),
    query_parameter(
        "page",
        "A page number, for orderings that have no cursor (e.g. search relevance).",
        type="integer",
        minimum=1,
        maximum=MAX_PAGE,
    ),
]
