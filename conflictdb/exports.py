"""Whole-result exports of a list endpoint as CSV or GeoJSON, streamed in constant memory.

A list endpoint with `?format=csv` (or `geojson`, or a layout of another dataset's, such as events'
`acled`) returns every record of the filtered set, not a page.
CSV is written by PostgreSQL itself (COPY of the filtered query TO STDOUT) and passed on chunk by chunk;
GeoJSON rows come from the same query read through a server-side cursor (`QuerySet.iterator`). Either
way the response streams as the rows arrive, so memory does not grow with the size of the result.
The columns of each collection are its view's `export_columns`, in that order (documented in the
schema); related records appear by slug, lists joined with ";". A link list (an event's actors) is read
by a subquery a row, or, for a whole set (a release's files), grouped once and joined (`Grouped`).
"""

import json
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import connections, models, transaction
from django.db.models import F, OuterRef, Subquery
from django.http import Http404, StreamingHttpResponse
from rest_framework import renderers
from rest_framework.exceptions import ValidationError

from conflictdb.export_limits import Admitted, admit
from conflictdb.json_values import json_value

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


@dataclass(frozen=True)
class CSVLayout:
    """A CSV export in another dataset's column layout (events' `acled`): `columns` are read as export
    columns are (name: field path or expression), and each of `rows` (the layout's columns, in order) is
    SQL over them, `{name}` standing for the column `name` of `columns`."""

    columns: dict
    rows: dict[str, str]


@dataclass(frozen=True)
class Grouped:
    """What an export reads about each record from another table's rows (an event's actors, a claim's
    relations): `value`, an aggregate of `rows` (a queryset of that table) grouped by `owner` (the field
    naming the record). It is read either for each record, by a subquery correlated to the row (a filtered
    export: the index finds a few records' links), or grouped once for the whole set and joined (a
    release's files: a lookup per row costs more than the whole of the rest of the row)."""

    rows: object
    owner: str
    value: object

    def grouped(self, links):
        return links.order_by().values(self.owner).annotate(grouped=self.value)

    def of_each(self) -> Subquery:
        """The value of the row's record, a subquery of the row's statement (NULL without links)."""
        links = self.grouped(self.rows.filter(**{self.owner: OuterRef("pk")}))
        return Subquery(links.values("grouped"), output_field=self.value.output_field)

    def of_all(self, owners):
        """(owner, grouped) of each record among `owners` (a queryset of records) that has links."""
        return self.grouped(self.rows.filter(**{f"{self.owner}__in": owners.order_by().values("pk")}))


@dataclass(frozen=True)
class Part:
    """An export column that is the text under `key` of a JSON object several columns share: `whole`
    (an expression, read once a row under `name`). A row's actors are read by one subquery and split
    into a column per role, instead of a subquery per column (10 of them made the event CSV 3.6 times
    slower); a `whole` that is Grouped is read by that subquery, or grouped and joined. In the CSV and
    GeoJSON exports, a key that is missing or null, or a row without the object, reads as empty text, as
    an empty list does; a layout's SQL reads it as NULL."""

    name: str
    whole: object
    key: str


def layout_renderer(name: str) -> CSVRenderer:
    """The renderer that negotiates `format=<name>` for a CSV layout."""
    return type(f"{name.title()}CSVRenderer", (CSVRenderer,), {"format": name})()


def media_type(renderer) -> str:
    """An export's Content-Type: CSV names its charset, which a reader (a spreadsheet) would otherwise
    guess; GeoJSON, like all JSON, is UTF-8 by definition."""
    is_csv = renderer.media_type == "text/csv"
    return f"{renderer.media_type}; charset=utf-8" if is_csv else renderer.media_type


def is_export(request) -> bool:
    """Whether `request` (a DRF request, after content negotiation) asks for a whole-set export."""
    return isinstance(getattr(request, "accepted_renderer", None), CSVRenderer)


def export_value(value):
    """A value as it appears in a GeoJSON export: as JSON carries it, lists joined with ";" as in CSV."""
    if isinstance(value, list):
        return ";".join(value)
    return json_value(value)


def geojson_lines(rows, columns):
    """A FeatureCollection, one feature a line; records without coordinates have a null geometry."""
    yield '{"type": "FeatureCollection", "features": [\n'
    separator = ""
    for row in rows:
        lon, lat = row["longitude"], row["latitude"]
        geometry = None if lon is None else {"type": "Point", "coordinates": [float(lon), float(lat)]}
        properties = {c: export_value(row[c]) for c in columns if c not in ("longitude", "latitude")}
        feature = {"type": "Feature", "id": row["slug"], "geometry": geometry, "properties": properties}
        yield separator + json.dumps(feature, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


def value_key(name: str, column) -> str:
    """Where a column is found in the export's values(): a field path (`"place__slug"`) under its own
    name, an expression under a private one (a column may share its name with a model field, as `place`
    does), a Part under its whole's."""
    if isinstance(column, Part):
        return f"export_{column.name}"
    return column if isinstance(column, str) else f"export_{name}"


def whole_of(part: Part):
    """A Part's whole as a row reads it: a Grouped one by its subquery."""
    return part.whole.of_each() if isinstance(part.whole, Grouped) else part.whole


def export_values(queryset, export_columns: dict, **also):
    """The values() queryset that reads an export's columns (each Part's whole once), and `also`."""
    paths = [column for column in export_columns.values() if isinstance(column, str)]
    expressions = {
        value_key(name, e): whole_of(e) if isinstance(e, Part) else e
        for name, e in export_columns.items()
        if not isinstance(e, str)
    }
    return queryset.values(*paths, **expressions, **also)


def row_value(row: dict, key: str, column):
    """A column's value in a row of export_values()."""
    if isinstance(column, Part):
        return (row[key] or {}).get(column.key) or ""
    return row[key]


def part_text(whole: str, part: Part) -> str:
    """SQL of a Part's text, from the SQL of its whole (a JSON object): NULL where the key is missing or
    null, or the row has no object."""
    return f"({whole} ->> '{part.key}')"


def export_rows(queryset, export_columns: dict):
    """Rows as dicts keyed by column name, read through a server-side cursor. The cursor lives in a
    transaction: a cursor opened outside one is declared WITH HOLD and read by later statements, which a
    pooler in transaction mode may send to another server connection, where it does not exist."""
    keys = {name: (value_key(name, column), column) for name, column in export_columns.items()}
    with transaction.atomic(using=queryset.db):
        for row in export_values(queryset, export_columns).iterator(chunk_size=CHUNK):
            yield {name: row_value(row, key, column) for name, (key, column) in keys.items()}


def output_field(queryset, name: str):
    """The model field (or annotation's output field) a values() column holds."""
    if name in queryset.query.annotation_select:
        return queryset.query.annotation_select[name].output_field
    model, *path = [queryset.model, *name.split("__")]
    for step in path[:-1]:
        model = model._meta.get_field(step).related_model
    return model._meta.get_field(path[-1])


def as_text(column: str, field) -> str:
    """SQL writing `column` as the exports write values: true/false, lists joined with ";", decimals
    without trailing zeros, datetimes in ISO 8601."""
    if isinstance(field, models.BooleanField):
        return f"CASE WHEN {column} THEN 'true' WHEN NOT {column} THEN 'false' END"
    if isinstance(field, ArrayField):
        return f"array_to_string({column}, ';')"
    if isinstance(field, models.DecimalField):
        return f"trim_scale({column})"
    if isinstance(field, models.DateTimeField):
        return f"to_json({column}) #>> '{{}}'"
    return column


def ordering(queryset) -> list[tuple[str, str]]:
    """(field, ASC or DESC) of the order the queryset's rows come in: its own, or its model's."""
    names = queryset.query.order_by or queryset.model._meta.ordering
    if not all(isinstance(name, str) for name in names):
        raise ValueError(f"{queryset.model}: an export grouped and joined is ordered by field names only")
    return [(name.lstrip("-"), "DESC" if name.startswith("-") else "ASC") for name in names]


def csv_statement(queryset, export_columns: dict, layout: dict[str, str] | None = None, *, whole=False):
    """The COPY statement writing the CSV export of `queryset`. With a `layout` (CSVLayout.rows), its
    columns are written instead, from the export columns. With `whole` (the set is a table's whole or
    most of it: a release's files), the Grouped wholes of Parts are grouped once for the set and joined,
    and the rows sorted after the joins, instead of a subquery a row read in the order of an index."""
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    joined = {}  # Part name: (alias, its Grouped whole), read by a join
    for column in export_columns.values() if whole else ():
        if isinstance(column, Part) and isinstance(column.whole, Grouped):
            joined.setdefault(column.name, (f"g{len(joined)}", column.whole))
    also, order = {}, ""
    if joined:
        sorted_by = ordering(queryset)
        also = {"export_owner": F("pk")} | {f"export_order_{n}": F(f) for n, (f, _) in enumerate(sorted_by)}
        order = " ORDER BY " + ", ".join(f"t.export_order_{n} {way}" for n, (_, way) in enumerate(sorted_by))
        queryset = queryset.order_by()
    rows = export_values(
        queryset,
        {name: c for name, c in export_columns.items() if not (isinstance(c, Part) and c.name in joined)},
        **also,
    )
    read, written = {}, {}  # each column as the values() row holds it, and as the CSV writes it
    for name, column in export_columns.items():
        key = value_key(name, column)
        if isinstance(column, Part):
            whole_sql = f"{joined[column.name][0]}.grouped" if column.name in joined else "t." + quote(key)
            read[name] = part_text(whole_sql, column)
            written[name] = f"COALESCE({read[name]}, '')"
        else:
            read[name] = "t." + quote(key)
            written[name] = as_text(read[name], output_field(rows, key))
    if layout is None:
        columns = [f"{sql} AS {quote(name)}" for name, sql in written.items()]
    else:
        columns = [f"{template.format_map(read)} AS {quote(name)}" for name, template in layout.items()]
    with connection.cursor() as cursor:  # COPY takes no parameters: they are bound here

        def bound(query) -> str:
            return cursor.mogrify(*query.query.sql_with_params())

        names = ", ".join(map(quote, rows.query.selected))  # the SELECT's columns, in order
        joins = "".join(
            f" LEFT JOIN ({bound(grouped.of_all(queryset))}) AS {alias}({quote(grouped.owner)}, grouped)"
            f" ON {alias}.{quote(grouped.owner)} = t.export_owner"
            for alias, grouped in joined.values()
        )
        select = f"SELECT {', '.join(columns)} FROM ({bound(rows)}) AS t({names}){joins}{order}"
    return f"COPY ({select}) TO STDOUT WITH (FORMAT csv, HEADER)"


def copy_csv(queryset, export_columns: dict, layout: dict[str, str] | None = None, *, whole=False):
    """The CSV export as PostgreSQL writes it (COPY ... TO STDOUT, csv_statement), streamed chunk by chunk
    as it comes: as fast as `psql \\copy`, in constant memory."""
    statement = csv_statement(queryset, export_columns, layout, whole=whole)
    with transaction.atomic(using=queryset.db), connections[queryset.db].cursor() as cursor:
        # One statement reads the whole set: it gets longer than the API's usual statement timeout.
        cursor.execute(f"SET LOCAL statement_timeout = {int(settings.EXPORT_TIMEOUT_MS)}")
        with cursor.copy(statement) as copy:
            yield from copy


class ExportMixin:
    """Adds `?format=csv` (and `?format=geojson` where `geojson` is true, and a format per CSV layout of
    `csv_layouts`) to a list endpoint.

    The view sets `export_columns`: an ordered mapping of column name to a field path or expression.
    """

    export_columns: dict = {}
    geojson = False
    csv_layouts: dict[str, CSVLayout] = {}

    def get_renderers(self):
        if getattr(self, "action", None) != "list":
            return super().get_renderers()
        extra = [CSVRenderer(), GeoJSONRenderer()] if self.geojson else [CSVRenderer()]
        layouts = [layout_renderer(name) for name in self.csv_layouts]
        return [*super().get_renderers(), *extra, *layouts]

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404 as exc:  # DRF's answer to an unknown ?format=
            formats = sorted(renderer.format for renderer in self.get_renderers())
            raise ValidationError({"format": [f"Unknown format. Allowed: {', '.join(formats)}."]}) from exc

    def export(self, request):
        """The whole filtered set, streamed in the negotiated format (csv or geojson)."""
        export_format = request.accepted_renderer.format
        paging = sorted({"page", "page_size", "cursor"} & set(request.query_params))
        if paging:  # an export is the whole filtered set; a page of it is not on offer
            raise ValidationError(
                {name: ["Exports are not paginated: drop this parameter."] for name in paging}
            )
        queryset = self.filter_queryset(self.get_export_queryset())
        # The rows stream after the view has returned: from the database this request reads (a replica,
        # conflictdb/routing.py), named now.
        queryset = queryset.using(queryset.db)
        name = f"{self.basename}s.{export_format}"
        if export_format in self.csv_layouts:
            layout = self.csv_layouts[export_format]
            lines = copy_csv(queryset, layout.columns, layout.rows)
            name = f"{self.basename}s-{export_format}.csv"
        elif export_format == "csv":
            lines = copy_csv(queryset, self.export_columns)
        else:
            lines = geojson_lines(export_rows(queryset, self.export_columns), list(self.export_columns))
        if getattr(self, "state", None) is not None:  # a read of the past (conflictdb/points.py)
            lines = self.state.streamed(lines, queryset.db)
        return StreamingHttpResponse(
            Admitted(lines, admit(request, self)),
            content_type=media_type(request.accepted_renderer),
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    def get_export_queryset(self):
        """The base queryset of exports: no prefetching (values() ignores it), no default joins."""
        return self.queryset.model.objects.all()
