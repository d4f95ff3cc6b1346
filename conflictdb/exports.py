"""Whole-result exports of a list endpoint as CSV or GeoJSON, streamed in constant memory.

A list endpoint with `?format=csv` (or `geojson`) returns every record of the filtered set, not a page.
Rows come from one SQL query read through a server-side cursor (`QuerySet.iterator`) as flat values,
and are written out as they arrive, so memory does not grow with the size of the result.
The columns of each collection are its view's `export_columns`, in that order (documented in the
schema); related records appear by slug, lists joined with ";".
"""

import csv
import json
from datetime import date, datetime
from decimal import Decimal

from django.http import Http404, StreamingHttpResponse
from rest_framework import renderers
from rest_framework.exceptions import ValidationError

CHUNK = 2000


class CSVRenderer(renderers.BaseRenderer):
    """Negotiates `format=csv`; the rows are streamed by ExportMixin. Errors are still problem JSON."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data).encode()


class GeoJSONRenderer(CSVRenderer):
    media_type = "application/geo+json"
    format = "geojson"


def plain(value):
    """A value as it appears in an export: dates in ISO 8601, decimals as numbers, lists joined."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return ";".join(value)
    return value


class Echo:
    """A file-like object whose write() returns what it was given, for csv.writer in a generator."""

    def write(self, value):
        return value


def csv_lines(rows, columns):
    writer = csv.writer(Echo())
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow([csv_cell(row[c]) for c in columns])


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return plain(value)


def geojson_lines(rows, columns):
    """A FeatureCollection, one feature a line; records without coordinates have a null geometry."""
    yield '{"type": "FeatureCollection", "features": [\n'
    separator = ""
    for row in rows:
        lon, lat = row["longitude"], row["latitude"]
        geometry = None if lon is None else {"type": "Point", "coordinates": [float(lon), float(lat)]}
        properties = {c: plain(row[c]) for c in columns if c not in ("longitude", "latitude")}
        feature = {"type": "Feature", "id": row["slug"], "geometry": geometry, "properties": properties}
        yield separator + json.dumps(feature, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


def same_name(names) -> dict:
    """Columns that are fields of the same name."""
    return {name: name for name in names}


def export_rows(queryset, export_columns: dict):
    """Rows as dicts keyed by column name, read through a server-side cursor.

    A column is a field path (`"place__slug"`) or an expression (annotated under a private name, since
    a column may share its name with a model field, as `place` does).
    """
    paths = [path for path in export_columns.values() if isinstance(path, str)]
    expressions = {f"export_{name}": e for name, e in export_columns.items() if not isinstance(e, str)}
    keys = {name: e if isinstance(e, str) else f"export_{name}" for name, e in export_columns.items()}
    for row in queryset.values(*paths, **expressions).iterator(chunk_size=CHUNK):
        yield {name: row[key] for name, key in keys.items()}


class ExportMixin:
    """Adds `?format=csv` (and `?format=geojson` where `geojson` is true) to a list endpoint.

    The view sets `export_columns`: an ordered mapping of column name to a field path or expression.
    """

    export_columns: dict = {}
    geojson = False

    def get_renderers(self):
        if getattr(self, "action", None) != "list":
            return super().get_renderers()
        extra = [CSVRenderer(), GeoJSONRenderer()] if self.geojson else [CSVRenderer()]
        return [*super().get_renderers(), *extra]

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404 as exc:  # DRF's answer to an unknown ?format=
            formats = sorted(renderer.format for renderer in self.get_renderers())
            raise ValidationError({"format": [f"Unknown format. Allowed: {', '.join(formats)}."]}) from exc

    def list(self, request, *args, **kwargs):
        export_format = request.accepted_renderer.format
        if export_format not in ("csv", "geojson"):
            return super().list(request, *args, **kwargs)
        paging = sorted({"page", "page_size", "cursor"} & set(request.query_params))
        if paging:  # an export is the whole filtered set; a page of it is not on offer
            raise ValidationError(
                {name: ["Exports are not paginated: drop this parameter."] for name in paging}
            )
        queryset = self.filter_queryset(self.get_export_queryset())
        columns = list(self.export_columns)
        rows = export_rows(queryset, self.export_columns)
        lines = csv_lines(rows, columns) if export_format == "csv" else geojson_lines(rows, columns)
        name = f"{self.basename}s.{export_format}"
        return StreamingHttpResponse(
            lines,
            content_type=request.accepted_renderer.media_type,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    def get_export_queryset(self):
        """The base queryset of exports: no prefetching (values() ignores it), no default joins."""
        return self.get_queryset().model.objects.all()
