"""The lines of a release's `records.ndjson` as PostgreSQL writes them, one statement a collection.

A line is `{"collection": ..., "record": {...}}` with the record in the form of conflictdb/past.record_forms,
byte for byte as `json.dumps(..., ensure_ascii=False)` writes it. The statement is derived from the same
description that function reads (the model's FIELDS and TIMESTAMPS, references by slug, the link lists of
conflictdb/versions.link_tables with their item keys), so that the form is described once; a test holds
the two to each other record by record. Building each line in Python cost about 2 ms a record, two hours
for the bench's 3.5 million; PostgreSQL writes one in about 20 microseconds (bench/baselines/releases.md).

Where PostgreSQL's JSON differs from Python's, the Python form is written (it is the published one):
- separators `", "` and `": "` (json_build_object writes `" : "`, to_json an array without spaces): every
  object is concatenated here, and a text array is written by jsonb, whose text has Python's separators;
- a datetime as `datetime.isoformat()` gives it: microseconds, six digits, unless they are zero (to_json
  drops trailing zeros), then `+00:00` (the server's clock zone is UTC);
- a decimal as the float Python makes of it: the shortest digits that read back as that float
  (float8's text, given `extra_float_digits` >= 1), and `.0` after a whole number.
"""

import json

from django.contrib.postgres.fields import ArrayField
from django.db import models

from conflictdb.fieldlists import TIMESTAMPS, is_link_list
from conflictdb.models import SYNTHETIC_PREFIX
from conflictdb.versions import link_tables

# COPY's CSV mode with a delimiter and a quote that JSON text never holds unescaped (control characters):
# each line comes out as it is, unquoted, and ends with a newline. (COPY's text mode would double every
# backslash of the JSON's escapes.)
COPY_OPTIONS = "FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01'"
# float8's text is the shortest exact one from 1 on (PostgreSQL's default); fixed-point below 1e15.
FLOAT_DIGITS = 1
MAX_FIXED_DIGITS = 15
MAX_ARGUMENTS = 100


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Text(str):
    """A part of a JSON text that is fixed (a key, a bracket): kept apart from SQL until it is written."""


def concat(parts: list) -> str:
    """SQL of the text of `parts` (Text, or SQL expressions never NULL but a link list's items), in one
    call of concat() (which skips a NULL): `||` copies the growing line once for each of its parts."""
    merged = []
    for part in parts:
        if isinstance(part, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1] + part)
        else:
            merged.append(part)
    sql = [literal(part) if isinstance(part, Text) else part for part in merged]
    while len(sql) > MAX_ARGUMENTS:  # a function takes at most 100 arguments
        sql = [f"concat({', '.join(sql[i : i + MAX_ARGUMENTS])})" for i in range(0, len(sql), MAX_ARGUMENTS)]
    return f"concat({', '.join(sql)})"


def object_parts(members: list[tuple[str, list]]) -> list:
    """The parts of a JSON object's text of `members` (key, parts of its value), as json.dumps writes it."""
    parts = [Text("{")]
    for number, (key, value) in enumerate(members):
        parts += [Text((", " if number else "") + json.dumps(key, ensure_ascii=False) + ": "), *value]
    return [*parts, Text("}")]


def json_text(field, column: str) -> str:
    """SQL giving the JSON text json.dumps writes of `json_value` of `field`'s value read from `column`."""
    if isinstance(field, models.DateTimeField):
        # Microseconds always, then taken away when they are zero, as isoformat() leaves them out.
        text = f"""to_char({column} AT TIME ZONE 'UTC', '\\"YYYY-MM-DD"T"HH24:MI:SS.US+00:00\\"')"""
        return f"CASE WHEN {column} IS NULL THEN 'null' ELSE replace({text}, '.000000+', '+') END"
    if isinstance(field, models.DecimalField):
        if field.max_digits - field.decimal_places > MAX_FIXED_DIGITS:
            raise ValueError(f"{field}: float8's text switches to an exponent where Python's does not")
        return (
            f"CASE WHEN {column} IS NULL THEN 'null' WHEN {column} = trunc({column}) "
            f"THEN trunc({column})::text || '.0' ELSE {column}::float8::text END"
        )
    if isinstance(field, models.TimeField):  # to_json drops a time's trailing zeros, as a datetime's
        raise ValueError(f"{field}: no JSON text for times here")
    if isinstance(field, ArrayField):
        return f"COALESCE(to_jsonb({column})::text, 'null')"
    return f"COALESCE(to_json({column})::text, 'null')"


class Joins:
    """The tables joined to a row's: the referred records' (for their slugs), its link lists'."""

    def __init__(self, alias: str):
        self.alias, self.joins = alias, []

    def joined(self, table_sql: str, column: str, on: str = "id") -> str:
        alias = f"{self.alias}_{len(self.joins)}"
        self.joins.append(f"LEFT JOIN {table_sql} {alias} ON {alias}.{on} = {self.alias}.{column}")
        return alias

    def slug_of(self, field) -> str:
        """SQL of the slug `field` refers to (NULL for none)."""
        return self.joined(quoted(field.related_model._meta.db_table), quoted(field.column)) + ".slug"

    def sql(self) -> str:
        return " ".join(self.joins)


def slug_text(slug: str) -> str:
    return f"COALESCE(to_json({slug})::text, 'null')"


def curated(alias: str) -> str:
    return f"NOT starts_with({alias}.slug, {literal(SYNTHETIC_PREFIX)})"


def link_lists_sql(model, link_model, parent: str, item_fields: dict) -> str:
    """A SELECT of (owner, items): the JSON text of each curated record's link rows as items, without
    the brackets, sorted as record_forms sorts them (by each value's text, code point by code point: the
    byte order of UTF-8 under the C collation). Grouped once for the whole table, then joined: a lookup
    for each record cost more than all of the rest of an event's line."""
    joins = Joins("l")
    members, keys = [], []
    for key, source in item_fields.items():
        field = link_model._meta.get_field(source)
        if field.is_relation:
            slug = joins.slug_of(field)
            members.append((key, [slug_text(slug)]))
            keys.append(f"COALESCE({slug}, '') COLLATE \"C\"")
        elif isinstance(field, models.CharField | models.TextField):
            members.append((key, [json_text(field, f"l.{quoted(field.column)}")]))
            keys.append(f"COALESCE(l.{quoted(field.column)}, '') COLLATE \"C\"")
        else:  # record_forms sorts by str(): a number's or a flag's text would need writing here
            raise ValueError(f"{field}: a link item's value that is not text or a reference")
    owner = f"l.{quoted(link_model._meta.get_field(parent).column)}"
    item = concat(object_parts(members))
    return (
        f"SELECT {owner} AS owner, string_agg({item}, ', ' ORDER BY {', '.join(keys)}) AS items "
        f"FROM {quoted(link_model._meta.db_table)} l JOIN {quoted(model._meta.db_table)} o ON o.id = {owner} "
        f"{joins.sql()} WHERE {curated('o')} GROUP BY {owner}"
    )


def lines_statement(name: str, model, item_keys: dict) -> str:
    """The COPY statement writing the lines of the collection `name` (of `model`): its curated records,
    by slug (the database's collation, as the API orders them)."""
    lists = {
        list_name: link_lists_sql(model, link_versions.pgh_tracked_model, parent, item_fields)
        for list_name, link_versions, parent, item_fields in link_tables(model, item_keys)
    }
    joins = Joins("r")
    members = []
    for field_name in (*model.FIELDS, *TIMESTAMPS):
        field = model._meta.get_field(field_name)
        if is_link_list(model, field_name):
            alias = joins.joined(f"({lists[field_name]})", "id", on="owner")
            members.append((field_name, [Text("["), f"{alias}.items", Text("]")]))
        elif field.concrete and field.many_to_one:
            members.append((field_name, [slug_text(joins.slug_of(field))]))
        else:
            members.append((field_name, [json_text(field, f"r.{quoted(field.column)}")]))
    line = concat(object_parts([("collection", [Text(json.dumps(name))]), ("record", object_parts(members))]))
    table = quoted(model._meta.db_table)
    select = f"SELECT {line} FROM {table} r {joins.sql()} WHERE {curated('r')} ORDER BY r.slug"
    return f"COPY ({select}) TO STDOUT WITH ({COPY_OPTIONS})"
