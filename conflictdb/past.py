"""Records as they were at a point of the history, and as they are: one form for both.

A point is a PostgreSQL snapshot (a release's, `xmin:xmax:xip,...`) or a moment. A version row belongs to
the past of a snapshot when its transaction (`pgh_xid`) is visible in the snapshot: exactly what a reader
in that snapshot saw, whatever was running then, and the same answer however late it is asked. It belongs
to the past of a moment when it was written before it (`pgh_created_at`, the clock time of the row's
change) by a transaction committed when it is read: PostgreSQL keeps no commit times, so a transaction
that wrote before the moment and commits after the read joins that past later. A moment's past is exact
once every transaction that began before it has ended; a snapshot's always is.

A record at a point is its latest version in that past, unless that version is its delete (or it has none).
Its references are given by the slug the referred record had at the point, its link lists (an event's
actors, a claim's relations) by the link rows alive at the point: so the form of a record read from its
versions is the form of the same record read from its table in that snapshot (`record_forms`), which is
how a release's NDJSON file is written (releases/making.py).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from conflictdb.fieldlists import TIMESTAMPS, is_link_list
from conflictdb.json_values import json_value
from conflictdb.versions import link_tables


@dataclass(frozen=True)
class Point:
    """A point of the history: a snapshot (a release's), or a moment."""

    snapshot: str | None = None
    moment: datetime | None = None

    def bounds(self) -> tuple[int, int]:
        """The snapshot's xmin and xmax: every transaction before xmin is in its past, none from xmax on."""
        xmin, xmax, _running = self.snapshot.split(":")
        return int(xmin), int(xmax)


def in_past(point: Point) -> Q:
    """The version rows that are in the past of `point`."""
    if point.snapshot is None:
        return Q(pgh_created_at__lt=point.moment)
    xmin, xmax = point.bounds()
    visible = RawSQL(
        "pg_visible_in_snapshot(pgh_xid::text::xid8, %s::pg_snapshot)", [point.snapshot], BooleanField()
    )
    return Q(pgh_xid__lt=xmin) | Q(visible, pgh_xid__lt=xmax)


def not_in_past(point: Point) -> Q:
    """The version rows that are not in the past of `point` (written after it, or not yet visible)."""
    if point.snapshot is None:
        return ~Q(in_past(point))
    xmin, _xmax = point.bounds()
    visible = RawSQL(
        "pg_visible_in_snapshot(pgh_xid::text::xid8, %s::pg_snapshot)", [point.snapshot], BooleanField()
    )
    return Q(pgh_xid__gte=xmin) & ~Q(visible)


def versions_of(model):
    return model.history.rel.related_model


def own_columns(model) -> list[str]:
    """What a record's form reads of a row: its key and the columns of its FIELDS and timestamps (not the
    search columns, the longest of a row)."""
    return ["pk", *(name for name in (*model.FIELDS, *TIMESTAMPS) if not is_link_list(model, name))]


class Reader:
    """Reads records, and the slugs of the records they refer to (kept: a point's slugs do not change)."""

    def __init__(self):
        self.known: dict[type, dict[int, str]] = {}

    def slugs(self, model, ids) -> dict[int, str]:
        """{id: slug} of the records of `model` among `ids` that are there."""
        known = self.known.setdefault(model, {})
        missing = {i for i in ids if i is not None} - set(known)
        if missing:
            known |= self.find_slugs(model, missing)
        return known


class Present(Reader):
    """Reads records from their tables: as they are now (or in the reading transaction's snapshot)."""

    def rows(self, model, columns=None, **where) -> list:
        return list(model.objects.filter(**where).only(*(columns or own_columns(model))))

    def find_slugs(self, model, ids) -> dict[int, str]:
        return dict(model.objects.filter(pk__in=ids).values_list("pk", "slug"))

    @staticmethod
    def key(row) -> int:
        return row.pk


class AtPoint(Reader):
    """Reads records from their versions as they were at `point`; a record deleted by then is absent."""

    def __init__(self, point: Point):
        super().__init__()
        self.point = point

    def latest(self, model, **where):
        """The latest version in the point's past of each record matching `where`, deletes included."""
        where = {("pgh_obj_id" + name[2:] if name.startswith("pk") else name): v for name, v in where.items()}
        return (
            versions_of(model)
            .objects.filter(in_past(self.point), **where)
            .order_by("pgh_obj_id", "-pgh_id")
            .distinct("pgh_obj_id")
        )

    def rows(self, model, columns=None, **where) -> list:
        columns = [c for c in columns or own_columns(model) if c != "pk"]
        latest = self.latest(model, **where).only("pgh_obj_id", "pgh_label", *columns)
        return [row for row in latest if row.pgh_label != "delete"]

    def find_slugs(self, model, ids) -> dict[int, str]:
        rows = self.latest(model, pk__in=ids).values_list("pgh_obj_id", "slug", "pgh_label")
        return {pk: slug for pk, slug, label in rows if label != "delete"}

    @staticmethod
    def key(row) -> int:
        return row.pgh_obj_id


def item_value(value):
    return "" if value is None else str(value)


def record_forms(reader, model, rows, item_keys: dict) -> list[dict]:
    """`rows` of `model` (records, or versions when `reader` reads the past) as the releases write them:
    the model's FIELDS in order, then its timestamps; references by slug, link lists as the items a write
    takes (`item_keys`, conflictdb/versions.item_keys_of), sorted."""
    keys = {reader.key(row): row for row in rows}
    names = {}
    for name in model.FIELDS:
        field = model._meta.get_field(name)
        if field.concrete and field.many_to_one:
            names[name] = reader.slugs(field.related_model, [getattr(r, field.attname) for r in rows])
    links = {}
    for name, link_versions, parent, item_fields in link_tables(model, item_keys):
        link_model = link_versions.pgh_tracked_model
        fields = {key: link_model._meta.get_field(source) for key, source in item_fields.items()}
        columns = [parent, *(f.name for f in fields.values())]
        link_rows = reader.rows(link_model, columns, **{f"{parent}_id__in": set(keys)}) if keys else []
        refs = {
            f.name: reader.slugs(f.related_model, [getattr(r, f.attname) for r in link_rows])
            for f in fields.values()
            if f.is_relation
        }
        items: dict[int, list] = {}
        for link in link_rows:
            item = {
                key: refs[f.name].get(getattr(link, f.attname)) if f.is_relation else getattr(link, f.attname)
                for key, f in fields.items()
            }
            items.setdefault(getattr(link, f"{parent}_id"), []).append(item)
        links[name] = {
            owner: sorted(found, key=lambda i: [item_value(v) for v in i.values()])
            for owner, found in items.items()
        }
    forms = []
    for row in rows:
        form = {}
        for name in (*model.FIELDS, *TIMESTAMPS):
            if is_link_list(model, name):
                form[name] = links[name].get(reader.key(row), [])
            elif name in names:
                attname = model._meta.get_field(name).attname
                form[name] = names[name].get(getattr(row, attname))
            else:
                form[name] = json_value(getattr(row, name))
        forms.append(form)
    return forms
