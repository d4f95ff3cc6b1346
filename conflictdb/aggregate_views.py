"""The `aggregate` action of a collection: its parameters checked, its rows run, ordered, filled, and
answered as JSON or streamed as CSV."""

import csv
import io

from django.http import StreamingHttpResponse
from django_filters.constants import EMPTY_VALUES
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from conflictdb import aggregation as grouping
from conflictdb.aggregate_filters import ParameterFilter
from conflictdb.exports import media_type
from conflictdb.filters import StrictFilterBackend
from conflictdb.periods import PERIODS


def parameters(filterset) -> tuple[list[str], list[str], bool, int | None]:
    """group_by, ordering, fill and limit, checked against each other and the filters (a 400 naming
    them)."""
    data = filterset.form.cleaned_data
    names, ordering, fill = data["group_by"], data.get("ordering") or [], data.get("fill")
    limit = data.get("limit")
    errors = {}
    if fill and limit:
        errors["limit"] = ["Not with fill: the periods filled are every period between the dates."]
    period = next((name for name in names if name in PERIODS), None)
    if fill and period is None:
        errors["fill"] = ["Needs a period in group_by."]
    elif fill and not (data.get("date_from") and data.get("date_to")):
        errors["fill"] = ["Needs date_from and date_to: the periods between them are filled."]
    groupable = [*filterset.aggregation.keys, *PERIODS]
    ungrouped = [step for step in ordering if step.lstrip("-") in groupable and step.lstrip("-") not in names]
    if ungrouped:
        errors["ordering"] = [f"Not in group_by: {', '.join(ungrouped)}."]
    if errors:
        raise ValidationError(errors)
    return names, ordering, bool(fill), limit


def given_filters(filterset) -> dict:
    """The filters of the rows given a value (name: cleaned value): not the aggregate's own parameters,
    not those left empty (which filter nothing)."""
    return {
        name: value
        for name, value in filterset.form.cleaned_data.items()
        if name in filterset.filters
        and not isinstance(filterset.filters[name], ParameterFilter)
        and value not in EMPTY_VALUES
    }


def aggregate_response(view, request, aggregation: grouping.Aggregation):
    """The aggregate of the view's collection as the request asks for it."""
    paging = sorted({"page", "page_size", "cursor"} & set(request.query_params))
    if paging:  # what every list takes, and an aggregate does not
        raise ValidationError({name: ["Aggregates are not paginated: see limit."] for name in paging})
    queryset = view.queryset.model.objects.all()
    filterset = StrictFilterBackend().checked_filterset(request, queryset, view)
    filterset.aggregation = aggregation
    names, ordering, fill, limit = parameters(filterset)
    given = given_filters(filterset)
    if not fill and request.accepted_renderer.format != "csv":  # the rows as PostgreSQL writes them
        results, imprecise = grouping.aggregate_json(aggregation, filterset.qs, names, ordering, limit, given)
        return Response({"group_by": names, "results": results, "imprecise": imprecise})
    grouped = grouping.aggregate(aggregation, filterset.qs, names, ordering, limit, given)
    if fill:  # the rows added take their places in the order
        data = filterset.form.cleaned_data
        grouping.fill(grouped, aggregation, data["date_from"], data["date_to"])
        grouping.order(grouped.results, names, ordering)
    if request.accepted_renderer.format == "csv":
        name = f"{view.basename}s-aggregate.csv"
        return StreamingHttpResponse(
            csv_lines(grouped, aggregation),
            content_type=media_type(request.accepted_renderer),
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return Response(
        {
            "group_by": names,
            "results": [grouping.shown(row) for row in grouped.results],
            "imprecise": [grouping.shown(row) for row in grouped.imprecise],
        }
    )


def csv_header(names: list[str], aggregation: grouping.Aggregation) -> list[str]:
    header = []
    for name in names:
        header += [name] if name in PERIODS else list(aggregation.keys[name].csv_names())
    if any(name in PERIODS for name in names):
        header.append("imprecise")
    return header + list(aggregation.metrics)


def csv_lines(grouped: grouping.Grouped, aggregation: grouping.Aggregation):
    """The rows as CSV: a column per key (a record's slug and name), the period, `imprecise` (true for a
    row of records that fit no single period, whose period is empty), then the metrics."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    period = next((name for name in grouped.names if name in PERIODS), None)

    def line(values):
        writer.writerow(["" if value is None else value for value in values])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield line(csv_header(grouped.names, aggregation))
    for imprecise, rows in ((False, grouped.results), (True, grouped.imprecise)):
        for row in rows:
            values = []
            for name in grouped.names:
                if name in PERIODS:
                    values.append(row.get(name))
                else:
                    values += list(row[f"_{name}_order"])
            if period is not None:
                values.append("true" if imprecise else "false")
            yield line(values + [row[metric] for metric in aggregation.metrics])


def response_schema(name: str, aggregation: grouping.Aggregation):
    """The JSON response, for the OpenAPI schema: every key a row may have, then the metrics."""

    def key_field(key: grouping.Key):
        if not key.fields:
            return serializers.CharField(required=False, allow_null=True, help_text=key.about)
        shape = {field: serializers.CharField() for field in key.fields}
        title = key.name.title().replace("_", "")
        return inline_serializer(
            f"{name}{title}", shape, required=False, allow_null=True, help_text=key.about
        )

    fields = {key.name: key_field(key) for key in aggregation.keys.values()}
    fields |= {
        period: serializers.CharField(required=False, help_text=f"The {period}'s label (results only).")
        for period in PERIODS
    }
    fields |= {metric: serializers.IntegerField(allow_null=True) for metric in aggregation.metrics}
    row = type(f"{name}Row", (serializers.Serializer,), fields)
    return inline_serializer(
        name,
        {
            "group_by": serializers.ListField(child=serializers.CharField()),
            "results": row(many=True),
            "imprecise": row(many=True, help_text="Groups of the records that fit no single period."),
        },
    )
