"""The schema of a list's query parameters, read from its filters, so that the schema cannot drift from
what the server accepts and a generated client sends what the server reads.

drf-spectacular's django-filter extension gives each filter's basic type (a date, a boolean, a string);
this adds what the filter itself knows: its label (the help text the browsable API's filter form shows)
as the description, its vocabulary (`choices`) as an enum, its bounds (`maximum`), and, for a filter that
takes several values (conflictdb/repeated.py), an array sent as the parameter repeated (`style: form`,
`explode: true`, which is how `requests`, `httpx` and generated clients send a list). The server reads
the comma-separated form as well, as the description says.
"""

from drf_spectacular.contrib.django_filters import DjangoFilterExtension

from conflictdb.repeated import several_valued

SEVERAL_VALUES = "Several values: repeat the parameter, or separate the values with commas."


class FilterParameters(DjangoFilterExtension):
    """The query parameters of conflictdb.filters.StrictFilterBackend, the filter backend of every list."""

    target_class = "conflictdb.filters.StrictFilterBackend"
    match_subclasses = True
    priority = 1  # before drf-spectacular's own extension for django-filter's backends

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        for parameter in parameters:
            describe(parameter, filter_field, several=bool(several_valued({field_name: filter_field})))
        return parameters


def describe(parameter: dict, filter_, *, several: bool) -> None:
    """Completes `parameter`, the OpenAPI parameter of `filter_`, from the filter's own attributes."""
    value = parameter["schema"]
    if value.get("type") == "array":  # drf-spectacular's own array (an ordering): its items are the value
        value = value["items"]
    choices = filter_.extra.get("choices")
    if choices:
        value["enum"] = [str(choice) for choice, _label in choices]
    maximum = getattr(filter_, "maximum", None)
    if maximum is not None:
        value.update(type="integer", minimum=0, maximum=maximum)
        value.pop("format", None)
    description = str(filter_.label or "").strip()
    if several:
        parameter.update(schema={"type": "array", "items": value}, style="form", explode=True)
        description = f"{description} {SEVERAL_VALUES}".strip()
    else:
        parameter.update(schema=value)
        parameter.pop("style", None)
        parameter.pop("explode", None)
    parameter["description"] = description
