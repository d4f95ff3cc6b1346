"""Every list of a record's fields, derived from the one its model declares.

Each model names its public fields once, in order, as `FIELDS`: the order the fixtures, the API and the
exports show them, link lists included (an event's `actors`, a claim's `relations`: rows of another
table, written with the record). The serializers, the fixture loader and exporter, the CSV and GeoJSON
columns and bulk writers take their lists from here, so that adding a field touches the model, its
migration, that list and the docs. Where a purpose shows fewer fields (a short summary nested in another
record, an event as listed), `without` names what it leaves out rather than copying what it keeps.
"""

from django.db import models

TIMESTAMPS = ("created_at", "updated_at")


def without(fields, *left_out: str) -> list[str]:
    """`fields` but those `left_out`, each of which must be among them (a misspelt name would otherwise
    leave the field in without a word)."""
    unknown = [name for name in left_out if name not in fields]
    if unknown:
        raise ValueError(f"not among the fields: {', '.join(unknown)}")
    return [name for name in fields if name not in left_out]


def span(model: type[models.Model], first: str, last: str) -> tuple[str, ...]:
    """The fields from `first` through `last`, in the model's order: a group of neighbours (an admin
    row such as a claim's figure), which a field added among them joins."""
    fields = model.FIELDS
    return fields[fields.index(first) : fields.index(last) + 1]


def read_fields(model: type[models.Model], *derived: str) -> list[str]:
    """A record as the API reads it: its fields, then the `derived` read-only ones, then its timestamps."""
    return [*model.FIELDS, *derived, *TIMESTAMPS]


def is_link_list(model: type[models.Model], name: str) -> bool:
    """Whether the field `name` is a list of link rows in another table rather than a column."""
    field = model._meta.get_field(name)
    return field.many_to_many or field.one_to_many


def link_lists(model: type[models.Model]) -> list[str]:
    return [name for name in model.FIELDS if is_link_list(model, name)]


def references(model: type[models.Model]) -> dict[str, type[models.Model]]:
    """The fields that name another record (by slug, in fixtures and exports), with that record's model."""
    found = {}
    for name in model.FIELDS:
        field = model._meta.get_field(name)
        if field.concrete and field.many_to_one:
            found[name] = field.related_model
    return found


def stored_columns(model: type[models.Model]) -> list[str]:
    """The table's columns of the public fields, in their order: `parent_id` for `parent`, no link lists.
    What a bulk writer (COPY) names, so that its rows follow the description."""
    return [model._meta.get_field(name).column for name in model.FIELDS if not is_link_list(model, name)]


def export_columns(model, fields=None, *, expand=None, also=()) -> dict:
    """The CSV and GeoJSON columns of `fields` (default: all of the model's): a column per field, of the
    same name, a reference by its slug (`place__slug` under `place`), then the `also` fields and
    `updated_at`. `expand` replaces a field by the columns it gives (name: field path or expression);
    link lists not expanded are left out, as a flat row cannot hold a list of records."""
    expand, named = expand or {}, references(model)
    columns = {}
    for name in model.FIELDS if fields is None else fields:
        if name in expand:
            columns.update(expand[name])
        elif name in named:
            columns[name] = f"{name}__slug"
        elif not is_link_list(model, name):
            columns[name] = name
    return columns | {name: name for name in (*also, "updated_at")}
