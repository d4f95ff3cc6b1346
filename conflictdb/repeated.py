"""A query parameter given more than once.

`requests`, `httpx` and generated clients send a list as the parameter repeated (`country=SYR&country=IRQ`),
where the API's own form is comma-separated (`country=SYR,IRQ`). Django keeps every value, but its `get()`
and the filter forms read the last one only: a client asking for two countries got one, without an error.
So a parameter that takes several values reads its repeats as one comma-separated list, and any other
parameter given twice is a 400 naming it (which of two pages, two cursors or two formats was meant?).

A filter takes several values when it says so (`several_values`, conflictdb/filters.py); the schema
declares those as arrays (conflictdb/parameter_schema.py), from the same attribute.
"""

from django.http import QueryDict

from conflictdb.errors import error_attr

ONE_VALUE_ONLY = "Given more than once; this parameter takes one value."


def several_valued(filters: dict) -> set[str]:
    """The names of the filters (a FilterSet's `filters` or `base_filters`) that take several values."""
    return {name for name, filter_ in filters.items() if getattr(filter_, "several_values", False)}


def repeated_errors(query_params, filters: dict | None = None) -> dict[str, list[str]]:
    """{parameter: [message]} for each parameter given more than once but not one of `filters` that
    takes several values."""
    several = several_valued(filters or {})
    return {
        error_attr(name): [ONE_VALUE_ONLY]
        for name, values in query_params.lists()
        if len(values) > 1 and name not in several
    }


def combined(query_params, filters: dict) -> QueryDict:
    """`query_params` with the values of each repeated parameter of `filters` that takes several values
    joined with commas, as if the client had written them so (`country=SYR&country=IRQ` is
    `country=SYR,IRQ`)."""
    data = query_params.copy()
    for name in several_valued(filters):
        values = data.getlist(name)
        if len(values) > 1:
            data.setlist(name, [",".join(values)])
    return data
